"""Top-level URLs: one include per app, the API, the admin and the sign-in pages."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from urbis.common import views_account
from urbis.config import views as root_views
from urbis.config.api import api
from urbis.governance.api_desk import desk_urlpatterns
from urbis.messaging.forms import OutboxPasswordResetForm

api_patterns, api_app, api_namespace = api.urls

# 403 and 404 use Django's views with the templates 403.html and 404.html (with the request,
# so the navigation shows); 500 needs a view of its own for the same.
handler500 = "urbis.config.views.server_error"

urlpatterns = [
    path("", root_views.home, name="home"),
    path("favicon.ico", root_views.favicon, name="favicon"),
    # The reset mail goes through the outbox (urbis.messaging), not out of the request.
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=OutboxPasswordResetForm),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    # The language switcher in the footer posts to `set_language` (i18n/setlang/); a
    # signed-in user's choice is remembered on their profile.
    path("i18n/setlang/", views_account.language_switch, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    # The desks' check-ins and votes, signed with a desk key, skip django-ninja (api_desk).
    path("api/v1/", include(desk_urlpatterns(ninja_api=api, ninja_patterns=api_patterns))),
    path("api/v1/", (api_patterns, api_app, api_namespace)),
    path("members/dues/<path:rest>", root_views.dues_moved, name="dues-moved"),
    path("members/messages/", include("urbis.members.urls_messages")),  # before <slug>/
    path("members/", include("urbis.members.urls")),
    path("dues/", include("urbis.dues.urls")),
    path("governance/", include("urbis.governance.urls")),
    path("index/", include("urbis.index.urls")),
    path("events/", include("urbis.events.urls")),
    path("prize/", include("urbis.prize.urls")),
    path("reports/", include("urbis.reports.urls")),
    path("jobs/", include("urbis.common.urls")),
    path("account/", include("urbis.common.urls_account")),
    path("messaging/", include("urbis.messaging.urls")),
]
