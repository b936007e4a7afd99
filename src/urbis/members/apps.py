from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "urbis.members"
    label = "members"
    verbose_name = "Members"

    def ready(self) -> None:
        from urbis.common.formats import labels_register
        from urbis.members import permissions  # noqa: F401 - the rules
        from urbis.members.models import Category, CorporateCategory, InstitutionType

        labels_register("category", Category.choices)
        labels_register("institution_type", InstitutionType.choices)
        labels_register("corporate_category", CorporateCategory.choices)
