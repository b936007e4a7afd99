from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "urbis.demo"
    label = "demo"
    verbose_name = "Demo data set"
