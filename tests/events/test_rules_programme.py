"""Pure rules of the programme: wall-clock times in an IANA zone, and the registration window."""

import datetime as dt

import pytest

from urbis.events import rules

UTC = dt.UTC


def test_seoul_afternoon_is_the_utc_morning_and_back():
    at = rules.local_to_utc(dt.date(2026, 9, 23), dt.time(15, 0), "Asia/Seoul")
    assert at == dt.datetime(2026, 9, 23, 6, 0, tzinfo=UTC)
    assert rules.utc_to_local(at, "Asia/Seoul").strftime("%Y-%m-%d %H:%M") == "2026-09-23 15:00"


def test_a_local_time_after_midnight_utc_is_the_previous_utc_day():
    at = rules.local_to_utc(dt.date(2026, 9, 23), dt.time(8, 30), "Asia/Seoul")
    assert at == dt.datetime(2026, 9, 22, 23, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "local", "utc"),
    [
        # Berlin, clocks forward at 02:00 on 29 March 2026 (CET +1 → CEST +2).
        (dt.date(2026, 3, 29), dt.time(1, 59), dt.datetime(2026, 3, 29, 0, 59, tzinfo=UTC)),
        (dt.date(2026, 3, 29), dt.time(3, 0), dt.datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        (dt.date(2026, 3, 28), dt.time(15, 0), dt.datetime(2026, 3, 28, 14, 0, tzinfo=UTC)),
        (dt.date(2026, 3, 30), dt.time(15, 0), dt.datetime(2026, 3, 30, 13, 0, tzinfo=UTC)),
        # Back at 03:00 on 25 October 2026: 02:30 happens twice; the first is meant.
        (dt.date(2026, 10, 25), dt.time(2, 30), dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        (dt.date(2026, 10, 25), dt.time(3, 0), dt.datetime(2026, 10, 25, 2, 0, tzinfo=UTC)),
    ],
)
def test_daylight_saving_time_in_berlin(day, local, utc):
    assert rules.local_to_utc(day, local, "Europe/Berlin") == utc
    assert rules.utc_to_local(utc, "Europe/Berlin").time() == local


@pytest.mark.parametrize("local", [dt.time(2, 0), dt.time(2, 30), dt.time(2, 59)])
def test_the_skipped_hour_does_not_exist(local):
    with pytest.raises(ValueError) as exc:
        rules.local_to_utc(dt.date(2026, 3, 29), local, "Europe/Berlin")
    assert str(exc.value) == (
        f"{local:%H:%M} does not exist on 2026-03-29 in Europe/Berlin (clocks go forward)."
    )


def test_time_zone_names_are_the_iana_list():
    assert rules.is_time_zone("Asia/Almaty")
    assert rules.is_time_zone("America/Sao_Paulo")
    assert not rules.is_time_zone("Asia/almaty")
    assert not rules.is_time_zone("")
    assert not rules.is_time_zone("Mars/Olympus")
    assert list(rules.time_zone_names()) == sorted(rules.time_zone_names())


OPENS = dt.datetime(2026, 6, 1, 4, 0, tzinfo=UTC)  # 09:00 in Almaty
CLOSES = dt.datetime(2026, 9, 10, 13, 0, tzinfo=UTC)  # 18:00 in Almaty
TICK = dt.timedelta(microseconds=1)


def refusal(now, *, on=True, opens=OPENS, closes=CLOSES):
    return rules.registration_refusal(
        event_name="GA 7",
        switched_on=on,
        opens_at=opens,
        closes_at=closes,
        now=now,
        zone="Asia/Almaty",
    )


def test_registration_window_boundaries():
    assert refusal(OPENS - TICK) == (
        "Registration for GA 7 opens on 01 June 2026 09:00 (Asia/Almaty)."
    )
    assert refusal(OPENS) is None
    assert refusal(CLOSES - TICK) is None
    assert (
        refusal(CLOSES) == "Registration for GA 7 closed on 10 September 2026 18:00 (Asia/Almaty)."
    )
    assert refusal(OPENS, on=False) == "Registration for GA 7 is closed."
    assert refusal(CLOSES + dt.timedelta(days=900), opens=None, closes=None) is None
    assert refusal(OPENS - TICK, opens=None) is None


def test_ids_in_range():
    assert rules.id_in_range(1)
    assert rules.id_in_range(2**63 - 1)
    assert not rules.id_in_range(0)
    assert not rules.id_in_range(2**63)
    assert not rules.id_in_range(2**70)
