"""Long jobs: queued with their task in one transaction, run once by the worker, progress
and outcome stored on the job's row, visible to the secretariat and to whoever asked."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from urbis.common import jobs
from urbis.common.models import AuditRecord, Job

pytestmark = pytest.mark.django_db

CALLS: list[dict] = []


@jobs.job_runner("tests.echo")
def echo(*, job, progress, words: list[str], fail: str = "") -> jobs.JobOutcome:
    CALLS.append({"job": job.pk, "words": words})
    progress.stage("Echoing", total=len(words))
    for n, _ in enumerate(words, start=1):
        progress.update(n)
    if fail == "refusal":
        raise ValidationError("The words are not welcome.")
    if fail == "crash":
        raise ZeroDivisionError("boom")
    text = " ".join(words).encode()
    return jobs.JobOutcome(
        summary=f"{len(words)} words", result_url="/somewhere/", output=text,
        output_name="echo.txt", output_type="text/plain",
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _reset_calls():
    CALLS.clear()


def test_enqueue_writes_the_job_its_task_and_an_audit_record(staff_user):
    job = jobs.job_enqueue(
        actor=staff_user, kind="tests.echo", title="Echo", params={"words": ["a", "b"]}
    )
    task = DBTaskResult.objects.get()
    assert (job.state, job.requested_by, job.done, job.total) == ("queued", staff_user, 0, 0)
    assert task.task_path == "urbis.common.jobs.job_run"
    assert task.args_kwargs == {"args": [], "kwargs": {"job_id": str(job.pk)}}
    record = AuditRecord.objects.get(action="job.enqueue")
    assert (record.target_id, record.after) == (
        str(job.pk),
        {"kind": "tests.echo", "words": ["a", "b"]},
    )
    assert CALLS == []  # nothing runs before the worker


def test_unknown_kind_is_refused_and_nothing_is_written(staff_user):
    with pytest.raises(ValueError, match="No runner for the job kind 'nope'"):
        jobs.job_enqueue(actor=staff_user, kind="nope", title="x", params={})
    assert not Job.objects.exists() and not DBTaskResult.objects.exists()


def test_worker_runs_the_job_once_and_stores_its_outcome(staff_user, run_jobs):
    job = jobs.job_enqueue(
        actor=staff_user, kind="tests.echo", title="Echo", params={"words": ["x", "y", "z"]}
    )
    assert run_jobs() == 1
    job.refresh_from_db()
    assert (job.state, job.stage, job.done, job.total) == ("succeeded", "Echoing", 3, 3)
    assert (job.summary, job.result_url, bytes(job.output)) == ("3 words", "/somewhere/", b"x y z")
    assert job.started_at <= job.finished_at
    assert [{"job": job.pk, "words": ["x", "y", "z"]}] == CALLS
    # A task delivered a second time finds the job no longer queued and does nothing.
    assert jobs.job_run.call(job_id=str(job.pk)) == "not queued"
    assert len(CALLS) == 1


def test_a_refusal_fails_the_job_with_its_message(staff_user, run_jobs):
    job = jobs.job_enqueue(
        actor=staff_user,
        kind="tests.echo",
        title="Echo",
        params={"words": ["a"], "fail": "refusal"},
    )
    run_jobs()
    job.refresh_from_db()
    assert (job.state, job.error, job.output) == ("failed", "The words are not welcome.", None)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"  # the task itself ran to its end


def test_a_crash_fails_the_job_and_the_task(staff_user, run_jobs):
    job = jobs.job_enqueue(
        actor=staff_user, kind="tests.echo", title="Echo", params={"words": ["a"], "fail": "crash"}
    )
    run_jobs()
    job.refresh_from_db()
    assert job.state == "failed"
    assert job.error == (
        "The job stopped on an unexpected error (ZeroDivisionError); "
        "the server log has the details."
    )
    task = DBTaskResult.objects.get()
    assert (task.status, task.exception_class_path) == ("FAILED", "builtins.ZeroDivisionError")


def test_progress_is_written_at_most_every_interval_but_always_at_the_end(staff_user):
    job = Job.objects.create(kind="tests.echo", title="Echo")
    progress = jobs.JobProgress(job.pk, interval=3600)
    progress.stage("Counting", total=10)
    progress.update(4)  # within the interval: not written
    job.refresh_from_db()
    assert (job.stage, job.done, job.total) == ("Counting", 0, 10)
    progress.update(10)  # the last step is always written
    job.refresh_from_db()
    assert job.done == 10
    progress.stage("Next", total=5, done=2)
    job.refresh_from_db()
    assert (job.stage, job.done, job.total, job.percent) == ("Next", 2, 5, 40)


def _echo_job(user, **params):
    return jobs.job_enqueue(
        actor=user, kind="tests.echo", title="Echo job", params={"words": ["hi"], **params}
    )


def test_job_page_follows_progress_then_offers_the_file(client, staff_user, run_jobs):
    job = _echo_job(staff_user)
    client.force_login(staff_user)
    page = client.get(reverse("common:job_detail", args=[job.pk])).content.decode()
    assert "Waiting for the task worker" in page and 'hx-trigger="every 1s"' in page
    run_jobs()
    card = client.get(reverse("common:job_detail", args=[job.pk]), HTTP_HX_REQUEST="true")
    body = card.content.decode()
    assert "<html" not in body and "hx-trigger" not in body  # finished: no more polling
    assert "1 words" in body
    download = client.get(reverse("common:job_download", args=[job.pk]))
    assert download.content == b"hi"
    assert download["Content-Disposition"] == 'attachment; filename="echo.txt"'


def test_jobs_are_seen_by_the_secretariat_and_by_whoever_asked(
    client, staff_user, focal_point, run_jobs
):
    user = focal_point[0]
    own = _echo_job(user)
    other = _echo_job(staff_user)
    run_jobs()
    client.force_login(user)
    listing = client.get(reverse("common:job_list")).content.decode()
    assert str(own.pk) in listing and str(other.pk) not in listing
    assert client.get(reverse("common:job_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("common:job_download", args=[other.pk])).status_code == 404
    assert client.get(f"/api/v1/jobs/{other.pk}").status_code == 404
    assert client.get(f"/api/v1/jobs/{own.pk}").json()["state"] == "succeeded"
    client.force_login(staff_user)
    listing = client.get(reverse("common:job_list")).content.decode()
    assert str(own.pk) in listing and str(other.pk) in listing


def test_job_list_filters_paginates_and_says_when_empty(
    client, staff_user, django_assert_max_num_queries
):
    client.force_login(staff_user, backend="urbis.common.auth.RoleLoadingBackend")
    assert "No job yet." in client.get(reverse("common:job_list")).content.decode()
    for _ in range(30):
        _echo_job(staff_user)
    with django_assert_max_num_queries(5):
        page = client.get(reverse("common:job_list")).content.decode()
    assert "<strong>30</strong> jobs" in page and "Page 1 of 2" in page
    assert (
        "No job in the state “failed” yet."
        in client.get(reverse("common:job_list") + "?state=failed").content.decode()
    )


def test_api_lists_and_shows_jobs_with_their_download(client, staff_user, run_jobs):
    job = _echo_job(staff_user)
    client.force_login(staff_user)
    queued = client.get(f"/api/v1/jobs/{job.pk}").json()
    assert (queued["state"], queued["download_url"]) == ("queued", None)
    run_jobs()
    listed = client.get("/api/v1/jobs?state=succeeded").json()
    assert listed["count"] == 1
    item = listed["items"][0]
    assert (item["id"], item["summary"], item["done"], item["total"]) == (
        str(job.pk),
        "1 words",
        1,
        1,
    )
    assert item["page_url"] == reverse("common:job_detail", args=[job.pk])
    assert client.get(item["download_url"]).content == b"hi"
    assert client.get("/api/v1/jobs?state=bogus").status_code == 422


def test_anonymous_sees_no_job(client, staff_user):
    job = _echo_job(staff_user)
    assert client.get(f"/api/v1/jobs/{job.pk}").status_code == 401
    assert client.get(reverse("common:job_detail", args=[job.pk])).status_code == 302


def test_prune_forgets_old_finished_jobs_only(staff_user):
    old = timezone.now() - dt.timedelta(days=40)
    kept_running = Job.objects.create(kind="tests.echo", title="r", state="running")
    kept_recent = Job.objects.create(kind="tests.echo", title="n", state="succeeded")
    gone = [
        Job.objects.create(kind="tests.echo", title=s, state=s) for s in ("succeeded", "failed")
    ]
    Job.objects.filter(pk__in=[kept_running.pk, *(j.pk for j in gone)]).update(created_at=old)
    out = io.StringIO()
    call_command("prune_jobs", "--min-age-days", "30", stdout=out)
    assert out.getvalue() == (
        "Failed 0 job(s) running for more than 6 hour(s); "
        "deleted 2 finished job(s) older than 30 day(s).\n"
    )
    assert set(Job.objects.values_list("pk", flat=True)) == {kept_running.pk, kept_recent.pk}
    with pytest.raises(CommandError, match=r"--min-age-days: a number of days, 0 or more\."):
        call_command("prune_jobs", "--min-age-days", "-1")


def test_jobs_a_killed_worker_left_running_are_failed_after_the_stale_limit(staff_user):
    now = timezone.now()
    stale = Job.objects.create(
        kind="tests.echo", title="s", state="running", started_at=now - dt.timedelta(hours=7)
    )
    fresh = Job.objects.create(
        kind="tests.echo", title="f", state="running", started_at=now - dt.timedelta(hours=5)
    )
    out = io.StringIO()
    call_command("prune_jobs", "--stale-hours", "6", stdout=out)
    assert out.getvalue().startswith("Failed 1 job(s) running for more than 6 hour(s); ")
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.state, stale.error, fresh.state) == ("failed", jobs.STALE_ERROR, "running")
    assert stale.finished_at is not None
    with pytest.raises(CommandError, match=r"--stale-hours: a number of hours, 1 or more\."):
        call_command("prune_jobs", "--stale-hours", "0")
