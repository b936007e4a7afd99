from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "urbis.common"
    label = "common"
    verbose_name = "Common"

    def ready(self) -> None:
        from urbis.common import jobs, permissions  # noqa: F401 - the job task and the rules
