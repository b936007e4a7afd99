"""Jobs whose worker died: on PostgreSQL a running job's worker holds an advisory lock on its
own connection; once that connection is gone, `jobs_recover` queues the job again (resumable
runner) or fails it with a message (others). A job whose worker lives is left alone."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

from urbis.common import jobs
from urbis.common.jobs import LOCK_SPACE, JobOutcome, _lock_key, job_runner, jobs_recover
from urbis.common.models import Job

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="advisory locks: PostgreSQL"),
]


@job_runner("tests.resumable", resumable=True)
def _resumable(*, job, progress):  # type: ignore[no-untyped-def]
    return JobOutcome(summary="done")


@job_runner("tests.once")
def _once(*, job, progress):  # type: ignore[no-untyped-def]
    return JobOutcome(summary="done")


def _running(kind: str) -> Job:
    return Job.objects.create(kind=kind, title=kind, state=Job.State.RUNNING, done=3, total=9)


def _hold(job: Job):  # a live worker: the lock held on a connection of its own
    raw = connection.get_new_connection(connection.get_connection_params())
    raw.autocommit = True
    with raw.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_SPACE, _lock_key(job.pk)])
    return raw


def test_dead_jobs_are_queued_again_or_failed_and_live_ones_left_alone():
    resumable, once, live = (
        _running("tests.resumable"),
        _running("tests.once"),
        _running("tests.once"),
    )
    worker = _hold(live)
    tasks_before = DBTaskResult.objects.count()
    try:
        assert jobs_recover() == (1, 1)
    finally:
        worker.close()
    resumable.refresh_from_db()
    once.refresh_from_db()
    live.refresh_from_db()
    assert (resumable.state, resumable.done, resumable.started_at) == ("queued", 0, None)
    assert DBTaskResult.objects.count() == tasks_before + 1
    assert (once.state, once.error) == ("failed", jobs.RECOVERED_ERROR)
    assert live.state == "running"
    # The worker of `live` has now died too: the next sweep (every minute) fails it.
    out = __import__("io").StringIO()
    call_command("prune_jobs", "--recover", stdout=out)
    assert out.getvalue().strip() == "Jobs of dead workers: 0 queued again, 1 failed."
    live.refresh_from_db()
    assert live.state == "failed"


def test_a_running_job_holds_its_lock_until_it_finishes(monkeypatch):
    seen = {}

    @job_runner("tests.probe")
    def probe(*, job, progress):  # type: ignore[no-untyped-def]
        seen["recovered"] = jobs_recover()
        return JobOutcome(summary="ok")

    job = Job.objects.create(kind="tests.probe", title="probe")
    assert jobs.job_run.call(job_id=str(job.pk)) == "succeeded"
    assert seen["recovered"] == (0, 0)  # its own lock: not taken for dead
    job.refresh_from_db()
    assert job.state == "succeeded"
