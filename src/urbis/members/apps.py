from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "urbis.members"
    label = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        from urbis.common.formats import labels_register
        from urbis.members import permissions  # noqa: F401 - the rules
        from urbis.members.models import Category, CorporateCategory, InstitutionType
        from urbis.members.pages import mine_section_register
        from urbis.members.portal import messages_section

        labels_register("category", Category.choices)
        labels_register("institution_type", InstitutionType.choices)
        labels_register("corporate_category", CorporateCategory.choices)
        mine_section_register("messages", messages_section)

        # Mail is written in each contact's language; a focal point's own choice follows.
        from urbis.common.languages import language_chosen
        from urbis.members.domain.languages import _on_language_chosen, contact_languages
        from urbis.messaging.languages import language_resolver

        language_chosen.connect(_on_language_chosen, dispatch_uid="members.contacts_language")
        language_resolver(contact_languages)
