"""A separate process for the fault tests: seeds, runs a long write with progress lines on
stdout (so that the test can SIGKILL it half-way), or prints row counts as JSON.

    python -m tests.hardening.fault_worker import N | seed-review N | review | count
    python -m tests.hardening.fault_worker seed-checkins N

The database comes from DATABASE_URL, as for the application.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys

import django


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbis.config.settings")
    django.setup()


def members_csv(n: int) -> bytes:
    lines = ["name,category,country,population"]
    lines += [f"Fault City {i:05d},local_government,KR,{1000 + i}" for i in range(n)]
    return ("\n".join(lines) + "\n").encode()


def _progress(stage: str, done: int, total: int) -> None:
    print(f"progress {stage} {done} {total}", flush=True)


def run_import(n: int) -> None:
    from urbis.members.domain.imports import organisations_import

    result = organisations_import(
        actor=None,
        data=members_csv(n),
        format="csv",
        progress=lambda stage, done, total: _progress(stage, done, total),
    )
    print(f"done created={result.created} errors={len(result.errors)}", flush=True)


def seed_review(n: int) -> None:
    from urbis.dues.domain.review import review_flag_record
    from urbis.members.domain import lifecycle_record, organisation_create

    for i in range(n):
        org = organisation_create(
            actor=None, name=f"Review City {i:05d}", category="local_government", country="KR"
        )
        lifecycle_record(actor=None, organisation=org, kind="approved", date=dt.date(2015, 1, 1))
        review_flag_record(
            actor=None, organisation=org, code="ceased_to_exist", noted_on=dt.date(2023, 3, 1)
        )
    print(f"seeded {n}", flush=True)


def run_review() -> None:
    from urbis.dues.domain.review import review_apply
    from urbis.dues.queries.review import review_preview

    preview = review_preview(as_of=dt.date(2023, 9, 1))
    print(f"preview new={len(preview.new)}", flush=True)
    review = review_apply(
        actor=None,
        preview=preview,
        decision_ref="Fault test",
        decided_on=dt.date(2023, 9, 26),
        progress=lambda done, total: _progress("apply", done, total),
    )
    print(f"done applied={len(review.proposals)}", flush=True)


CHECKIN_SLUG = "restart-assembly"


def seed_checkins(n: int) -> None:
    """A meeting with `n` delegates of member local governments, the quorum rule, and a
    signed-in staff session; prints the slug, the delegate ids and the session key as JSON.
    The session is made here because the server under test shares this database and
    SECRET_KEY, so a client can send it as its cookie."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.test import Client

    from urbis.common import roles
    from urbis.governance.models import Delegate, Meeting, QuorumRule
    from urbis.members.models import LifecycleEvent, Organisation

    with transaction.atomic():
        QuorumRule.objects.get_or_create(
            effective_from=dt.date(2010, 1, 1),
            defaults={
                "numerator": 1,
                "denominator": 4,
                "counted_categories": ["local_government"],
                "counted_states": ["member"],
            },
        )
        orgs = Organisation.objects.bulk_create(
            Organisation(
                name=f"Restart City {i:03d}",
                slug=f"restart-city-{i:03d}",
                category="local_government",
                country="KR",
                population=10_000 + i,
            )
            for i in range(n)
        )
        LifecycleEvent.objects.bulk_create(
            LifecycleEvent(organisation=o, kind="approved", date=dt.date(2015, 1, 1)) for o in orgs
        )
        meeting = Meeting.objects.create(
            body="ga",
            slug=CHECKIN_SLUG,
            title="Restart assembly",
            date=dt.date(2023, 9, 26),
            convocation_date=dt.date(2023, 9, 5),
        )
        delegates = Delegate.objects.bulk_create(
            Delegate(meeting=meeting, organisation=o, name=f"Head {o.pk}", position="Mayor")
            for o in orgs
        )
        user = get_user_model().objects.create_user(username="restart-staff")
        user.groups.add(Group.objects.get_or_create(name=roles.STAFF)[0])
    client = Client()
    client.force_login(user)
    print(
        json.dumps(
            {
                "meeting": meeting.slug,
                "delegates": [d.pk for d in delegates],
                "session": client.cookies["sessionid"].value,
            }
        ),
        flush=True,
    )


def count() -> None:
    from urbis.common.models import AuditRecord
    from urbis.dues.models import StatusReview
    from urbis.members.models import LifecycleEvent, Organisation

    print(
        json.dumps(
            {
                "organisations": Organisation.objects.count(),
                "lifecycle_events": LifecycleEvent.objects.count(),
                "status_reviews": StatusReview.objects.count(),
                "audit_records": AuditRecord.objects.count(),
            }
        ),
        flush=True,
    )


def main(argv: list[str]) -> None:
    _setup()
    task = argv[0]
    if task == "import":
        run_import(int(argv[1]))
    elif task == "seed-review":
        seed_review(int(argv[1]))
    elif task == "review":
        run_review()
    elif task == "count":
        count()
    elif task == "seed-checkins":
        seed_checkins(int(argv[1]))
    else:
        raise SystemExit(f"unknown task {task!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
