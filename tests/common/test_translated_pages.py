"""Each family of pages a member, a delegate, an evaluator or the public reads renders in the
language of the language cookie: the catalog's exact text is there and the English of the
marked strings is not. Korean and French stand for the four catalogs (`test_translations`
checks that all four are complete); dates follow the language too."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from tests.factories.dues import InvoiceFactory
from tests.factories.events import EventFactory
from tests.factories.governance import MeetingFactory
from tests.factories.members import OrganisationFactory
from tests.factories.prize import EditionFactory

pytestmark = pytest.mark.django_db
DASH = "\u2013"  # between the first and last day


def _html(client: Client, path: str, lang: str) -> str:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(path)
    assert response.status_code == 200, path
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    return html


def _check(html: str, *, present: list[str], absent: list[str]) -> None:
    for text in present:
        assert text in html, f"missing {text!r}"
    for text in absent:
        assert text not in html, f"untranslated {text!r}"


MEMBER_SPACE = {
    "ko": ["<h1>내 회원 기관</h1>", ">청구서</h2>", ">납부</h2>", ">행사 등록</h2>", "미납 잔액: ",
           ">프로필 및 연락처</a>", "<dt>공식 명칭</dt>", ">회계연도</th>"],
    "fr": ["<h1>Mon membre</h1>", ">Factures</h2>", ">Paiements</h2>",
           ">Inscriptions aux événements</h2>", "Solde dû : ", ">Profil et contacts</a>",
           "<dt>Nom officiel</dt>", ">Exercice</th>"],
}  # fmt: skip


@pytest.mark.parametrize("lang", ["ko", "fr"])
def test_the_focal_points_space_speaks_the_language(client, focal_point, lang):
    user, org = focal_point
    InvoiceFactory(organisation=org, fiscal_year=2031, number="2031-0007")
    client.force_login(user)
    html = _html(client, "/members/mine/", lang)
    _check(
        html,
        present=MEMBER_SPACE[lang],
        absent=[">Invoices</h2>", ">Payments</h2>", "Open balance", "Profile and contacts",
                "<dt>Official name</dt>", ">Fiscal year</th>", "Meetings and votes"],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "present"),
    [
        ("ko", ["<h2>회원 이력</h2>", "<h2>참여</h2>", "기록된 회원 이력이 없습니다.",
                "인구 1,250,000명"]),
        ("fr", ["<h2>Parcours d'adhésion</h2>", "<h2>Participation</h2>",
                "Aucun événement d'adhésion enregistré.", "Population : 1\xa0250\xa0000"]),
    ],
)  # fmt: skip
def test_the_public_member_page_speaks_the_language(client, lang, present):
    org = OrganisationFactory(name="Riverside", population=1_250_000)
    html = _html(client, f"/members/{org.slug}/", lang)
    _check(
        html,
        present=present,
        absent=["<h2>Lifecycle</h2>", "No lifecycle event recorded.", "Population 1"],
    )


@pytest.mark.parametrize(
    ("lang", "present"),
    [
        ("ko", ["프로그램 한눈에 보기(PDF)", "캘린더에 추가(iCal)",
                f"2031년 9월 22일 {DASH} 2031년 9월 24일", "공식 언어:"]),
        ("fr", ["Programme en bref (PDF)", "Ajouter à l'agenda (iCal)",
                f"22 septembre 2031 {DASH} 24 septembre 2031", "Langue officielle :"]),
    ],
)  # fmt: skip
def test_the_public_event_pages_speak_the_language(client, lang, present):
    event = EventFactory(
        slug="assembly-2031", starts_on=dt.date(2031, 9, 22), ends_on=dt.date(2031, 9, 24)
    )
    html = _html(client, "/events/", lang) + _html(client, f"/events/{event.slug}/", lang)
    _check(
        html,
        present=present,
        absent=["Programme at a glance", "Add to calendar", "Official language:",
                "September 2031"],
    )  # fmt: skip


@pytest.mark.parametrize(
    ("lang", "present"),
    [
        ("ko", ["투표: Extraordinary Assembly 2031", "투표 대상 회원 <strong",
                "진행 중인 표결이 없습니다.", ">회의 페이지</a>", ">결과 화면</a>"]),
        ("fr", ["Bulletin : Extraordinary Assembly 2031", "Vote au nom de <strong",
                "Aucun scrutin n'est ouvert.", ">Page de la réunion</a>",
                ">Écran des résultats</a>"]),
    ],
)  # fmt: skip
def test_the_delegates_ballot_page_speaks_the_language(client, focal_point, lang, present):
    user, _org = focal_point
    meeting = MeetingFactory(
        title="Extraordinary Assembly 2031", date=dt.date(2031, 5, 6), status="in_session"
    )
    client.force_login(user)
    html = _html(client, f"/governance/meetings/{meeting.slug}/ballot/", lang)
    _check(
        html,
        present=present,
        absent=["Ballot: Extraordinary", "Voting for", "No poll is open", ">Meeting page</a>"],
    )


@pytest.mark.parametrize(
    ("lang", "present"),
    [
        ("ko", ["<h1>내 심사</h1>", "배정된 것이 없습니다.", "<th>라운드</th>"]),
        ("fr", ["<h1>Mes évaluations</h1>", "Rien ne vous est attribué.", "<th>Tour</th>"]),
    ],
)
def test_the_evaluators_workspace_speaks_the_language(client, evaluator_user, lang, present):
    client.force_login(evaluator_user)
    html = _html(client, "/prize/my/reviews/", lang)
    _check(html, present=present, absent=["<h1>My reviews</h1>", "Nothing assigned to you."])


@pytest.mark.parametrize(
    ("lang", "present"),
    [
        ("ko", ["<h1>스마트시티 시상</h1>", f"신청 공모: 2031년 3월 1일 {DASH} 2031년 7월 31일"]),
        ("fr", ["<h1>Prix des villes intelligentes</h1>",
                "Appel à candidatures : du 1 mars 2031 au 31 juillet 2031"]),
    ],
)  # fmt: skip
def test_the_public_prize_and_index_pages_speak_the_language(client, lang, present):
    EditionFactory(year=2031)
    html = _html(client, "/prize/", lang)
    _check(html, present=present, absent=["<h1>Smart City Prize</h1>", "Call for applications"])
    html = _html(client, "/index/", lang)
    empty = {"ko": "아직 지수 회차가 없습니다.", "fr": "Aucune édition de l'indice pour l'instant."}
    assert empty[lang] in html
    assert "No edition of the index yet." not in html


@pytest.mark.parametrize(
    ("lang", "section", "tile"),
    [
        ("ko", "내 회원 기관 공간", "미납 잔액이 있는 청구서"),
        ("fr", "L&#x27;espace de votre membre", "Factures avec un solde à payer"),
    ],
)
def test_the_focal_points_dashboard_speaks_the_language(client, focal_point, lang, section, tile):
    user, _org = focal_point
    client.force_login(user)
    html = _html(client, "/", lang)
    _check(
        html,
        present=[f">{section}</h2>", f'<span class="what">{tile}</span>'],
        absent=["Your member&#x27;s space", "Invoices with a balance to pay"],
    )


def test_without_a_cookie_the_dashboard_stays_in_english(client, focal_point):
    user, _org = focal_point
    client.force_login(user)
    html = client.get("/").content.decode()
    assert ">Your member&#x27;s space</h2>" in html
    assert '<span class="what">Invoices with a balance to pay</span>' in html


# --- what a member reads carries no staff note ----------------------------------------------


def _ledger_html(*, user, example: bool) -> str:
    org = SimpleNamespace(slug="harbour-city", name="Harbour City")
    fee = SimpleNamespace(
        amount=Decimal("2500.00"),
        currency="USD",
        example=example,
        member_explanation="corporation/sme, flat fee → USD 2,500",
        explanation="corporation/sme, flat fee → USD 2,500 [example schedule, not statute text]",
    )
    book = SimpleNamespace(organisation=org, illustrative=False, lines=[])
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string(
        "dues/_ledger.html", {"book": book, "fee": fee, "year": 2031, "user": user}, request
    )


def test_a_members_ledger_never_shows_the_example_schedule_note(focal_point):
    user, _org = focal_point
    for who in (user, AnonymousUser()):
        html = _ledger_html(user=who, example=True)
        assert "(corporation/sme, flat fee → USD 2,500)" in html
        assert "example schedule" not in html


def test_staff_still_see_that_a_fee_comes_from_an_example_schedule(staff_user):
    html = _ledger_html(user=staff_user, example=True)
    assert "Secretariat only: example schedule, not statute text" in html
    assert "Secretariat only" not in _ledger_html(user=staff_user, example=False)


def test_the_fee_keeps_its_note_for_staff_and_drops_it_for_members():
    from urbis.dues.rules.fees import EXAMPLE_NOTE, Criterion, Fee

    fee = Fee(
        fiscal_year=2031,
        table="corporation/sme",
        schedule_code="example-2031",
        schedule_title="Example schedule",
        effective_from=dt.date(2031, 1, 1),
        currency="USD",
        amount=Decimal("2500"),
        criterion=Criterion.FLAT,
        value=None,
        band=1,
        band_label="",
        example=True,
    )
    assert EXAMPLE_NOTE not in fee.member_explanation
    assert fee.explanation == f"{fee.member_explanation} {EXAMPLE_NOTE}"


# --- numbers per language --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "USD 12,500.50"),
        ("ko", "USD\xa012,500.50"),
        ("fr", "12\xa0500,50\xa0USD"),
        ("es", "12\xa0500,50\xa0USD"),
        ("ru", "12\xa0500,50\xa0USD"),
    ],
)
def test_amounts_follow_the_language_and_english_keeps_the_official_format(lang, expected):
    from django.utils import translation

    from urbis.common.formats import format_money, format_money_local

    with translation.override(lang):
        assert format_money_local(Decimal("12500.5"), "USD") == expected
        assert format_money(Decimal("12500.5"), "USD") == "USD 12,500.50"  # stored text


def test_the_member_space_writes_amounts_in_french(client, focal_point):
    user, org = focal_point
    InvoiceFactory(
        organisation=org, fiscal_year=2031, number="2031-0009", amount=Decimal("12500.00")
    )
    client.force_login(user)
    html = _html(client, "/members/mine/", "fr")
    assert "Solde dû : 12\xa0500,00\xa0USD." in html
    assert "<td>12\xa0500,00\xa0USD</td>" in html
