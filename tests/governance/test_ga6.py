"""The 6th General Assembly loaded from the governance data file onto a factory-built
registry: quorum, offices, decisions and the memorandum carry the seed's facts."""

import datetime as dt

import pytest
from django.urls import reverse

from tests.factories.governance import ga6_registry
from urbis.common.models import AuditRecord
from urbis.common.pdf import pdf_text
from urbis.demo.loaders import governance as loader
from urbis.demo.loaders.context import LoadContext
from urbis.governance import queries
from urbis.governance.models import Decision, Meeting, OfficeTerm

pytestmark = pytest.mark.django_db

EXCOM_14 = [
    "Abu Dhabi",
    "Abuja",
    "Almaty",
    "Chengdu",
    "Cuenca",
    "Hebron",
    "Kampala",
    "Makati",
    "Maputo",
    "Ramgram Municipality",
    "Seberang Perai",
    "Seoul",
    "São Paulo",
    "Wellington",
]


@pytest.fixture
def ga6(db):
    ga6_registry()
    summary = loader.load(LoadContext())
    return Meeting.objects.get(slug="ga-6"), summary


def test_quorum_of_the_6th_ga(ga6):
    meeting, _ = ga6
    q = queries.quorum_for(meeting)
    assert (q.present, q.eligible, q.required, q.met) == (45, 163, 41, True)
    assert q.population == 130_996_081


def test_every_decision_recorded_its_quorum(ga6):
    meeting, _ = ga6
    decisions = Decision.objects.filter(agenda_item__meeting=meeting).order_by(
        "agenda_item__number"
    )
    assert [d.result for d in decisions] == ["adopted"] * 8
    assert {
        (d.quorum_present, d.quorum_eligible, d.quorum_required, d.quorum_met) for d in decisions
    } == {(45, 163, 41, True)}


def test_excom_2023_had_its_12_members(ga6):
    excom = Meeting.objects.get(slug="excom-2023")
    q = queries.quorum_for(excom)
    assert (q.present, q.eligible, q.required, q.met) == (12, 12, 3, True)


def test_officers_after_the_6th_ga(ga6):
    on = dt.date(2024, 1, 15)
    assert queries.holder_on("president_city", on).organisation.name == "Seoul"
    evp = queries.holder_on("evp_city", on)
    assert evp.organisation.name == "Almaty" and "11(4)" in evp.basis
    vps = [t.organisation.name for t in queries.terms_on(on, kind="vp_city")]
    assert vps == ["Kampala", "São Paulo"]
    excom = sorted(t.organisation.name for t in queries.terms_on(on, kind="excom_member"))
    assert excom == sorted(EXCOM_14)
    assert queries.holder_on("secretary_general", on).person_name == "Jung Sook Park"
    regional = [t.organisation.name for t in queries.terms_on(on, kind="regional_office")]
    assert sorted(regional) == ["Abu Dhabi", "Abuja", "Almaty", "Beyoğlu", "Chengdu", "Cuenca"]
    assert [t.organisation.name for t in queries.terms_on(dt.date(2022, 6, 1), kind="vp_city")] == [
        "Seberang Perai"
    ]


def test_amendments_in_force(ga6):
    assert "profit-making businesses" in queries.article_text_on(4, dt.date(2023, 10, 1)).text
    assert "profit-making" not in queries.article_text_on(4, dt.date(2023, 9, 25)).text
    assert "surplus" in queries.article_text_on(19, dt.date(2024, 1, 1)).text


def test_attendance_groups_as_in_the_memorandum(ga6):
    meeting, _ = ga6
    groups = queries.attendance_groups(queries.attendance_rows(meeting))
    assert [(g.key, len(g.rows)) for g in groups] == [
        ("q-on-m", 15),
        ("q-online-m", 2),
        ("q-on-n", 20),
        ("q-online-n", 8),
        ("n-on", 3),
        ("n-online", 2),
    ]
    first, last = groups[0].rows[0], groups[-1].rows[-1]
    assert (first[0], first[1].organisation.name) == (1, "Abu Dhabi")
    assert (last[0], last[1].organisation.name) == (50, "Vueron Technology Co., Ltd")
    third = [row.organisation.name for _, row in groups[2].rows]
    assert third.index("São Paulo") + 1 == third.index("Sejong City")


