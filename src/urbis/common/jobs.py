"""Long jobs run by the task worker, with progress the web can show.

An app registers a runner for a kind of job (`@job_runner("reports.build")` in its `jobs.py`,
imported by its AppConfig); a view or an API handler calls `job_enqueue`, which writes the
`Job` row and queues the task in one transaction, and answers at once with the job's page.
The worker (`urbis db_worker`: django-tasks with its database backend) calls `job_run`,
which claims the job, hands the runner a `JobProgress`, and stores the outcome: a summary,
a link to what was made, and a file to download. Every process reads the same row, so a
build started on one gunicorn worker is downloaded from another, and survives restarts.

The task carries only the job's id; a job runs at most once at a time (`job_run` claims it
with a conditional UPDATE), so a task delivered twice does nothing the second time.

A worker that dies mid-job (SIGKILL, a lost host) is noticed within a minute on PostgreSQL:
while a job runs, its worker holds a session advisory lock on the job, on a connection of
its own; the server frees the lock the moment that connection dies. `jobs_recover` (the
worker calls it before each job, `urbis prune_jobs --recover` every minute) takes the lock
of each "running" job it can: those jobs have no live worker. A job whose runner is
resumable (registered with `resumable=True`: all its writes in one transaction, so the dead
run left nothing behind) is queued again; any other is failed with a message that says so.
Without PostgreSQL (development on SQLite) only the hourly age limit applies
(`jobs_fail_stale`).
"""

from __future__ import annotations

import datetime as dt
import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from urbis.common.audit import audit_record
from urbis.common.models import Job

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobOutcome:
    """What a runner made: a line for the user, a page to see it, a file to download."""

    summary: str
    result_url: str = ""
    output: bytes | None = None
    output_name: str = ""
    output_type: str = ""


Runner = Callable[..., JobOutcome]
RUNNERS: dict[str, Runner] = {}
RESUMABLE: set[str] = set()
# The first key of the two-key advisory locks that say "a worker is running this job".
LOCK_SPACE = 0x75726269  # "urbi"


def job_runner(kind: str, *, resumable: bool = False) -> Callable[[Runner], Runner]:
    """Register `runner(*, job, progress, **params) -> JobOutcome` for a kind of job.
    `resumable`: running it again after a dead run is safe (its writes are one transaction
    or idempotent), so a job whose worker died is queued again rather than failed."""

    def register(runner: Runner) -> Runner:
        if kind in RUNNERS and RUNNERS[kind] is not runner:
            raise ValueError(f"Two runners for the job kind '{kind}'.")
        RUNNERS[kind] = runner
        if resumable:
            RESUMABLE.add(kind)
        return runner

    return register


def _lock_key(job_id: Any) -> int:
    """The job's half of its advisory lock key: 31 bits of its UUID."""
    return int(uuid.UUID(str(job_id)).int & 0x7FFFFFFF)


class _Liveness:
    """A session advisory lock on the job, held on a connection of its own for as long as
    the job runs (PostgreSQL); nothing elsewhere. Its own connection, because the runner's
    may be closed and reopened by Django, which would free a lock held there."""

    def __init__(self, job_id: Any) -> None:
        self.key = _lock_key(job_id)
        self.raw: Any = None

    def __enter__(self) -> _Liveness:
        if connection.vendor == "postgresql":
            self.raw = connection.get_new_connection(connection.get_connection_params())
            self.raw.autocommit = True
            with self.raw.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s, %s)", [LOCK_SPACE, self.key])
        return self

    def __exit__(self, *exc: object) -> None:
        if self.raw is not None:
            self.raw.close()  # frees the lock


RECOVERED_ERROR = (
    "The task worker stopped while running this job (the process died); its writes are all "
    "or nothing, so nothing is half-done: queue it again."
)


def jobs_recover() -> tuple[int, int]:
    """Queue again (resumable) or fail (others) the "running" jobs whose worker is dead.
    Returns (queued again, failed). PostgreSQL only; (0, 0) elsewhere."""
    if connection.vendor != "postgresql":
        return 0, 0
    requeued = failed = 0
    for job in Job.objects.filter(state=Job.State.RUNNING).only("pk", "kind"):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_SPACE, _lock_key(job.pk)])
            (free,) = cursor.fetchone()
        if not free:
            continue  # a live worker holds it
        try:
            if job.kind in RESUMABLE:
                with transaction.atomic():
                    moved = Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
                        state=Job.State.QUEUED, started_at=None, stage="", done=0, total=0
                    )
                    if moved:
                        job_run.enqueue(job_id=str(job.pk))
                requeued += moved
            else:
                failed += Job.objects.filter(pk=job.pk, state=Job.State.RUNNING).update(
                    state=Job.State.FAILED, finished_at=timezone.now(), error=RECOVERED_ERROR
                )
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_SPACE, _lock_key(job.pk)])
    if requeued or failed:
        logger.warning("Jobs of dead workers: %s queued again, %s failed", requeued, failed)
    return requeued, failed


