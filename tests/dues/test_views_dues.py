import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories.dues import InvoiceFactory, PaymentFactory
from tests.factories.members import LifecycleEventFactory, member_since
from urbis.common.models import Job
from urbis.common.pdf import pdf_text
from urbis.dues.domain.ledger import fee_schedules_load
from urbis.dues.queries.ledger import schedules_from_file
from urbis.members.models import LifecycleEvent

pytestmark = pytest.mark.django_db
D = dt.date


def _count(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_review_page_preview_and_approve(client, staff_user, run_jobs):
    quiet = member_since(D(2015, 1, 1), name="Quiet")
    client.force_login(staff_user)
    page = client.get(reverse("dues:review"), {"as_of": "2023-09-01"})
    assert page.status_code == 200
    assert b"No participation in activities and membership payment for more than 3" in (
        page.content
    )
    assert b"Review the selection" in page.content  # a confirmation comes before applying
    response = client.post(
        reverse("dues:review-approve"),
        {
            "as_of": "2023-09-01",
            "approve": [quiet.pk],
            "decision_ref": "GA 2",
            "decided_on": "2023-09-26",
        },
    )
    job = Job.objects.get()
    assert response["Location"] == reverse("common:job_detail", args=[job.pk])
    assert not LifecycleEvent.objects.filter(organisation=quiet, kind="suspended").exists()
    assert run_jobs() == 1
    job.refresh_from_db()
    assert (job.state, job.summary) == ("succeeded", "Applied 1 transition(s) under 'GA 2'.")
    assert job.result_url == reverse("dues:review") + "?as_of=2023-09-01"
    event = LifecycleEvent.objects.get(organisation=quiet, kind="suspended")
    assert (event.date, event.decision_ref) == (D(2023, 9, 26), "GA 2")


def test_review_approval_refuses_at_once_what_needs_no_registry(client, staff_user):
    quiet = member_since(D(2015, 1, 1), name="Quiet")
    client.force_login(staff_user)
    page = client.post(
        reverse("dues:review-approve"),
        {
            "as_of": "2023-09-01",
            "approve": [quiet.pk],
            "decision_ref": " ",
            "decided_on": "2023-08-01",
        },
        follow=True,
    )
    body = page.content.decode()
    assert "Nothing was applied: A review is applied by a decision: name it.; " in body
    assert "The decision (2023-08-01) precedes the review date (2023-09-01)." in body
    assert not Job.objects.exists()


def test_a_proposal_no_longer_new_fails_the_job_and_writes_nothing(client, staff_user, run_jobs):
    quiet = member_since(D(2015, 1, 1), name="Quiet")
    client.force_login(staff_user)
    data = {"as_of": "2023-09-01", "approve": [quiet.pk], "decided_on": "2023-09-26"}
    client.post(reverse("dues:review-approve"), {**data, "decision_ref": "GA 2"})
    client.post(reverse("dues:review-approve"), {**data, "decision_ref": "GA 3"})
    run_jobs()
    first, second = Job.objects.order_by("created_at")
    assert (first.state, second.state) == ("succeeded", "failed")
    assert second.error.startswith("Not new proposals of this preview: ")
    assert LifecycleEvent.objects.filter(organisation=quiet, kind="suspended").count() == 1


def test_api_queues_a_review_apply(client, staff_user, excom_user, run_jobs):
    quiet = member_since(D(2015, 1, 1), name="Quiet")
    body = {"as_of": "2023-09-01", "decision_ref": "GA 2", "decided_on": "2023-09-26",
            "approved": [quiet.pk]}  # fmt: skip
    client.force_login(excom_user)
    url = "/api/v1/dues/review/apply"
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.force_login(staff_user)
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 202
    assert response.json()["kind"] == "dues.review_apply"
    run_jobs()
    assert client.get(f"/api/v1/jobs/{response.json()['id']}").json()["state"] == "succeeded"
    bad = client.post(url, {**body, "approved": []}, content_type="application/json")
    assert bad.json()["errors"] == {"approved": ["Select at least one proposal to approve."]}


def test_review_page_permissions(client, excom_user, focal_point):
    member_since(D(2015, 1, 1), name="Quiet")
    url = reverse("dues:review")
    assert client.get(url).status_code == 302  # anonymous: to sign in
    client.force_login(focal_point[0])
    assert client.get(url).status_code == 403
    client.force_login(excom_user)
    page = client.get(url)
    assert page.status_code == 200 and b"Approve selected" not in page.content
    assert client.post(reverse("dues:review-approve"), {}).status_code == 403


def test_review_page_query_count_does_not_grow(client, staff_user):
    client.force_login(staff_user)
    for i in range(3):
        member_since(D(2015, 1, 1), name=f"Early {i}")
    few = _count(client, reverse("dues:review"), as_of="2023-09-01")
    for i in range(20):
        member_since(D(2015, 1, 1), name=f"Late {i}")
    assert _count(client, reverse("dues:review"), as_of="2023-09-01") == few


def _changes():
    for i in range(3):
        o = member_since(D(2015, 1, 1), name=f"Corp {i}", category="corporation")
        LifecycleEventFactory(
            organisation=o, kind="terminated", date=D(2023, 9, 26), reason="Gone", decision_ref="GA"
        )


def test_between_assemblies_html_csv_api(client):
    _changes()
    url = reverse("dues:between-assemblies")
    period = {"start": "2021-10-01", "end": "2023-09-26"}
    few = _count(client, url, **period)
    page = client.get(url, period)
    assert b"Termination of members (3)" in page.content
    assert b"date of approval (EXCOM decision)" in page.content
    for i in range(3, 10):
        o = member_since(D(2015, 1, 1), name=f"Corp {i}", category="corporation")
        LifecycleEventFactory(organisation=o, kind="terminated", date=D(2023, 9, 26))
    assert _count(client, url, **period) == few
    csv = client.get(url, {**period, "format": "csv"})
    assert csv["Content-Type"] == "text/csv"
    assert csv.content.decode().count("\nterminations,") == 10
    api = client.get(
        "/api/v1/dues/between-assemblies",
        {"start": "2021-10-01", "end": "2023-09-26", "basis": "application"},
    ).json()
    assert api["terminations"]["count"] == 10
    assert api["terminations"]["by_category"]["corporation"] == 10
    assert api["basis"] == "application"


def test_ledger_fragment_only_for_secretariat_and_own_focal_point(client, staff_user, focal_point):
    user, org = focal_point
    InvoiceFactory(organisation=org, fiscal_year=2023, number="2023-000001", illustrative=True)
    other = member_since(D(2015, 1, 1), name="Other")
    url = reverse("dues:ledger-part", args=[org.slug])
    assert client.get(url).content == b""
    client.force_login(user)
    assert b"2023-000001" in client.get(url).content
    assert b"Illustrative history" in client.get(url).content
    assert client.get(reverse("dues:ledger-part", args=[other.slug])).content == b""
    client.force_login(staff_user)
    assert b"2023-000001" in client.get(url).content


def test_focal_point_sees_own_invoices_and_pdf(client, focal_point):
    user, org = focal_point
    mine = InvoiceFactory(organisation=org, fiscal_year=2023, amount=Decimal(1500))
    PaymentFactory(organisation=org, invoice=mine, amount=Decimal(500))
    theirs = InvoiceFactory(organisation=member_since(D(2015, 1, 1), name="Other"))
    client.force_login(user)
    page = client.get(reverse("dues:mine"))
    assert mine.number.encode() in page.content and theirs.number.encode() not in page.content
    pdf = client.get(reverse("dues:invoice-pdf", args=[mine.number]))
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert f"Invoice {mine.number}" in text
    assert "1,000" in text  # balance due
    assert client.get(reverse("dues:invoice-pdf", args=[theirs.number])).status_code == 403


def test_invoice_list_is_staff_only_and_query_guarded(client, staff_user, focal_point):
    url = reverse("dues:invoices")
    client.force_login(focal_point[0])
    assert client.get(url).status_code == 403
    client.force_login(staff_user)
    for i in range(3):
        InvoiceFactory(organisation=member_since(D(2015, 1, 1), name=f"A{i}"))
    few = _count(client, url)
    for i in range(15):
        InvoiceFactory(organisation=member_since(D(2015, 1, 1), name=f"B{i}"))
    assert _count(client, url) == few


def test_fee_api_explains_and_checks_permissions(client, staff_user):
    fee_schedules_load(schedules=schedules_from_file(), actor=None)
    org = member_since(
        D(2015, 1, 1), name="Acme", category="corporation", corporate_category="sme", employees=400
    )
    url = f"/api/v1/dues/members/{org.slug}/fee"
    assert client.get(url, {"year": 2023}).status_code == 401
    client.force_login(staff_user)
    body = client.get(url, {"year": 2023}).json()
    assert (body["amount"], body["band"], body["schedule"]) == ("2500.00", 2, "annex3-current")
    assert client.get(f"/api/v1/dues/members/{org.slug}/ledger").json()["balance"] == "0.00"
    review = client.get("/api/v1/dues/review", {"as_of": "2023-09-01"}).json()
    assert review["new"] == 1 and review["proposals"][0]["organisation"] == "Acme"


def test_staff_issue_and_import_from_the_web(client, staff_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from urbis.dues.models import Invoice, Payment

    fee_schedules_load(schedules=schedules_from_file(), actor=None)
    org = member_since(D(2015, 1, 1), name="Kampala", country="UG")
    client.force_login(staff_user)
    response = client.post(reverse("dues:invoices-issue"), {"year": "2024"}, follow=True)
    assert b"FY2024: 1 invoice(s) issued" in response.content
    invoice = Invoice.objects.get(organisation=org, fiscal_year=2024)
    bad = SimpleUploadedFile(
        "pay.csv", b"member,fiscal_year,date,amount,reference\nKampala,2024,2024-02-30,10,R1\n"
    )
    response = client.post(reverse("dues:payments-import"), {"file": bad}, follow=True)
    assert b"pay.csv: row 2: date: &#x27;2024-02-30&#x27; is not a date" in response.content
    assert not Payment.objects.exists()
    good = SimpleUploadedFile(
        "pay.csv", b"member,fiscal_year,date,amount,reference\nKampala,2024,2024-02-28,200,R1\n"
    )
    response = client.post(reverse("dues:payments-import"), {"file": good}, follow=True)
    assert b"1 payment(s) imported" in response.content
    assert Payment.objects.get().invoice == invoice
    page = client.get(reverse("dues:ledger", args=[org.slug]))
    assert b"Fee for fiscal year" in page.content


def test_staff_notes_a_manual_reason_on_the_review_page(client, staff_user):
    org = member_since(D(2018, 1, 1), name="Vanished", category="corporation")
    PaymentFactory(organisation=org, received_on=D(2023, 2, 1))
    client.force_login(staff_user)
    response = client.post(
        reverse("dues:review-flag"),
        {"organisation": org.slug, "code": "ceased_to_exist", "noted_on": "2023-06-01",
         "as_of": "2023-09-01"},
        follow=True,
    )  # fmt: skip
    assert b"Flag noted for Vanished." in response.content
    assert b"The entity does not exist anymore." in response.content


def test_a_review_date_before_1900_is_refused_not_a_500(client, staff_user):
    """The review looks years back from its date: year 1 made a negative year (a 500)."""
    client.force_login(staff_user)
    page = client.get(reverse("dues:review"), {"as_of": "0001-01-01"})
    assert page.status_code == 200
    assert "0001-01-01: A review date must be in 1900 or later." in page.content.decode()
    api = client.get("/api/v1/dues/review", {"as_of": "0001-01-01"})
    assert (api.status_code, api.json()) == (
        422,
        {"detail": "as_of: a review date must be in 1900 or later."},
    )
    queued = client.post(
        reverse("dues:review-approve"),
        {"as_of": "1899-12-31", "approve": ["1"], "decision_ref": "X", "decided_on": "1900-01-02"},
        follow=True,
    )
    assert "A review date must be in 1900 or later." in queued.content.decode()
    assert not Job.objects.exists()


def test_between_assemblies_prints_category_labels_and_country_names(client):
    org = member_since(D(2015, 1, 1), name="Later City", category="local_government", country="KE")
    LifecycleEventFactory(organisation=org, kind="suspended", date=D(2023, 9, 26))
    period = {"start": "2021-10-01", "end": "2023-09-26"}
    page = client.get(reverse("dues:between-assemblies"), period).content.decode()
    assert "Local government: 1" in page
    assert "<td>Kenya</td>" in page
    assert "Localgovernment" not in page
