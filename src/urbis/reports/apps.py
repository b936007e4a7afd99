from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "urbis.reports"
    label = "reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from urbis.reports import jobs  # noqa: F401 - registers the report build job
