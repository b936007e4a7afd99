from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_role_groups(*, apps: Any = None, using: str = "default", **kwargs: Any) -> None:
    """One group per role after every `migrate` and every `flush` (which empties the tables a
    data migration filled, as transactional tests do), as Django does for permissions."""
    from django.apps import apps as installed_apps

    from urbis.common.roles import ALL_ROLES

    apps = apps or installed_apps  # `flush` sends the signal without the migration state
    try:
        group_model = apps.get_model("auth", "Group")
    except LookupError:  # auth is not migrated yet
        return
    for name in ALL_ROLES:
        group_model.objects.using(using).get_or_create(name=name)


class CommonConfig(AppConfig):
    name = "urbis.common"
    label = "common"
    verbose_name = "Common"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from urbis.common import jobs, permissions  # noqa: F401 - the job task and the rules
        from urbis.common.languages import signed_in_language_remember

        post_migrate.connect(ensure_role_groups, sender=self)
        user_logged_in.connect(signed_in_language_remember, dispatch_uid="urbis-language")
