from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "urbis.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from urbis.reports import cache, jobs  # noqa: F401 - registers the report jobs
