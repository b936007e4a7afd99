from django.apps import AppConfig


class IndexConfig(AppConfig):
    name = "urbis.index"
    label = "index"
    verbose_name = "Index"

    def ready(self) -> None:
        from urbis.index import jobs, permissions  # noqa: F401 - the compute job and the rules
