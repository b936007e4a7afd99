"""Benchmark of rendering a convocation to many recipients (prints times and a ratio; no
pass/fail).

Renders the General Assembly's convocation (subject, plain text, HTML) for N recipients
spread over the site's languages, twice in the same run: each recipient's message rendered
alone (`message_render`, as before) and once per language with each recipient's name and
organisation put in (`messages_render`); checks that both give the same messages.
No database is needed: the meeting and its agenda are unsaved model instances.

    python benchmarks/mail_render.py --recipients 5000
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbis.config.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from urbis.governance.models import AgendaItem, Meeting  # noqa: E402
from urbis.messaging.domain import AttachmentIn  # noqa: E402
from urbis.messaging.render import Addressee, message_render, messages_render  # noqa: E402

NAME = "governance/messages/convocation"


def context() -> dict[str, object]:
    meeting = Meeting(
        slug="ga-12",
        title="12th General Assembly",
        date=dt.date(2031, 4, 15),
        venue="Lisbon Congress Centre",
        convocation_notice="The Assembly meets in Lisbon.",
    )
    agenda = [
        AgendaItem(number=n, title=title, kind="report", article="11(4)" if n == 2 else "")
        for n, title in enumerate(("Opening", "Election of the President", "Dues"), start=1)
    ]
    return {
        "meeting": meeting,
        "time_range": "14:00\u201317:30",
        "zone": "WEST",
        "agenda": agenda,
        "called": [],
        "registration_url": "https://urbis.example/events/ga-2031/register/",
        "meeting_url": "https://urbis.example/governance/ga-12/",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=5000)
    n = parser.parse_args().recipients
    languages = [code for code, _ in settings.LANGUAGES]
    ics = AttachmentIn("ga-12.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    addressees = [
        Addressee(
            to_address=f"focal{i}@member{i}.example",
            to_name=f"Focal Point {i}",
            language=languages[i % len(languages)],
            vary={"organisation": f"Member City {i}"},
            attachments=(ics,),
        )
        for i in range(n)
    ]
    ctx = context()
    messages_render(NAME, ctx, addressees[: len(languages)])  # templates and catalogs loaded

    t, cpu = time.perf_counter(), time.process_time()
    alone = [
        message_render(
            NAME,
            {**ctx, **a.vary},
            to_address=a.to_address,
            to_name=a.to_name,
            language=a.language,
            attachments=a.attachments,
        )
        for a in addressees
    ]
    alone_wall, alone_cpu = time.perf_counter() - t, time.process_time() - cpu

    t, cpu = time.perf_counter(), time.process_time()
    once = messages_render(NAME, ctx, addressees)
    once_wall, once_cpu = time.perf_counter() - t, time.process_time() - cpu

    assert once == alone, "rendering once per language changed a message"
    print(f"recipients: {n} in {len(languages)} languages; the messages are identical")
    print(
        f"each alone        {alone_wall:7.2f} s wall {alone_cpu:7.2f} s CPU"
        f"   {n / alone_cpu:9.0f} msg/s CPU"
    )
    print(
        f"once per language {once_wall:7.2f} s wall {once_cpu:7.2f} s CPU"
        f"   {n / once_cpu:9.0f} msg/s CPU   ratio (CPU) {alone_cpu / once_cpu:.1f}x"
    )


if __name__ == "__main__":
    main()
