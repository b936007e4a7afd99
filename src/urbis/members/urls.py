from django.urls import path

from urbis.members import views, views_applications, views_io

app_name = "members"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("import/", views_io.import_page, name="import"),
    path("export/", views_io.export_file, name="export"),
    path("counts/", views.counts, name="counts"),
    path("new/", views.organisation_new, name="organisation_new"),
    path("mine/", views.mine, name="mine"),
    path("apply/", views_applications.apply, name="apply"),
    path("applications/", views_applications.applications, name="applications"),
    path(
        "applications/<str:reference>/",
        views_applications.application_detail,
        name="application",
    ),
    path(
        "applications/<str:reference>/document/",
        views_applications.application_document,
        name="application_document",
    ),
    path(
        "applications/<str:reference>/<slug:action>/",
        views_applications.application_action,
        name="application_action",
    ),
    path("<slug:slug>/", views.detail, name="detail"),
    path("<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("<slug:slug>/lifecycle/new/", views.lifecycle_new, name="lifecycle_new"),
    path("<slug:slug>/participation/new/", views.participation_new, name="participation_new"),
    path("<slug:slug>/contacts/new/", views.contact_new, name="contact_new"),
    path("<slug:slug>/contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
]
