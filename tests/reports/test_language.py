"""The memorandum and the activity report in the reader's language: English, the record, by
default; Korean or French when asked for, read from the text of the real PDFs."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories.reports import synthetic_assembly
from urbis.common.models import Job
from urbis.common.pdf import pdf_text
from urbis.reports import render
from urbis.reports.assembly import build

pytestmark = pytest.mark.django_db


@pytest.fixture
def assembly():
    return synthetic_assembly(number=9, year=2029, members=10, delegates=16)


def _flat(data: bytes) -> str:
    return " ".join(pdf_text(data).split())


def test_the_memorandum_pdf_is_english_unless_another_language_is_asked(
    assembly, client, staff_user
):
    client.force_login(staff_user)
    client.cookies["django_language"] = "fr"  # the page's language does not change the record
    url = reverse("governance:memorandum_pdf", args=["synthetic-ga-9"])
    english = client.get(url)
    assert english["Content-Disposition"] == 'inline; filename="memorandum-synthetic-ga-9.pdf"'
    text = _flat(english.content)
    assert "Meeting Memorandum of the Synthetic General Assembly 9" in text
    assert "Attendees (members) 5 local governments" in text

    korean = client.get(url, {"lang": "ko"})
    assert korean["Content-Disposition"] == 'inline; filename="memorandum-synthetic-ga-9-ko.pdf"'
    text = _flat(korean.content)
    assert "Synthetic General Assembly 9 회의록" in text
    assert "참석자(회원) 지방정부 5곳" in text
    assert "부록. 참석 현황" in text
    assert "Attendees" not in text

    french = _flat(client.get(url, {"lang": "fr"}).content)
    assert "Procès-verbal de la réunion : Synthetic General Assembly 9" in french
    assert "Participants (membres) 5 collectivités locales" in french
    assert "Date et heure 11 juin 2029 lundi" in french
    # Labels of stored codes: the meeting's status and a member's category.
    assert "Procès-verbal non approuvé : projet (projet)." in french
    assert "Synthetic City 9-0009 Collectivité locale 2028-05-01" in french


def test_an_unknown_language_is_refused_naming_the_parameter(assembly, client, staff_user):
    client.force_login(staff_user)
    response = client.get(
        reverse("governance:memorandum_pdf", args=["synthetic-ga-9"]), {"lang": "xx"}
    )
    assert response.status_code == 400
    assert response.content.decode() == (
        "lang: 'xx' is not one of the languages: en, ko, fr, es, ru."
    )
    assert client.get(reverse("reports:pdf", args=[9]), {"lang": "de"}).status_code == 400


def test_the_memorandum_page_links_to_the_pdf_in_its_language(assembly, client, staff_user):
    client.force_login(staff_user)
    client.cookies["django_language"] = "ko"
    body = client.get(reverse("governance:memorandum", args=["synthetic-ga-9"])).content.decode()
    url = reverse("governance:memorandum_pdf", args=["synthetic-ga-9"])
    assert f'<a href="{url}?lang=ko">PDF</a>' in body
    assert f'<a href="{url}" hreflang="en">PDF(영문, 공식 기록)</a>' in body


def test_the_activity_report_pdf_in_korean_and_french(assembly):
    report_en = _flat(render.pdf(build(9), language="en"))
    assert "The 9th General Assembly" in report_en
    assert "Table of Contents" in report_en

    with translation.override("ko"):
        korean = _flat(render.pdf(build(9)))
    assert "제9차 총회" in korean
    assert "목차" in korean
    assert "부록: 총회 간 회원 현황" in korean
    assert "참석한 정족수 산정 회원" in korean  # a highlight's label, computed in Python
    assert "Table of Contents" not in korean

    with translation.override("fr"):
        french = _flat(render.pdf(build(9)))
    assert "9e Assemblée générale" in french
    assert "Table des matières" in french
    assert "Le programme en bref" in french


def test_the_published_pdf_in_another_language_is_built_and_kept_apart(assembly, client, run_jobs):
    url = reverse("reports:pdf", args=[9])
    assert client.get(url).status_code == 503
    assert client.get(url, {"lang": "ko"}).status_code == 503
    assert run_jobs() == 2  # the English one and the Korean one
    korean = client.get(url, {"lang": "ko"})
    assert korean.status_code == 200
    assert korean["Content-Disposition"] == 'attachment; filename="activity-report-ga9-ko.pdf"'
    assert "제9차 총회" in _flat(korean.content)
    english = _flat(client.get(url).content)
    assert "The 9th General Assembly" in english
    assert "제9차" not in english


def test_the_build_job_renders_the_chosen_language(assembly, client, staff_user, run_jobs):
    client.force_login(staff_user)
    response = client.post(reverse("reports:build_run"), {"assembly": "9", "language": "fr"})
    assert response.status_code == 302
    assert run_jobs() == 1
    job = Job.objects.get(kind="reports.build")
    assert job.params == {"number": 9, "language": "fr"}
    assert job.output_name == "activity-report-ga9-fr.pdf"
    assert "Table des matières" in _flat(bytes(job.output))
