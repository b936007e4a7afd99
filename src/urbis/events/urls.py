from django.urls import path

from urbis.events import views, views_manage

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    # Staff pages (their words are reserved: no event may take them as its slug).
    path("manage/", views_manage.manage, name="manage"),
    path("manage/new/", views_manage.event_new, name="event_new"),
    path("venues/", views_manage.venues, name="venues"),
    path("venues/new/", views_manage.venue_new, name="venue_new"),
    path("venues/<int:pk>/edit/", views_manage.venue_edit, name="venue_edit"),
    path("venues/<int:pk>/delete/", views_manage.venue_delete, name="venue_delete"),
    path("<slug:slug>/manage/", views_manage.workspace, name="workspace"),
    path("<slug:slug>/edit/", views_manage.event_edit, name="event_edit"),
    path("<slug:slug>/delete/", views_manage.event_delete, name="event_delete"),
    path("<slug:slug>/sessions/new/", views_manage.session_new, name="session_new"),
    path("<slug:slug>/sessions/<int:pk>/edit/", views_manage.session_edit, name="session_edit"),
    path(
        "<slug:slug>/sessions/<int:pk>/delete/",
        views_manage.session_delete,
        name="session_delete",
    ),
    path("<slug:slug>/sponsors/new/", views_manage.sponsor_new, name="sponsor_new"),
    path("<slug:slug>/sponsors/<int:pk>/edit/", views_manage.sponsor_edit, name="sponsor_edit"),
    path(
        "<slug:slug>/sponsors/<int:pk>/delete/",
        views_manage.sponsor_delete,
        name="sponsor_delete",
    ),
    path("<slug:slug>/", views.programme, name="programme"),
    path("<slug:slug>/programme.pdf", views.programme_pdf, name="programme_pdf"),
    path("<slug:slug>/programme.ics", views.programme_ics, name="programme_ics"),
    path("<slug:slug>/statistics/", views.statistics, name="statistics"),
    path("<slug:slug>/registrations/", views.registrations, name="registrations"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/registrations/<str:code>/", views.registration_detail, name="registration"),
    path("<slug:slug>/registrations/<str:code>/badge.pdf", views.badge_pdf, name="badge"),
    path("<slug:slug>/registrations/<str:code>/approve/", views.approve, name="approve"),
    path("<slug:slug>/registrations/<str:code>/reject/", views.reject, name="reject"),
    path("<slug:slug>/registrations/<str:code>/signup/", views.signup, name="signup"),
    path("<slug:slug>/badges.pdf", views.badges_batch_pdf, name="badges"),
    path("<slug:slug>/check-in/", views.checkin, name="checkin"),
    path(
        "<slug:slug>/participants.<str:fmt>",
        views.participants_export,
        name="participants_export",
    ),
]
