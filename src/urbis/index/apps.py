from django.apps import AppConfig


class IndexConfig(AppConfig):
    name = "urbis.index"
    label = "index"
    verbose_name = "Index"

    def ready(self) -> None:
        from urbis.index import permissions  # noqa: F401 - registers the rules
