from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "urbis.members"
    label = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        from urbis.members import permissions  # noqa: F401 - the rules
