from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "urbis.members"
    label = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        from urbis.members import permissions  # noqa: F401 - the rules
        from urbis.members.pages import mine_section_register
        from urbis.members.portal import messages_section

        mine_section_register("messages", messages_section)
