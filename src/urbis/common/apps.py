from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "urbis.common"
    label = "common"
    verbose_name = "Common"
