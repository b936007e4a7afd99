from django.urls import path

from urbis.members import views_messages

app_name = "members_messages"

urlpatterns = [
    path("", views_messages.compose, name="compose"),
]
