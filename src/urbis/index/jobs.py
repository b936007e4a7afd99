"""An edition's computation as a background job: the Monte Carlo runs report their progress
to the job's page (see `urbis.common.jobs`); the command line shows the same progress with
`urbis index compute`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from urbis.common.actor import Actor
from urbis.common.jobs import JobOutcome, JobProgress, job_enqueue, job_runner
from urbis.common.models import Job
from urbis.index import domain
from urbis.index.models import Edition

# Bounds a request from the web may ask for (the command line is not bounded).
MAX_RUNS = 100_000
MAX_SOBOL_SAMPLES = 4096


@job_runner("index.compute")
def index_compute_job(
    *, job: Job, progress: JobProgress, year: int, runs: int, seed: int, sobol_samples: int
) -> JobOutcome:
    edition = Edition.objects.filter(year=year).first()
    if edition is None:
        raise ValidationError(f"There is no index edition {year}.")
    progress.stage(f"Monte Carlo runs, edition {year}", total=runs)
    computation = domain.index_compute(
        edition=edition,
        actor=(
            Actor.for_user(job.requested_by)
            if job.requested_by is not None
            else Actor.system("task worker")
        ),
        runs=runs,
        seed=seed,
        sobol_samples=sobol_samples,
        progress=progress.update,
    )
    label = " (SYNTHETIC data)" if computation.synthetic else ""
    cities = computation.results.count()  # type: ignore[attr-defined]
    return JobOutcome(
        summary=f"{edition}{label}: {cities} cities, {runs} runs, seed {seed}.",
        result_url=reverse("index:ranking", args=[year]),
    )


def index_compute_enqueue(
    *, actor: Actor, edition: Edition, runs: int = 1000, seed: int = 2023, sobol_samples: int = 256
) -> Job:
    """Queue a computation of an edition for an actor the edge has let compute (the rule
    `index.compute`); the parameters are checked now, so a bad request is answered at once
    rather than by a failed job, which runs as the user who asked for it."""
    errors = {}
    if not 1 <= runs <= MAX_RUNS:
        errors["runs"] = f"Between 1 and {MAX_RUNS:,} Monte Carlo runs, not {runs}."
    if not 0 <= sobol_samples <= MAX_SOBOL_SAMPLES:
        errors["sobol_samples"] = f"Between 0 and {MAX_SOBOL_SAMPLES} samples, not {sobol_samples}."
    if not 0 <= seed < 2**32:
        errors["seed"] = f"A seed between 0 and {2**32 - 1}, not {seed}."
    if errors:
        raise ValidationError(errors)
    return job_enqueue(
        actor=actor.user,
        kind="index.compute",
        title=f"Index computation: {edition} ({runs:,} runs)",
        params={"year": edition.year, "runs": runs, "seed": seed, "sobol_samples": sobol_samples},
    )
