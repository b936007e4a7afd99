"""Top-level URLs: one include per app, the API, the admin and the sign-in pages."""

from django.contrib import admin
from django.urls import include, path

from urbis.config import views as root_views
from urbis.config.api import api

urlpatterns = [
    path("", root_views.home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("members/", include("urbis.members.urls")),
    path("governance/", include("urbis.governance.urls")),
    path("index/", include("urbis.index.urls")),
    path("events/", include("urbis.events.urls")),
    path("prize/", include("urbis.prize.urls")),
    path("reports/", include("urbis.reports.urls")),
    path("jobs/", include("urbis.common.urls")),
]
