import datetime as dt
import io

import pytest
import zxingcpp
from django.core.exceptions import PermissionDenied, ValidationError
from PIL import Image
from pypdf import PdfReader

from tests.factories.events import CheckInFactory, EventFactory, RegistrationFactory, seoul
from tests.factories.members import OrganisationFactory
from urbis.common.actor import Actor
from urbis.common.models import AuditRecord
from urbis.common.pdf import pdf_text
from urbis.events import badges, domain, queries
from urbis.events.models import CheckIn, RegistrationStatus

pytestmark = pytest.mark.django_db
DAY2 = dt.date(2023, 9, 26)


def test_checking_in_twice_is_harmless_and_recorded_once(staff_user):
    reg = RegistrationFactory(code="K7QM2XWP")
    first, created = domain.checkin_record(
        actor=staff_user, code="URBIS-BADGE:x:K7QM2XWP", at=seoul(DAY2, 13, 40)
    )
    again, created_again = domain.checkin_record(
        actor=staff_user, code="k7qm-2xwp", method="typed", at=seoul(DAY2, 13, 55)
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert again.at == seoul(DAY2, 13, 40)
    assert CheckIn.objects.filter(registration=reg).count() == 1
    assert first.day == DAY2  # the local date in Asia/Seoul
    assert AuditRecord.objects.filter(action="registration.checkin").count() == 1


def test_checkin_uses_the_event_time_zone_for_the_day(staff_user):
    RegistrationFactory(code="AAAABBBB")
    # 23:30 UTC on 25 Sep is 08:30 on 26 Sep in Seoul.
    checkin, _ = domain.checkin_record(
        actor=staff_user,
        code="AAAABBBB",
        at=dt.datetime(2023, 9, 25, 23, 30, tzinfo=dt.UTC),
    )
    assert checkin.day == DAY2


def test_unknown_or_pending_badges_are_refused(staff_user):
    RegistrationFactory(code="PENDING2", status=RegistrationStatus.PENDING, person_name="Ann")
    with pytest.raises(ValidationError) as exc:
        domain.checkin_record(actor=staff_user, code="NOPE-NOPE", day=DAY2)
    assert exc.value.message_dict == {"code": ["No badge has the code NOPE-NOPE."]}
    with pytest.raises(ValidationError) as exc:
        domain.checkin_record(actor=staff_user, code="PENDING2", day=DAY2)
    assert exc.value.message_dict == {"code": ["Ann's registration is pending approval."]}
    assert CheckIn.objects.count() == 0


def test_only_the_secretariat_checks_in(client, focal_point):
    """The rule `events.check_in`, checked at the edge before the domain is called."""
    user, org = focal_point
    reg = RegistrationFactory(code="FOCAL234", organisation=org)
    with pytest.raises(PermissionDenied):
        Actor.for_user(user).require("events.check_in")
    client.force_login(user)
    response = client.post(
        f"/api/v1/events/{reg.event.slug}/checkins",
        {"code": "FOCAL234", "day": DAY2.isoformat()},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert CheckIn.objects.count() == 0


def test_a_desk_admits_only_its_own_events_badges(staff_user):
    RegistrationFactory(code="ELSEWHER")
    other = EventFactory(slug="another-event")
    with pytest.raises(ValidationError) as exc:
        domain.checkin_record(actor=staff_user, event=other, code="ELSEWHER", day=DAY2)
    assert exc.value.message_dict == {"code": ["This badge belongs to another event."]}
    assert CheckIn.objects.count() == 0


def test_checked_in_organisations_feed_the_attendance_register():
    event = EventFactory()
    seoul_org = OrganisationFactory(name="Seoul")
    agra = OrganisationFactory(name="Agra", country="IN")
    mayor = RegistrationFactory(event=event, organisation=seoul_org, mayoral_level=True)
    staff = RegistrationFactory(event=event, organisation=seoul_org)
    online = RegistrationFactory(event=event, organisation=agra, attendance="online")
    RegistrationFactory(event=event, organisation=OrganisationFactory(name="Absent"))
    for reg in (mayor, staff):
        CheckInFactory(registration=reg, day=DAY2)
    CheckInFactory(registration=online, day=DAY2, method="online")
    CheckInFactory(registration=staff, day=dt.date(2023, 9, 25))

    rows = queries.checked_in_organisations(event, on=DAY2)
    assert [(r.organisation, r.mode, r.mayoral_level, len(r.delegates)) for r in rows] == [
        ("Agra", "online", False, 1),
        ("Seoul", "on_site", True, 2),
    ]
    assert queries.checked_in_organisations(event, on=dt.date(2023, 9, 27)) == []


def _qr_payloads(pdf: bytes) -> list[str]:
    payloads = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        for image in page.images:
            picture = Image.open(io.BytesIO(image.data)).convert("L")
            payloads += [r.text for r in zxingcpp.read_barcodes(picture)]
    # WeasyPrint may list every image of the document in each page's resources.
    return list(dict.fromkeys(payloads))


def test_badge_pdf_has_the_name_and_a_decodable_qr_code():
    event = EventFactory(slug="ga-test")
    reg = RegistrationFactory(
        event=event,
        person_name="Tory Whanau",
        position="Mayor",
        organisation=OrganisationFactory(name="Wellington", country="NZ"),
        code="WLG23456",
    )
    pdf = badges.badges_pdf([reg])
    text = pdf_text(pdf)
    assert "Tory Whanau" in text
    assert "Wellington" in text
    assert "WLG2-3456" in text
    assert _qr_payloads(pdf) == ["URBIS-BADGE:ga-test:WLG23456"]


def test_batch_badges_one_page_each_in_order():
    event = EventFactory(slug="ga-test")
    regs = [
        RegistrationFactory(event=event, person_name=name, code=code)
        for name, code in [("Ann Lee", "AAAA2222"), ("Bo Kim", "BBBB3333")]
    ]
    pdf = badges.badges_pdf(regs)
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert ["Ann Lee" in p.extract_text() for p in pages] == [True, False]
    assert ["Bo Kim" in p.extract_text() for p in pages] == [False, True]
    assert _qr_payloads(pdf) == ["URBIS-BADGE:ga-test:AAAA2222", "URBIS-BADGE:ga-test:BBBB3333"]


def test_checkin_enters_the_members_participation_log_once(staff_user):
    event = EventFactory(name="6th General Assembly")
    org = OrganisationFactory(name="Kampala")
    for name, code in [("A", "AAAA2345"), ("B", "BBBB2345")]:
        RegistrationFactory(event=event, organisation=org, person_name=name, code=code)
    for code in ("AAAA2345", "BBBB2345", "AAAA2345"):
        domain.checkin_record(actor=staff_user, code=code, day=DAY2)
    assert list(org.participations.values_list("activity", "date", "kind")) == [
        ("6th General Assembly", DAY2, "event")
    ]


def test_unknown_checkin_method_is_refused(staff_user):
    RegistrationFactory(code="METHOD23")
    with pytest.raises(ValidationError) as exc:
        domain.checkin_record(actor=staff_user, code="METHOD23", day=DAY2, method="telepathy")
    assert exc.value.message_dict == {"method": ["Unknown check-in method 'telepathy'."]}


def test_badge_of_a_pending_registration_says_so():
    reg = RegistrationFactory(status=RegistrationStatus.PENDING, person_name="Ann Lee")
    assert "Pending approval: not valid for check-in" in pdf_text(badges.badges_pdf([reg]))
