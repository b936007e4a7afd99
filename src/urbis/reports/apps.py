from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "urbis.reports"
    label = "reports"
    verbose_name = "Reports"
