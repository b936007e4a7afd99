"""The 2023 demo edition: the seed's finalists, winners and special mentions."""

import pytest
from django.urls import reverse

from tests.factories.members import OrganisationFactory
from urbis.common.pdf import pdf_text
from urbis.demo.loaders import prize as prize_loader
from urbis.demo.loaders.context import LoadContext
from urbis.prize import queries
from urbis.prize.models import Application, Award, Edition, Round, Score

pytestmark = pytest.mark.django_db

WINNERS = {
    "Tech-InnovaCity Gold": ["Wellington"],
    "Tech-InnovaCity Silver": ["Los Angeles", "Madrid"],
    "Tech-InnovaCity Bronze": ["Abuja", "Almaty", "Penang Island"],
    "Tech-InnovaCity Corporation": ["Majal Berkane SA"],
    "Tech-InnovaCity Institution": ["Agencia Digital de Innovación Pública (ADIP)"],
    "Human-CentriCity Gold": ["Odense"],
    "Human-CentriCity Silver": ["Dublin", "Manila City"],
    "Human-CentriCity Bronze": [
        "Da Nang",
        "Ministry for Digitalisation & Government IT Center (Luxembourg)",
        "São Paulo",
    ],
    "Human-CentriCity Corporation": ["One Smile Foundation"],
    "Human-CentriCity Institution": [
        "Korea Institute of Civil Engineering and Building Technology (KICT)"
    ],
    "Leadership Prize": ["Uğur İbrahim Altay", "Sheikh Fazle Noor Taposh"],
    "Special Mention with Global Green Growth Institute": ["Kaohsiung"],
    "Special Mention by International Institute for Management Development": [
        "Abu Dhabi",
        "Madinah",
    ],
}


@pytest.fixture
def demo(db):
    OrganisationFactory(name="Wellington", country="NZ")
    summary = prize_loader.load(LoadContext())
    return Edition.objects.get(year=2023), summary


def _awards(edition):
    out = {}
    for award in (
        Award.objects.filter(kind__edition=edition)
        .select_related("kind", "application")
        .order_by("kind__sort_order", "position")
    ):
        out.setdefault(award.kind.name, []).append(award.application.applicant_name)
    return out


def test_demo_has_the_seeds_21_finalists_and_winners(demo):
    edition, summary = demo
    assert Application.objects.filter(edition=edition, finalist=True).count() == 21
    assert _awards(edition) == WINNERS
    assert "21 finalists (1 linked to the registry)" in summary
    assert Application.objects.get(applicant_name="Wellington").organisation.name == "Wellington"
    assert set(Round.objects.filter(edition=edition).values_list("status", flat=True)) == {"closed"}


def test_loading_twice_changes_nothing(demo):
    _edition, _ = demo
    before = (Application.objects.count(), Score.objects.count(), Award.objects.count())
    summary = prize_loader.load(LoadContext())
    assert (Application.objects.count(), Score.objects.count(), Award.objects.count()) == before
    assert summary.endswith("0 synthetic scores written")


def test_synthetic_scores_reproduce_the_seeds_awards(demo):
    edition, _ = demo
    seed = {
        a.kind.code: [] for a in Award.objects.filter(kind__edition=edition).select_related("kind")
    }
    for a in Award.objects.filter(kind__edition=edition).order_by("kind", "position"):
        seed[a.kind.code].append(a.application_id)
    computed = queries.award_allocation(edition)
    assert computed == {k: v for k, v in seed.items() if not k.startswith("special")}


def test_results_page_shows_winners_per_category_and_special_mentions(client, demo):
    _edition, _ = demo
    response = client.get(reverse("prize:results", args=[2023]))
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("Tech-InnovaCity", "Human-CentriCity", "Leadership", "Special mentions"):
        assert f"<h2>{title}</h2>" in html
    for names in WINNERS.values():
        for name in names:
            assert name.replace("&", "&amp;") in html
    assert "Wellington Climate Change Adaptation Digital Twin" in html
    assert "synthetic" in html
    assert "M. Jae Moon" in html  # organizing committee


def test_certificate_pdf(client, demo):
    _edition, _ = demo
    award = Award.objects.get(kind__code="tech-gold")
    response = client.get(reverse("prize:certificate", args=[2023, award.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Tech-InnovaCity Gold" in text
    assert "Wellington" in text
    assert "Seoul Smart City Prize 2023" in text


def test_run_sheet_pdf_lists_awards_with_presenters(client, demo, staff_user):
    client.force_login(staff_user)
    response = client.get(reverse("prize:run_sheet", args=[2023]), {"format": "pdf"})
    text = " ".join(pdf_text(response.content).split())
    assert "Human-CentriCity Gold" in text
    assert "Se-hoon Oh" in text
    assert "Bruno Lanvin" in text
    assert "Frank Rijsberman" in text
    assert text.index("Human-CentriCity Gold") < text.index("Tech-InnovaCity Gold")


def test_final_round_agreement_and_sensitivity(demo, client, staff_user):
    edition, _ = demo
    final = edition.rounds.get(number=3)
    table = queries.agreement_table(final)
    assert set(table) == {
        "problem",
        "design",
        "implementation",
        "monitoring",
        "impact",
        "inclusiveness",
    }
    assert all(v is not None and -1 <= v <= 1 for v in table.values())
    client.force_login(staff_user)
    response = client.get(reverse("prize:round", args=[2023, 3]))
    assert response.status_code == 200
    assert b"Synthetic scores" in response.content
    assert b"calibrated" in response.content


def test_bad_file_names_line_and_field(tmp_path):
    text = (prize_loader.LoadContext().data_dir / "prize.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "    category: leadership\n    kind: individual\n    applicant: Uğur",
        "    category: tech-innovacity\n    kind: individual\n    applicant: Uğur",
        1,
    )
    (tmp_path / "prize.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(prize_loader.DataErrors) as exc:
        prize_loader.load(LoadContext(data_dir=tmp_path))
    assert len(exc.value.errors) == 1
    message = str(exc.value.errors[0])
    assert message.startswith("prize.yaml:")
    assert message.endswith("kind: Tech-InnovaCity does not admit a individual")
    assert not Edition.objects.exists()


def test_staff_switches_the_editions_aggregation(demo, client, staff_user, excom_user):
    edition, _ = demo
    url = reverse("prize:round", args=[2023, 3])
    client.force_login(excom_user)
    assert client.get(url).status_code == 200
    client.post(url, {"aggregation": "median"})
    assert Edition.objects.get(pk=edition.pk).aggregation == "calibrated"
    client.force_login(staff_user)
    client.post(url, {"aggregation": "median"})
    assert Edition.objects.get(pk=edition.pk).aggregation == "median"
    client.post(url, {"aggregation": "mode"})
    assert Edition.objects.get(pk=edition.pk).aggregation == "median"


def test_sensitivity_ranks_every_finalist_under_each_aggregation(demo):
    edition, _ = demo
    view = queries.sensitivity(edition.rounds.get(number=3))
    assert view["methods"] == ["mean", "median", "trimmed", "calibrated"]
    assert len(view["rows"]) == 21
    top = next(r for r in view["rows"] if r["category"] == "tech-innovacity")
    assert top["application"].applicant_name == "Wellington"
    assert top["ranks"] == {"mean": 1, "median": 1, "trimmed": 1, "calibrated": 1}
