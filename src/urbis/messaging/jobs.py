"""The task the worker runs to send the outbox. It carries nothing: every run sends what is
due, so a task delivered twice, or two workers, send each message once (the claim)."""

from __future__ import annotations

from django_tasks import task

from urbis.messaging.domain.outbox import outbox_send


@task()
def outbox_task() -> str:
    outcome = outbox_send()
    return (
        f"sent {outcome.sent}, retried {outcome.retried}, failed {outcome.failed}, "
        f"recovered {outcome.recovered}"
    )
