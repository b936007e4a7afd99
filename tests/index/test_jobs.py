"""An edition's computation as a background job: queued from the page or the API with its
parameters checked at once, run by the worker with the Monte Carlo progress on the job."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories.index import edition_with_data
from urbis.common.models import Job
from urbis.index.models import Computation

pytestmark = pytest.mark.django_db


def test_secretariat_queues_a_computation_and_the_worker_runs_it(client, staff_user, run_jobs):
    edition, _, _ = edition_with_data(cities=8)
    client.force_login(staff_user)
    page = client.get(reverse("index:ranking", args=[edition.year])).content.decode()
    assert "Queue the computation" in page and "This edition has not been computed yet." in page
    response = client.post(
        reverse("index:compute", args=[edition.year]),
        {"runs": "120", "seed": "7", "sobol_samples": "0"},
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("common:job_detail", args=[job.pk])
    assert job.params == {"year": edition.year, "runs": 120, "seed": 7, "sobol_samples": 0}
    assert not Computation.objects.exists()
    assert run_jobs() == 1
    job.refresh_from_db()
    computation = Computation.objects.get()
    assert (computation.runs, computation.seed, computation.computed_by) == (120, 7, staff_user)
    assert (job.state, job.stage, job.done, job.total) == (
        "succeeded",
        f"Monte Carlo runs, edition {edition.year}",
        120,
        120,
    )
    assert job.summary == f"{edition} (SYNTHETIC data): 8 cities, 120 runs, seed 7."
    assert job.result_url == reverse("index:ranking", args=[edition.year])


def test_bad_parameters_are_refused_before_anything_is_queued(client, staff_user):
    edition, _, _ = edition_with_data(cities=5)
    client.force_login(staff_user)
    response = client.post(
        f"/api/v1/index/editions/{edition.year}/computations",
        {"runs": 0, "sobol_samples": 5000, "seed": -1},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["errors"] == {
        "runs": ["Between 1 and 100,000 Monte Carlo runs, not 0."],
        "sobol_samples": ["Between 0 and 4096 samples, not 5000."],
        "seed": ["A seed between 0 and 4294967295, not -1."],
    }
    page = client.post(
        reverse("index:compute", args=[edition.year]),
        {"runs": "0", "seed": "1", "sobol_samples": "0"},
        follow=True,
    )
    assert "Between 1 and 100,000 Monte Carlo runs, not 0." in page.content.decode()
    assert not Job.objects.exists()


def test_only_the_secretariat_computes(client, focal_point):
    edition, _, _ = edition_with_data(cities=5)
    client.force_login(focal_point[0])
    api = client.post(
        f"/api/v1/index/editions/{edition.year}/computations", {}, content_type="application/json"
    )
    assert api.status_code == 403
    assert client.post(reverse("index:compute", args=[edition.year]), {}).status_code == 403
    assert not Job.objects.exists()


def test_api_computation_reports_progress_through_the_job(client, staff_user, run_jobs):
    edition, _, _ = edition_with_data(cities=6)
    client.force_login(staff_user)
    response = client.post(
        f"/api/v1/index/editions/{edition.year}/computations",
        {"runs": 50, "seed": 3, "sobol_samples": 0},
        content_type="application/json",
    )
    assert response.status_code == 202
    job_id = response.json()["id"]
    run_jobs()
    job = client.get(f"/api/v1/jobs/{job_id}").json()
    assert (job["state"], job["done"], job["total"]) == ("succeeded", 50, 50)
    ranking = client.get(f"/api/v1/index/editions/{edition.year}/ranking").json()
    assert (ranking["runs"], ranking["seed"], len(ranking["results"])) == (50, 3, 6)
