from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from urbis.messaging import views

app_name = "messaging"

urlpatterns = [
    path("", views.outbox, name="outbox"),
    path("<uuid:message_id>/", views.message_detail, name="message"),
    path("<uuid:message_id>/resend/", views.message_resend, name="resend"),
    path("<uuid:message_id>/cancel/", views.message_cancel, name="cancel"),
    path("batches/", views.batch_list, name="batches"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("reminders/", views.reminders, name="reminders"),
    path("invite/", views.invite, name="invite"),
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sink/", views.sink, name="sink"),
    path("sink/<int:pk>/", views.sink_detail, name="sink_detail"),
    # One-click unsubscribe (RFC 8058) is a POST from the mail client, without a session.
    path("unsubscribe/<str:token>/", csrf_exempt(views.unsubscribe), name="unsubscribe"),
]
