import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories.dues import PaymentFactory
from tests.factories.members import LifecycleEventFactory, member_since
from urbis.dues.models import StatusReview
from urbis.members.models import LifecycleEvent

pytestmark = pytest.mark.django_db
D = dt.date


def test_review_command_prints_a_table_and_writes_nothing(capsys):
    quiet = member_since(D(2015, 1, 1), name="Quiet")
    PaymentFactory(organisation=quiet, received_on=D(2019, 4, 2))
    call_command("review", as_of="2023-09-01")
    out = capsys.readouterr().out
    assert "Status review as of 2023-09-01" in out
    assert "Quiet" in out and "2019-04-02" in out
    assert "1 new proposal(s), 0 already recorded" in out
    assert not LifecycleEvent.objects.filter(kind="suspended").exists()


def test_review_command_applies_under_a_decision(capsys):
    member_since(D(2015, 1, 1), name="Quiet")
    member_since(D(2015, 1, 1), name="Also quiet")
    call_command(
        "review", as_of="2023-09-01", apply=True, decision="6th GA, agenda 2",
        decided_on="2023-09-26", only=["Quiet"],
    )  # fmt: skip
    assert "Applied 1 transition(s)" in capsys.readouterr().out
    event = LifecycleEvent.objects.get(kind="suspended")
    assert (event.organisation.name, event.date) == ("Quiet", D(2023, 9, 26))
    call_command("review", as_of="2023-09-01")
    assert "1 new proposal(s), 1 already recorded" in capsys.readouterr().out


def test_review_command_without_decision_writes_nothing():
    member_since(D(2015, 1, 1), name="Quiet")
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("review", as_of="2023-09-01", apply=True)
    assert not StatusReview.objects.exists()


def test_review_command_rejects_a_bad_date():
    with pytest.raises(CommandError, match="'2023-13-01' is not a date"):
        call_command("review", as_of="2023-13-01")


def test_withdrawn_members_are_not_reviewed(capsys):
    gone = member_since(D(2015, 1, 1), name="Gone")
    LifecycleEventFactory(organisation=gone, kind="withdrawn", date=D(2020, 1, 1))
    call_command("review", as_of="2023-09-01")
    assert "0 new proposal(s)" in capsys.readouterr().out
