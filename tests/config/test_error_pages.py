"""Error pages in the site's look, with the navigation; the favicon; the password pages."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse

from urbis.config import urls as root_urls
from urbis.config.views import server_error

pytestmark = pytest.mark.django_db


@override_settings(DEBUG=False)
def test_404_is_the_sites_page_with_navigation(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page not found</h1>" in html
    assert 'aria-label="Main"' in html and 'href="/members/"' in html
    assert "/no-such-page/" in html
    assert 'class="skip-link"' in html


def test_403_for_a_signed_in_user_names_the_account(client, excom_user):
    client.force_login(excom_user)
    response = client.get(reverse("reports:build"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "<h1>Not allowed</h1>" in html
    assert f"({excom_user.username})" in html
    assert 'aria-label="Main"' in html


def test_anonymous_visitor_of_a_staff_page_is_sent_to_sign_in(client):
    response = client.get(reverse("reports:build"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/reports/build/"


def test_500_page_with_navigation_and_its_plain_fallback(staff_user):
    assert root_urls.handler500 == "urbis.config.views.server_error"
    request = RequestFactory().get("/")
    request.user = staff_user
    response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Something went wrong</h1>" in html and 'aria-label="Main"' in html

    class Unreadable:  # a user whose roles cannot be read (say, the database is down)
        @property
        def is_authenticated(self):
            raise RuntimeError("database down")

    request.user = Unreadable()
    response = server_error(request)
    assert response.status_code == 500
    html = response.content.decode()
    assert "<h1>Something went wrong</h1>" in html and 'aria-label="Main"' not in html


def test_favicon_answers(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")
    assert "max-age=86400" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("url_name", "heading"),
    [("password_reset", "Reset your password"), ("password_reset_done", "Check your e-mail")],
)
def test_password_reset_pages_in_the_sites_look(client, url_name, heading):
    html = client.get(reverse(url_name)).content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert 'aria-label="Main"' in html
    assert "Django administration" not in html


def test_password_change_in_the_sites_look(staff_user):
    client = Client()
    client.force_login(staff_user)
    html = client.get(reverse("password_change")).content.decode()
    assert "<h1>Change your password</h1>" in html
    assert "Django administration" not in html
    assert 'href="/accounts/password_change/" aria-current="page"' in html


def test_the_queueing_label_shows_only_during_its_request():
    from pathlib import Path

    import urbis.common

    css = (Path(urbis.common.__file__).parent / "static/common/urbis.css").read_text()
    assert ".htmx-indicator { display:none; }" in css
    assert ".htmx-request .htmx-indicator, .htmx-request.htmx-indicator { display:inline; }" in css
