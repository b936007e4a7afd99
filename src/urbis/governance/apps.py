from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "urbis.governance"
    label = "governance"
    verbose_name = "Governance"

    def ready(self) -> None:
        from urbis.governance import permissions  # noqa: F401 - registers the rules
