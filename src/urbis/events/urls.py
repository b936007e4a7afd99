from django.urls import path

from urbis.events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("<slug:slug>/", views.programme, name="programme"),
    path("<slug:slug>/programme.pdf", views.programme_pdf, name="programme_pdf"),
    path("<slug:slug>/programme.ics", views.programme_ics, name="programme_ics"),
    path("<slug:slug>/statistics/", views.statistics, name="statistics"),
    path("<slug:slug>/registrations/", views.registrations, name="registrations"),
    path("<slug:slug>/register/", views.register, name="register"),
    path("<slug:slug>/registrations/<str:code>/", views.registration_detail, name="registration"),
    path("<slug:slug>/registrations/<str:code>/badge.pdf", views.badge_pdf, name="badge"),
    path("<slug:slug>/registrations/<str:code>/approve/", views.approve, name="approve"),
    path("<slug:slug>/registrations/<str:code>/signup/", views.signup, name="signup"),
    path("<slug:slug>/badges.pdf", views.badges_batch_pdf, name="badges"),
    path("<slug:slug>/check-in/", views.checkin, name="checkin"),
    path(
        "<slug:slug>/participants.<str:fmt>",
        views.participants_export,
        name="participants_export",
    ),
]
