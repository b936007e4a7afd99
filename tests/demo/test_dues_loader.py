"""The illustrative dues history makes the review reach the memorandum's Annex 1 outcome."""

import datetime as dt
import shutil

import pytest

from tests.factories.dues import INACTIVE, SUSPENDED, TERMINATED
from tests.factories.members import LifecycleEventFactory, member_since
from urbis.demo.loaders import dues as loader
from urbis.demo.loaders.context import DATA_DIR, LoadContext
from urbis.demo.yamlio import DataErrors
from urbis.dues.models import Invoice, Payment, ReviewFlag
from urbis.dues.queries.review import review_preview
from urbis.members.models import Organisation

pytestmark = pytest.mark.django_db


def normalise(reason: str) -> str:
    """The network's name is not part of urbis's wording; the two 'no longer exist' entries
    share one sentence in the memorandum."""
    reason = reason.replace("WeGO ", "")
    return "The entity does not exist anymore." if "do not exist" in reason else reason


@pytest.fixture
def registry():
    for name, country in SUSPENDED.items():
        member_since(dt.date(2016, 5, 1), name=name, country=country)
    for name in TERMINATED:
        member_since(
            dt.date(2018, 3, 1), name=name, category="corporation", corporate_category="sme"
        )
    seads = Organisation.objects.get(name="SEADS")
    LifecycleEventFactory(organisation=seads, kind="withdrawal_announced", date=dt.date(2023, 3, 2))
    # active members whose history is the file's `others` rule, and a recent member
    member_since(dt.date(2012, 1, 1), name="Seoul", country="KR")
    member_since(dt.date(2014, 1, 1), name="Kampala", country="UG")
    member_since(dt.date(2023, 7, 20), name="Bishkek", country="KG", category="local_government")


def test_review_reproduces_the_memorandum_from_the_history(registry):
    loader.load(LoadContext())
    preview = review_preview(as_of=dt.date(2023, 9, 1))
    got = {(p.name, p.propose.value, p.reason) for p in preview.new}
    expected = {
        (n, "suspended", normalise(INACTIVE.format("more than 3 years"))) for n in SUSPENDED
    } | {(n, "terminated", normalise(r)) for n, r in TERMINATED.items()}
    assert got == expected
    assert len([g for g in got if g[1] == "suspended"]) == 22
    assert len([g for g in got if g[1] == "terminated"]) == 20


def test_history_is_marked_illustrative_and_loading_twice_changes_nothing(registry):
    summary = loader.load(LoadContext())
    assert summary.startswith("dues (illustrative history): 3 fee schedules")
    counts = (Invoice.objects.count(), Payment.objects.count(), ReviewFlag.objects.count())
    assert counts[0] > 0 and counts[1] > 0 and counts[2] == 2
    assert not Invoice.objects.filter(illustrative=False).exists()
    assert not Payment.objects.filter(illustrative=False).exists()
    loader.load(LoadContext())
    assert (Invoice.objects.count(), Payment.objects.count(), ReviewFlag.objects.count()) == counts


def test_unknown_name_is_reported_with_file_and_line(registry, tmp_path):
    shutil.copy(DATA_DIR / "dues.yaml", tmp_path / "dues.yaml")
    text = (tmp_path / "dues.yaml").read_text()
    (tmp_path / "dues.yaml").write_text(text.replace("name: Gassol", "name: Gasol", 1))
    line = text.splitlines().index("  - name: Gassol") + 1
    with pytest.raises(DataErrors) as exc:
        loader.load(LoadContext(data_dir=tmp_path))
    assert str(exc.value) == f"dues.yaml:{line}: name: unknown organisation 'Gasol'"
    assert not Payment.objects.exists()


def test_recorded_decisions_of_the_assembly_leave_nothing_new(registry):
    loader.load(LoadContext())
    for name in SUSPENDED:
        LifecycleEventFactory(
            organisation=Organisation.objects.get(name=name), kind="suspended",
            date=dt.date(2023, 9, 26), decision_ref="6th GA, agenda 2",
        )  # fmt: skip
    for name in TERMINATED:
        LifecycleEventFactory(
            organisation=Organisation.objects.get(name=name), kind="terminated",
            date=dt.date(2023, 9, 26), decision_ref="6th GA, agenda 2",
        )  # fmt: skip
    preview = review_preview(as_of=dt.date(2023, 9, 1))
    assert preview.new == []
    assert len(preview.already_recorded) == 42
    assert {i.recorded.decision_ref for i in preview.already_recorded} == {"6th GA, agenda 2"}
    assert review_preview(as_of=dt.date(2023, 9, 26)).items == []


def test_a_member_joining_in_2023_pays_only_after_it_joined(registry):
    loader.load(LoadContext())
    bishkek = Organisation.objects.get(name="Bishkek")
    assert not Payment.objects.filter(organisation=bishkek).exists()
    seoul = Organisation.objects.get(name="Seoul")
    assert Payment.objects.filter(organisation=seoul).count() == 3
