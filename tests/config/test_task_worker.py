"""The task worker as deployed: `manage.py db_worker` in its own process, production
settings, the database of the web processes. A job queued by one process is run by the
worker and read back by a third."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.config.test_production_server import ROOT, _database_url

QUEUE = """
from tests.factories.index import edition_with_data
from urbis.index.jobs import index_compute_enqueue
from tests.factories.members import UserFactory
from django.contrib.auth.models import Group
from urbis.common import roles
user = UserFactory(username="worker-test-staff")
user.groups.add(Group.objects.get_or_create(name=roles.STAFF)[0])
edition, _, _ = edition_with_data(cities=6, year=2031)
from urbis.common.actor import Actor
job = index_compute_enqueue(
    actor=Actor.for_user(user), edition=edition, runs=40, seed=5, sobol_samples=0
)
print(job.pk)
"""

READ = """
from django_tasks_db.models import DBTaskResult
from urbis.common.models import Job
from urbis.index.models import Computation
job = Job.objects.get()
task = DBTaskResult.objects.get()
runs = Computation.objects.values_list("runs", flat=True).first() or 0
print(job.pk, job.state, job.done, job.total, task.status, runs, sep=",")
"""


@pytest.mark.django_db(transaction=True)
def test_worker_process_runs_a_queued_job_with_production_settings(tmp_path):
    env = {
        **os.environ,
        "URBIS_ENV": "production",
        "SECRET_KEY": "production-test-secret-" + "w" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "URBIS_VAR_DIR": str(tmp_path),
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
    }
    env["DATABASE_URL"] = _database_url(tmp_path, env)

    def manage(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""

    job_id = manage("shell", "-v", "0", "-c", QUEUE)
    assert manage("shell", "-v", "0", "-c", READ) == f"{job_id},queued,0,0,READY,0"
    manage("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert manage("shell", "-v", "0", "-c", READ) == f"{job_id},succeeded,40,40,SUCCESSFUL,40"
