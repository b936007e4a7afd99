"""Each person's language: chosen in the switcher while signed in, on the account page or
through the API, kept on the user's profile, followed by the contacts a focal point signs
in for, and used for the mail they receive."""

from __future__ import annotations

import json

import pytest
from django.conf import settings
from django.test import Client

from tests.factories.members import ContactFactory, OrganisationFactory
from urbis.common.languages import user_language, user_language_set
from urbis.common.models import AuditRecord, Profile
from urbis.members.models import Contact
from urbis.messaging.domain import password_reset_queue
from urbis.messaging.languages import recipient_languages
from urbis.messaging.render import message_render

pytestmark = pytest.mark.django_db

LANGUAGE_API = "/api/v1/account/language"


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_user_without_a_choice_reads_the_site_language(focal_point):
    user, _org = focal_point
    assert user_language(user) == "en"
    assert not Profile.objects.filter(user=user).exists()


def test_the_switcher_remembers_a_signed_in_users_choice_and_their_contacts_follow(focal_point):
    user, _org = focal_point
    response = _signed_in(user).post("/i18n/setlang/", {"language": "ko", "next": "/"})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ko"
    assert Profile.objects.get(user=user).language == "ko"
    assert list(Contact.objects.filter(user=user).values_list("language", flat=True)) == ["ko"]
    assert AuditRecord.objects.filter(action="profile.create").count() == 1
    assert AuditRecord.objects.filter(action="contact.update").count() == 1


def test_the_switcher_stores_nothing_for_a_visitor_or_an_unknown_language(focal_point):
    user, _org = focal_point
    assert Client().post("/i18n/setlang/", {"language": "fr"}).status_code == 302
    assert _signed_in(user).post("/i18n/setlang/", {"language": "xx"}).status_code == 302
    assert Profile.objects.count() == 0


def test_the_account_page_offers_each_language_in_its_own_name(focal_point):
    user, _org = focal_point
    client = _signed_in(user)
    page = client.get("/account/language/")
    assert page.status_code == 200
    body = page.content.decode()
    for name in ("English", "한국어", "français", "español", "Русский"):
        assert name in body
    saved = client.post("/account/language/", {"language": "es"})
    assert saved.status_code == 302
    assert saved.cookies[settings.LANGUAGE_COOKIE_NAME].value == "es"
    assert user_language(user) == "es"
    refused = client.post("/account/language/", {"language": "xx"})
    assert refused.status_code == 400
    assert user_language(user) == "es"


def test_the_account_page_needs_a_signed_in_user():
    response = Client().get("/account/language/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_api_reads_and_sets_the_language(focal_point):
    user, _org = focal_point
    client = _signed_in(user)
    assert client.get(LANGUAGE_API).json() == {
        "user_id": user.pk,
        "language": "en",
        "choices": ["en", "ko", "fr", "es", "ru"],
    }
    response = client.put(LANGUAGE_API, json.dumps({"language": "ru"}), "application/json")
    assert response.status_code == 200
    assert response.json()["language"] == "ru"
    bad = client.put(LANGUAGE_API, json.dumps({"language": "de"}), "application/json")
    assert bad.status_code == 422
    assert "language" in json.dumps(bad.json())
    assert user_language(user) == "ru"
    assert Client().get(LANGUAGE_API).status_code == 401


def test_choosing_the_same_language_again_writes_nothing(focal_point):
    user, _org = focal_point
    user_language_set(user=user, language="fr", actor=user)
    user_language_set(user=user, language="fr", actor=user)
    assert AuditRecord.objects.filter(target_type__icontains="profile").count() == 1


def test_a_recipients_language_comes_from_the_contact_then_the_account(focal_point):
    user, _org = focal_point
    user.email = "me@focal.example"
    user.save()
    user_language_set(user=user, language="fr", actor=user)
    ContactFactory(
        organisation=OrganisationFactory(name="Other City"),
        name="Kim",
        email="KIM@other.example",
        language="ko",
    )
    assert recipient_languages(["kim@other.example", "me@focal.example", "x@y.example"]) == {
        "kim@other.example": "ko",
        "me@focal.example": "fr",
        "x@y.example": "en",
    }
    out = message_render(
        "messaging/mail/password_reset",
        {"user": user, "reset_url": "https://urbis.example/r/"},
        to_address="me@focal.example",
    )
    assert out.subject == "Votre mot de passe urbis"


def test_the_password_reset_mail_is_in_the_users_language(focal_point):
    user, _org = focal_point
    user.email = "me@focal.example"
    user.save()
    user_language_set(user=user, language="ko", actor=user)
    message = password_reset_queue(
        user=user, context={"uid": "MQ", "token": "abc-123", "user": user}
    )
    assert message.subject == "urbis 비밀번호"
    assert "누군가 urbis 계정(focal)의 비밀번호 재설정을 요청했습니다." in message.body_text


def _sign_in(client: Client, user) -> None:
    user.set_password(PASSWORD)
    user.save()
    response = client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


PASSWORD = "correct-horse-battery-staple"


def test_the_saved_language_follows_the_user_to_a_new_browser(focal_point):
    user, _org = focal_point
    first = _signed_in(user)
    first.post("/account/language/", {"language": "ko"})
    fresh = Client()
    assert "Accept-Language" not in fresh.get("/").request
    _sign_in(fresh, user)
    page = fresh.get("/")
    assert page["Content-Language"] == "ko"
    assert "<title>대시보드" in page.content.decode()
    assert fresh.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ko"


def test_at_sign_in_the_saved_language_wins_over_the_browsers_earlier_choice(focal_point):
    user, _org = focal_point
    user_language_set(user=user, language="ko", actor=user)
    browser = Client()
    browser.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert browser.get("/")["Content-Language"] == "fr"
    _sign_in(browser, user)
    assert browser.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ko"
    assert browser.get("/")["Content-Language"] == "ko"


def test_a_choice_made_in_this_browser_after_sign_in_wins(focal_point):
    user, _org = focal_point
    user_language_set(user=user, language="ko", actor=user)
    browser = Client()
    _sign_in(browser, user)
    browser.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"  # chosen here (switcher) later
    assert browser.get("/")["Content-Language"] == "es"


def test_a_session_without_a_cookie_speaks_the_saved_language(focal_point):
    user, _org = focal_point
    user_language_set(user=user, language="ru", actor=user)
    client = _signed_in(user)  # no answer went to the browser: no cookie
    assert settings.LANGUAGE_COOKIE_NAME not in client.cookies
    assert client.get("/")["Content-Language"] == "ru"


def test_without_a_saved_language_the_browser_decides(focal_point):
    user, _org = focal_point
    browser = Client()
    _sign_in(browser, user)
    assert settings.LANGUAGE_COOKIE_NAME not in browser.cookies
    assert browser.get("/", HTTP_ACCEPT_LANGUAGE="fr")["Content-Language"] == "fr"
    assert browser.get("/")["Content-Language"] == "en"


def test_the_saved_language_costs_no_query_per_request(focal_point, django_assert_num_queries):
    """The session holds the saved language: a page without the cookie makes the same
    queries as with it (the profile is read once, at sign-in)."""
    user, _org = focal_point
    user_language_set(user=user, language="ko", actor=user)
    browser = Client()
    _sign_in(browser, user)
    browser.get("/")
    with_cookie = _query_count(browser)
    del browser.cookies[settings.LANGUAGE_COOKIE_NAME]
    with django_assert_num_queries(with_cookie):
        assert browser.get("/")["Content-Language"] == "ko"


def _query_count(client: Client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)
