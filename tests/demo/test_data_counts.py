"""The shipped data set reproduces the figures of the seed report (computed, never typed)."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter

import pytest

from urbis.common.models import CountryRegion, Region
from urbis.demo.lookup import organisation_names
from urbis.members import queries
from urbis.members.models import LifecycleEvent, Organisation

D = dt.date
CONVOCATION = D(2023, 9, 5)
ASSEMBLY = D(2023, 9, 26)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_data")]

# Memorandum, Annex 1: the 45 local governments that attended (name, position, mayoral).
ATTENDANCE = [
    ("Abu Dhabi", "Head of Municipality", True),
    ("Beyoğlu", "Vice Mayor", True),
    ("Bhadrapur Municipality", "Mayor", True),
    ("Dhaka South", "Mayor", True),
    ("Kanakai Municipality", "Mayor", True),
    ("La Union", "Governor", True),
    ("Manila City", "Vice Mayor", True),
    ("Penang Island", "City Secretary", True),
    ("Pokhara Metropolitan City", "Mayor", True),
    ("Sainshand City", "City Mayor", True),
    ("San Fernando, La Union", "City Mayor", True),
    ("Seberang Perai", "City Secretary", True),
    ("Seoul", "Mayor", True),
    ("Sundarharaicha Municipality", "Mayor", True),
    ("Wellington", "Mayor", True),
    ("Agra", "Mayor", True),
    ("Chirchik", "Deputy Mayor", True),
    ("Abuja", "Regional Director of WeGO Africa Regional Office", False),
    ("Almaty", "Head of the Digitalization Department", False),
    ("Anyang City", "Team Manager of Smart City Information Division", False),
    ("Astana", "Head of Division at the Digital Department", False),
    ("Baguio", "City Budget Officer", False),
    ("Chengdu", "Deputy Director-General of Chengdu Municipal Foreign Affairs Office", False),
    ("Cuenca", "Director General for International Relations and Cooperation", False),
    ("Dujiangyan", "Section Chief of the Exit-Entry Administration", False),
    ("Goyang", "Manager of Smart City Division", False),
    ("Hebron", "City Councilor", False),
    ("Jeju Province", "Team Manager of Future Mobility Division", False),
    ("Kampala", "Deputy Director of Information Systems", False),
    ("Mexico City", "Head of Agencia Digital de Innovación Pública ADIP", False),
    ("Quezon City", "City Administrator", False),
    ("São Paulo", "Deputy Secretary of International Affairs", False),
    ("Sejong City", "Director of Smart City", False),
    ("Shivasatakshi Municipality", "Ward President", False),
    (
        "Sri Jayawardenepura Kotte",
        "Minister Counsellor of Commercial from the Embassy of Sri Lanka",
        False,
    ),
    ("Tashkent City", "Head of Data Analytics Department", False),
    ("Tehran", "Deputy for International Affairs", False),
    ("Addis Ababa", "Communication Technologies System Administration Team Leader", False),
    ("Bangkok", "Foreign Relations Officer", False),
    ("Bishkek", "Head of the Digitalization Department", False),
    ("Makati", "Head of Urban Development Department", False),
    ("Maputo", "Director for International Relations", False),
    ("Ryde", "Executive Officer (City Economy)", False),
    ("Shiraz", "Head of International Relations Office", False),
    ("Tubah", "Council Development officer", False),
]
ATTENDING_CORPORATIONS = [
    "Dwelling Co., Ltd",
    "SRPOST Inc.",
    "YOYA Technologies Ltd",
    "beCloud",
    "Vueron Technology Co., Ltd",
]
# List of Participating Cities, as the seed spells them.
PARTICIPATING_CITIES = {
    "Africa": "Abuja|Addis Ababa|Kampala|Lusaka|Maputo|Nansana Municipality|Tubah",
    "Europe": "Beyoğlu|Dublin|Madrid City|Odense|Konya",
    "Middle East": "Abu Dhabi|Hebron|Madinah|Shiraz|Tehran",
    "Americas": "Cuenca|Los-Angeles|Mexico City|São Paulo",
    "Asia-Pacific": "Agra|Almaty|Anyang City|Astana|Baguio|Bangkok|Bhadrapur Municipality|"
    "Birtamode Municipality|Bishkek|Chengdu|Chirchik|Damak Municipality|Da Nang|Dhaka South|"
    "Dujiangyan|Gauriganj|Goyang|Jeju Province|Kanakai Municipality|Kaohsiung|La Union|Makati|"
    "Manila City|Penang Island|Pokhara|Quezon City|Ryde|Sainshand City|San Fernando, La Union|"
    "Seberang Perai|Sejong City|Seoul|Shivasatakshi Municipality|Sri Jayawardenepura Kotte|"
    "Sundarharaicha Municipality|Tashkent City|Wellington",
}
PARTICIPATING_ORGANISATIONS = [
    "Afghan International University (AIU)",
    "Arijian",
    "beCloud",
    "CityNet Secretariat",
    "Dwelling Co., Ltd",
    "Edgelands Institute",
    "Global Green Growth Institute (GGGI)",
    "International Climate Development Institute (ICDI)",
    "Institute of Smart City & Architecture",
    'JASC "Astana Innovations"',
    "Kaohsiung Smart City Project Management Office (KPMO)",
    "Kookmin University",
    "Korea Institute of Civil Engineering and Building Technology (KICT)",
    "Luxembourg Ministry for Digitalisation",
    "One Smile Foundation",
    "P Nation",
    "Quebec Government in Seoul",
    "Research Center for Regional and Urban Design",
    "Seoul Human Resource Development Center (SHRDC)",
    "Seoul Tourism Organization (STO)",
    "Seoul National University",
    "Semiconductor Equipment and Materials International (SEMI)",
    "Singapore Ministry of National Development",
    "Smart City Observatory, International Institute for Management Development (IMD)",
    "SRPOST Inc.",
    "Sweden for UNHCR",
    "The Asian Population and Development Association",
    "Vueron Technology Co., Ltd",
    "Yonsei University",
    "YOYA Technologies Ltd",
    "University of Texas at Arlington",
    "Zambia Ministry of Finance and National Planning in collaboration with Electronic "
    "Government Division (Smart Zambia Institute)",
]


def _states(on: dt.date) -> dict[str, str]:
    return {o.name: o.state for o in queries.with_state(Organisation.objects.all(), as_of=on)}


def test_quorum_denominator_is_163_local_governments_in_good_standing():
    table = queries.membership_table(as_of=CONVOCATION)
    assert table["local_government"]["member"] == 163
    assert math.ceil(163 / 4) == 41


def test_membership_after_the_assembly_is_201():
    table = queries.membership_table(as_of=ASSEMBLY)
    in_membership = sum(row["member"] + row["suspended"] for row in table.values())
    assert in_membership == 201
    assert table["local_government"]["member"] == 141
    assert table["local_government"]["suspended"] == 22
    assert table["corporation"]["member"] == 26
    assert table["corporation"]["terminated"] == 20
    assert table["institution"]["member"] == 12
    assert table["local_government"]["withdrawn"] + table["corporation"]["withdrawn"] == 6
    assert table["local_government"]["withdrawn"] == 1
    assert table["institution"]["withdrawn"] == 0


def test_before_the_assembly_nobody_was_suspended_or_terminated():
    table = queries.membership_table(as_of=D(2023, 9, 25))
    assert sum(row["suspended"] + row["terminated"] for row in table.values()) == 0
    assert sum(row["member"] for row in table.values()) == 163 + 46 + 12


def test_new_members_by_year_of_approval_reproduce_the_memorandum():
    approved = LifecycleEvent.objects.filter(
        kind="approved", date__gte=D(2021, 10, 1), date__lte=ASSEMBLY
    ).select_related("organisation")
    by_category = Counter(e.organisation.category for e in approved)
    assert by_category == {"local_government": 7, "corporation": 9, "institution": 2}
    by_year = Counter((e.date.year, e.organisation.category) for e in approved)
    assert by_year == {
        (2022, "local_government"): 3,
        (2022, "corporation"): 6,
        (2022, "institution"): 2,
        (2023, "local_government"): 4,
        (2023, "corporation"): 3,
    }
    assert {e.decision_ref for e in approved} == {"EXCOM 2022", "EXCOM 2023"}


def test_new_members_by_date_of_application_give_the_other_figures():
    applied = LifecycleEvent.objects.filter(kind="applied", date__gte=D(2021, 1, 1))
    assert Counter(e.date.year for e in applied) == {2021: 3, 2022: 9, 2023: 6}
    local = applied.filter(organisation__category="local_government")
    assert Counter(e.date.year for e in local) == {2021: 2, 2022: 2, 2023: 3}
    assert sorted(e.organisation.name for e in local.filter(date__year=2023)) == [
        "Bishkek",
        "Chirchik",
        "Ryde",
    ]


def test_the_excom_2022_date_lies_between_the_applications_it_separates():
    excom_2022 = LifecycleEvent.objects.filter(decision_ref="EXCOM 2022", kind="approved")
    assert {(e.date, e.date_precision) for e in excom_2022} == {(D(2022, 11, 1), "year")}
    yoya = LifecycleEvent.objects.get(organisation__name="YOYA Technologies Ltd", kind="applied")
    tehran = LifecycleEvent.objects.get(organisation__name="Tehran", kind="applied")
    assert yoya.date == D(2022, 10, 24) < D(2022, 11, 1) < tehran.date == D(2022, 11, 5)


def test_attending_members_are_in_good_standing_on_both_dates_with_the_annex_population():
    names = [name for name, _, _ in ATTENDANCE] + ATTENDING_CORPORATIONS
    for on in (CONVOCATION, ASSEMBLY):
        states = _states(on)
        assert {name: states[name] for name in names} == dict.fromkeys(names, "member")
    local = Organisation.objects.filter(name__in=[n for n, _, _ in ATTENDANCE])
    assert local.count() == 45
    assert sum(o.population for o in local) == 130_996_081
    assert {o.population_year for o in local} == {2023}


def test_one_contact_per_attending_local_government_with_the_annex_position():
    for name, position, mayoral in ATTENDANCE:
        org = Organisation.objects.get(name=name)
        contact = org.contacts.get(position=position)
        assert contact.mayoral_level is mayoral, name
    assert sum(mayoral for _, _, mayoral in ATTENDANCE) == 17
    assert Organisation.objects.get(name="Seoul").contacts.get(position="Mayor").name == (
        "Se-hoon Oh"
    )
    beyoglu = Organisation.objects.get(name="Beyoğlu").contacts.get(name="Haydar Ali Yildiz")
    assert (beyoglu.position, beyoglu.mayoral_level) == ("Mayor of Beyoğlu", True)


def test_suspensions_terminations_and_withdrawals_carry_the_seed_reasons():
    suspended = LifecycleEvent.objects.filter(kind="suspended")
    assert suspended.count() == 22
    assert {(e.date, e.decision_ref) for e in suspended} == {(ASSEMBLY, "6th GA, agenda 2")}
    assert {e.organisation.country.code for e in suspended} == {"NG", "SD"}
    terminated = LifecycleEvent.objects.filter(kind="terminated")
    assert terminated.count() == 20
    gone = terminated.filter(reason__startswith="Entity no longer exists")
    assert sorted(e.organisation.name for e in gone) == ["Fantom Foundation", "LifeBlocs"]
    seads = LifecycleEvent.objects.filter(organisation__name="SEADS").order_by("date")
    assert [(e.kind, e.letter) for e in seads] == [
        ("approved", ""),
        ("withdrawal_announced", "pending"),
        ("terminated", ""),
    ]
    withdrawn = LifecycleEvent.objects.filter(kind="withdrawn").order_by("organisation__name")
    assert [(e.organisation.name, e.decision_ref, e.letter) for e in withdrawn] == [
        ("Breeze Technologies", "EXCOM 2022", "received"),
        ("FATOS Corporation", "EXCOM 2023", "received"),
        ("IGB & Company", "EXCOM 2022", "received"),
        ("INTERINNOV S.A.S.", "EXCOM 2022", "received"),
        ("NTSYS", "EXCOM 2022", "received"),
        ("Ulyanovsk Region", "EXCOM 2022", "received"),
    ]


def test_members_without_a_dated_approval_are_marked_assumed_and_predate_2021():
    approvals = LifecycleEvent.objects.filter(kind="approved", date__lt=D(2021, 1, 1))
    for event in approvals:
        assert event.date_precision in {"year", "month"}, event.organisation.name
    dated_by_seed = {"Abu Dhabi", "São Paulo", "Seoul", "Wellington"}  # founding, 2010
    dated_by_seed |= {"Seberang Perai", "Almaty", "Kampala"}
    undated = [e for e in approvals if e.organisation.name not in dated_by_seed]
    assert len(undated) == len(approvals) - 7 == 202
    for event in undated:
        # The public reason, or the secretariat's data note beside it, says so.
        text = f"{event.reason} {(event.evidence or {}).get('note', '')}"
        assert "assumed" in text or "illustrative" in text, text
    seberang = approvals.get(organisation__name="Seberang Perai")
    assert (seberang.date, seberang.date_precision) == (D(2012, 11, 1), "month")
    founding = Organisation.objects.filter(founding_member=True)
    assert sorted(o.name for o in founding) == ["Abu Dhabi", "Seoul", "São Paulo", "Wellington"]
    assert {e.date for e in approvals.filter(organisation__founding_member=True)} == {D(2010, 7, 1)}


def test_non_members_have_no_lifecycle():
    states = _states(ASSEMBLY)
    interested = ["Kaohsiung", "Lusaka", "Madinah", "Madrid", "Nansana Municipality"]
    interested += ["Turkestan Region", "Dassault Systèmes"]
    participating = ["Dublin", "Odense", "Konya", "Los Angeles", "Da Nang", "Gauriganj"]
    for name in interested + participating:
        assert states[name] == "none", name
    assert not LifecycleEvent.objects.filter(organisation__name__in=interested + participating)


def test_synthetic_members_are_labelled():
    synthetic = Organisation.objects.filter(name__startswith="Synthetic Member")
    assert Counter(o.category for o in synthetic) == {
        "local_government": 91,
        "corporation": 15,
        "institution": 10,
    }
    assert {o.description for o in synthetic} == {"Synthetic member of the demonstration data."}
    described = Organisation.objects.filter(description__startswith="Synthetic member")
    assert described.count() == 116


def test_every_participating_city_and_organisation_is_found_by_the_seed_spelling():
    index = organisation_names()
    cities = [c for names in PARTICIPATING_CITIES.values() for c in names.split("|")]
    assert len(cities) == 58
    assert {index[c].category for c in cities} == {"local_government"}
    assert len({index[c].pk for c in cities}) == 58
    regions = queries.region_by_country()
    for region, names in PARTICIPATING_CITIES.items():
        for city in names.split("|"):
            assert regions[index[city].country.code].top.name == region, city
    assert len({index[o].pk for o in PARTICIPATING_ORGANISATIONS}) == 32
    embassies = Organisation.objects.filter(category="embassy")
    assert embassies.count() == 13
    assert index["Embassy of the Philippines in Korea"].country.code == "PH"
    assert index["Pokhara"] == index["Pokhara Metropolitan City"]
    assert index["Manila"].name == "Manila City"
    assert index["Madrid City"].name == "Madrid"
    assert index["George Town (Penang Island)"].name == "Penang Island"
    assert index["Kampala Capital City Authority"].name == "Kampala"


def test_regions_cover_every_country():
    assert Region.objects.count() == 10
    assert CountryRegion.objects.count() == 249
    top = [r.name for r in Region.objects.filter(parent__isnull=True).order_by("sort_order")]
    assert top == ["Africa", "Europe", "Middle East", "Americas", "Asia-Pacific"]
    subregions = Region.objects.filter(parent__code="asia-pacific").order_by("sort_order")
    assert [r.name for r in subregions] == [
        "Central Asia",
        "East Asia",
        "South Asia",
        "Southeast Asia",
        "Oceania",
    ]
    region = {str(cr.country): cr.region.code for cr in CountryRegion.objects.all()}
    assert region["TR"] == "europe"
    assert [region[c] for c in ("IR", "AE", "PS", "SA")] == ["middle-east"] * 4
    assert [region[c] for c in ("KZ", "UZ", "KG")] == ["central-asia"] * 3
    assert region["MN"] == "east-asia"
    assert [region[c] for c in ("US", "CA", "MX", "BR", "EC")] == ["americas"] * 5


def test_organisations_by_category():
    counts = Counter(Organisation.objects.values_list("category", flat=True))
    assert counts == {
        "local_government": 179,
        "corporation": 62,
        "institution": 38,
        "embassy": 13,
        "partner": 4,
        "sponsor": 2,
        "other": 2,
    }
