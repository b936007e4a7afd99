from django.apps import AppConfig


class PrizeConfig(AppConfig):
    name = "urbis.prize"
    label = "prize"
    verbose_name = "Prize"

    def ready(self) -> None:
        from urbis.prize import (
            permissions,  # noqa: F401 - registers the rules
            segments,  # noqa: F401 - offers its groups to messages
        )
