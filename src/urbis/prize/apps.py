from django.apps import AppConfig


class PrizeConfig(AppConfig):
    name = "urbis.prize"
    label = "prize"
    verbose_name = "Prize"

    def ready(self) -> None:
        from urbis.members.pages import mine_section_register
        from urbis.prize import (
            permissions,  # noqa: F401 - registers the rules
            segments,  # noqa: F401 - offers its groups to messages
        )
        from urbis.prize.portal import applications_section

        mine_section_register("prize", applications_section)
