"""No 500 on hand-made input: ids beyond the database's integer range, non-numeric ids and
garbage in the form fields of the check-in and sign-up pages (each answered 500 before)."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from tests.factories.events import EventFactory, RegistrationFactory, SessionFactory
from urbis.events import domain
from urbis.events.models import CheckIn, Registration, SessionSignup

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    ev = EventFactory(slug="ga-7", name="7th General Assembly")
    RegistrationFactory(event=ev, code="AAAA2222", person_name="Aida")
    return ev


def test_registration_with_a_huge_session_id_is_a_422(client, staff_user, event, focal_point):
    client.force_login(staff_user)
    body = {"organisation": focal_point[1].slug, "person_name": "Yerlan", "sessions": [2**70]}
    r = client.post(
        "/api/v1/events/ga-7/registrations", json.dumps(body), content_type="application/json"
    )
    assert r.status_code == 422
    message = "Unknown session ids: [1180591620717411303424]."
    assert r.json() == {"detail": f"sessions: {message}", "errors": {"sessions": [message]}}
    assert Registration.objects.count() == 1


def test_signup_with_a_huge_session_id_is_a_404(client, staff_user, event):
    client.force_login(staff_user)
    r = client.post(
        "/api/v1/events/ga-7/registrations/AAAA2222/signups",
        json.dumps({"session": 2**70}),
        content_type="application/json",
    )
    assert (r.status_code, r.json()) == (404, {"detail": "No session 1180591620717411303424."})


@pytest.mark.parametrize("value", ["abc", "²", "1.5", "-1", str(2**70), "0x10"])
def test_signup_page_with_a_hand_made_session_id_is_a_400(client, staff_user, event, value):
    SessionFactory(event=event, requires_signup=True)
    client.force_login(staff_user)
    r = client.post("/events/ga-7/registrations/AAAA2222/signup/", {"session": value})
    assert r.status_code == 400
    assert f"session: “{value}” is not a session id." in r.content.decode()
    assert not SessionSignup.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("day", "abc"),
        ("day", "²"),
        ("day", "99999-01-01"),
        ("day", "2023-09-24"),
        ("code", "²"),
        ("code", "A" * 5000),
        ("method", "9"),
    ],
)
def test_checkin_page_answers_garbage_with_a_message(client, staff_user, event, field, value):
    client.force_login(staff_user)
    data = {"day": "2023-09-25", "code": "none-such", "method": "typed", field: value}
    r = client.post("/events/ga-7/check-in/", data)
    assert r.status_code == 200
    assert r.context["error"]
    assert not CheckIn.objects.exists()


def test_registration_window_refuses_focal_points_with_the_local_time(focal_point, staff_user):
    user, org = focal_point
    now = timezone.now()
    event = EventFactory(
        name="GA 7",
        time_zone="Asia/Almaty",
        registration_opens_at=now + dt.timedelta(days=1),
    )
    with pytest.raises(Exception) as exc:
        domain.registration_create(actor=user, event=event, organisation=org, person_name="A")
    local = (now + dt.timedelta(days=1)).astimezone(dt.timezone(dt.timedelta(hours=5)))
    assert exc.value.message_dict == {  # type: ignore[attr-defined]
        "__all__": [f"Registration for GA 7 opens on {local:%d %B %Y %H:%M} (Asia/Almaty)."]
    }
    # The secretariat still registers (late and on-site arrivals).
    reg = domain.registration_create(
        actor=staff_user, event=event, organisation=org, person_name="A"
    )
    assert reg.status == "approved"
