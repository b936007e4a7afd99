from importlib import import_module

from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "urbis.messaging"
    label = "messaging"
    verbose_name = "Messaging"

    def ready(self) -> None:
        from django.conf import settings

        from urbis.messaging import jobs, permissions  # noqa: F401 - the send task and the rules

        # The modules that register reminder kinds (`@reminder`), named in the settings so
        # that messaging imports no app that sends.
        for module in getattr(settings, "URBIS_REMINDER_MODULES", ()):
            import_module(module)
