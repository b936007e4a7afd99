from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "urbis.dues"
    label = "dues"
    verbose_name = "Dues"

    def ready(self) -> None:
        from urbis.common.formats import labels_register
        from urbis.dues import jobs, permissions  # noqa: F401 - the review job, the rules
        from urbis.dues.rules.fees import CRITERION_LABEL
        from urbis.members.pages import member_page_part_register

        labels_register("fee_criterion", CRITERION_LABEL.items())

        member_page_part_register("dues:ledger-part")

        from urbis.dues.portal import invoices_section, payments_section
        from urbis.members.pages import mine_section_register

        mine_section_register("invoices", invoices_section)
        mine_section_register("payments", payments_section)
