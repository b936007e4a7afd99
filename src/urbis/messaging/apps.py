from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "urbis.messaging"
    label = "messaging"
    verbose_name = "Messaging"

    def ready(self) -> None:
        from urbis.messaging import jobs, permissions  # noqa: F401 - the send task and the rules
