from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "urbis.events"
    label = "events"
    verbose_name = "Events"

    def ready(self) -> None:
        from urbis.events import (
            permissions,  # noqa: F401 - registers the rules
            segments,  # noqa: F401 - offers its groups to messages
        )
        from urbis.events.portal import registrations_section
        from urbis.members.pages import mine_section_register

        mine_section_register("registrations", registrations_section)