class JobProgress:
    """Progress of a running job, written to its row in autocommit (visible at once to the
    page that polls it) and at most every `interval` seconds, so that a tight loop reporting
    every step costs a few writes, not thousands."""

    def __init__(self, job_id: Any, *, interval: float = 0.5) -> None:
        self.job_id = job_id
        self.interval = interval
        self._last = 0.0
        self.total = 0

    def stage(self, name: str, *, total: int = 0, done: int = 0) -> None:
        """Enter a named stage (always written), with its number of steps if known and the
        steps already done."""
        self.total = total
        self._last = time.monotonic()
        Job.objects.filter(pk=self.job_id).update(
            stage=name[:200], done=min(done, total), total=total
        )

    def update(self, done: int) -> None:
        now = time.monotonic()
        if now - self._last < self.interval and done < self.total:
            return
        self._last = now
        Job.objects.filter(pk=self.job_id).update(done=min(done, self.total))


def job_enqueue(*, actor: Any, kind: str, title: str, params: dict[str, Any]) -> Job:
    """Record a job and queue it for the worker; both or neither (one transaction). The
    params must be JSON (they are stored in the row and passed to the runner)."""
    if kind not in RUNNERS:
        raise ValueError(f"No runner for the job kind '{kind}'.")
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic():
        job = Job.objects.create(kind=kind, title=title[:200], params=params, requested_by=user)
        audit_record(actor=actor, action="job.enqueue", target=job, after={"kind": kind, **params})
        job_run.enqueue(job_id=str(job.pk))
    return job


def _finish(job_id: Any, **fields: Any) -> None:
    Job.objects.filter(pk=job_id).update(finished_at=timezone.now(), **fields)


@task()
def job_run(job_id: str) -> str:
    """The worker's entry point: claim the job, run it, store its outcome. A refusal by the
    domain (ValidationError) fails the job with its message; an unexpected error fails the
    job with a short message and is raised again, so the task backend records it too."""
    jobs_recover()
    with _Liveness(job_id):
        claimed = Job.objects.filter(pk=job_id, state=Job.State.QUEUED).update(
            state=Job.State.RUNNING, started_at=timezone.now()
        )
        if not claimed:
            return "not queued"
        return _run_claimed(job_id)


def _run_claimed(job_id: str) -> str:
    job = Job.objects.select_related("requested_by").get(pk=job_id)
    runner = RUNNERS.get(job.kind)
    if runner is None:
        _finish(job.pk, state=Job.State.FAILED, error=f"No runner for '{job.kind}'.")
        return "failed"
    try:
        outcome = runner(job=job, progress=JobProgress(job.pk), **job.params)
    except ValidationError as exc:
        _finish(job.pk, state=Job.State.FAILED, error="; ".join(exc.messages))
        return "failed"
    except Exception as exc:
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _finish(
            job.pk,
            state=Job.State.FAILED,
            error=f"The job stopped on an unexpected error ({type(exc).__name__}); "
            "the server log has the details.",
        )
        raise
    _finish(
        job.pk,
        state=Job.State.SUCCEEDED,
        summary=outcome.summary[:500],
        result_url=outcome.result_url,
        output=outcome.output,
        output_name=outcome.output_name,
        output_type=outcome.output_type,
    )
    return "succeeded"


def jobs_prune(*, before: dt.datetime) -> int:
    """Delete the finished jobs (and the files they hold) queued before `before`; queued and
    running jobs are kept whatever their age. Returns how many were deleted."""
    finished = [Job.State.SUCCEEDED, Job.State.FAILED]
    deleted, _ = Job.objects.filter(state__in=finished, created_at__lt=before).delete()
    return deleted


STALE_ERROR = (
    "The task worker stopped while running this job (it was still running hours later); "
    "its writes are all or nothing, so nothing is half-done: queue it again."
)


def jobs_fail_stale(*, started_before: dt.datetime) -> int:
    """Mark as failed the jobs still "running" that started before `started_before`: their
    worker was killed (SIGKILL, a lost host) and will not finish them. Their writes are
    transactions, so there is nothing to undo. Returns how many."""
    return Job.objects.filter(state=Job.State.RUNNING, started_at__lt=started_before).update(
        state=Job.State.FAILED, finished_at=timezone.now(), error=STALE_ERROR
    )
