from django.urls import path

from urbis.common import views_account

app_name = "account"

urlpatterns = [
    path("tokens/", views_account.api_tokens, name="api_tokens"),
    path("language/", views_account.language, name="language"),
    path(
        "tokens/<int:token_id>/revoke/",
        views_account.api_token_revoke_view,
        name="api_token_revoke",
    ),
]