def test_memorandum_html(ga6, client):
    meeting, _ = ga6
    response = client.get(reverse("governance:memorandum", args=[meeting.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Total Population Represented: 130,996,081" in html
    assert "45 local governments, 5 corporations" in html
    assert "= 41" in html and "163 members" in html
    assert html.count("Outcome: Adopted") == 8
    assert "Next General Assembly: the 7th, hosted by Almaty (selected under agenda 8)." in html


def test_memorandum_pdf_text(ga6, client):
    meeting, _ = ga6
    response = client.get(reverse("governance:memorandum_pdf", args=[meeting.slug]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content).split())
    assert "Total Population Represented: 130,996,081" in text
    assert "Hong-seok Koo" in text
    for heading in (
        "On-site attendance (mayoral level)",
        "Online participation (mayoral level)",
        "On-site attendance (non-mayoral level, from quorum members)",
        "Online participation (non-mayoral level, from quorum members)",
        "On-site attendance (from non-quorum members)",
        "Online participation (from non-quorum members)",
    ):
        assert heading in text
    assert text.count("Outcome: Adopted") == 8
    excom = Meeting.objects.get(slug="ga-6").items.get(number=7).candidates.all()
    labels = [c.label for c in excom]
    assert len(labels) == 14
    for label in labels:
        assert f"{label} — elected" in text
    for officer in (
        "President City Seoul",
        "Executive Vice President City Almaty",
        "Vice President City Kampala",
        "Vice President City São Paulo",
        "Secretary General Jung Sook Park",
    ):
        assert officer in text
    assert "Art. 11(4)" in text or "11(4)" in text


def test_loading_twice_changes_nothing(ga6):
    before = (AuditRecord.objects.count(), OfficeTerm.objects.count(), Decision.objects.count())
    summary = loader.load(LoadContext())
    assert "0 new decisions" in summary
    assert (
        AuditRecord.objects.count(),
        OfficeTerm.objects.count(),
        Decision.objects.count(),
    ) == before


def test_unknown_organisation_is_named_with_its_line(db, tmp_path):
    (tmp_path / "governance.yaml").write_text(
        "offices:\n  - kind: vp_city\n    organisation: Atlantis\n    start: 2020-01-01\n"
    )
    from urbis.demo.yamlio import DataErrors

    with pytest.raises(
        DataErrors, match=r"governance.yaml:2: organisation: no organisation named 'Atlantis'"
    ):
        loader.load(LoadContext(data_dir=tmp_path))


def test_checking_out_on_the_concluded_2023_assembly_changes_nothing(ga6, client, staff_user):
    """One click on "Check out" on the 2023 Assembly used to delete its register entry and
    change its published memorandum (44 attendees while it said 45 present)."""
    meeting, _ = ga6
    url = reverse("governance:memorandum", args=[meeting.slug])

    def memorandum_text() -> str:  # the page's footer holds a form with its own CSRF token
        return (
            client.get(url).content.decode().split("<h1>Meeting Memorandum")[1].split("<footer")[0]
        )

    before = memorandum_text()
    delegate = meeting.delegates.filter(check_in__isnull=False).first()
    client.force_login(staff_user)
    response = client.post(
        reverse("governance:check_in", args=[meeting.slug, delegate.pk]), {"action": "out"}
    )
    assert response.status_code == 302
    response = client.post(
        f"/api/v1/governance/meetings/{meeting.slug}/delegates/{delegate.pk}/check-out"
    )
    assert response.status_code == 409
    client.logout()
    assert memorandum_text() == before
    q = queries.quorum_for(meeting)
    assert (q.present, q.eligible, q.required, q.met) == (45, 163, 41, True)
    assert meeting.check_ins.count() == 50
