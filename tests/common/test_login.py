import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def person(db):
    return get_user_model().objects.create_user("ana", "ana@example.org", PASSWORD)


def _login(client, password):
    return client.post(reverse("login"), {"username": "ana", "password": password})


def test_new_password_is_hashed_with_argon2(person):
    assert person.password.startswith("argon2")
    assert person.check_password(PASSWORD)


def test_login_page_has_labelled_fields(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<label for="id_username">Username</label><input' in body
    assert '<label for="id_password">Password</label><input' in body


def test_correct_password_signs_in(client, person):
    response = _login(client, PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session["_auth_user_id"] == str(person.pk)


def test_wrong_password_shows_the_form_again(client, person):
    response = _login(client, "wrong")
    assert response.status_code == 200
    assert b"Please enter a correct username and password" in response.content
    assert "_auth_user_id" not in client.session


def test_six_failures_lock_the_account_even_for_the_right_password(client, person, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    statuses = [_login(client, f"wrong-{i}").status_code for i in range(6)]
    assert statuses == [200, 200, 200, 200, 429, 429]
    response = _login(client, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    text = response.content.decode()
    assert "Sign-in temporarily locked" in text
    assert "failed 5 times" in text
    assert "for 15 minutes" in text


def test_lockout_is_per_username(client, person):
    get_user_model().objects.create_user("bo", "bo@example.org", PASSWORD)
    for i in range(6):
        _login(client, f"wrong-{i}")
    response = client.post(reverse("login"), {"username": "bo", "password": PASSWORD})
    assert response.status_code == 302
