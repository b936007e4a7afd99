from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "urbis.governance"
    label = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from urbis.events.hooks import check_in_listen
        from urbis.governance import permissions  # noqa: F401 - registers the rules
        from urbis.governance.listeners import on_badge_check_in

        check_in_listen(on_badge_check_in)

        from urbis.governance.portal import (
            application_agenda_place,
            excom_meetings_open,
            meetings_section,
        )
        from urbis.members.domain import application_agenda_placer_register
        from urbis.members.pages import mine_section_register

        mine_section_register("meetings", meetings_section)
        application_agenda_placer_register(
            place=application_agenda_place, meetings=excom_meetings_open
        )
