"""Benchmark of the outbox (prints measured rates and ratios; no pass/fail).

Queues a convocation (plain text, HTML and an .ics attachment) to N recipients and sends it
through a local SMTP server (aiosmtpd in its own process, writing each received Message-ID
to a file), then prints:

  queueing   messages_queue(...) in one transaction   vs  a bare executemany INSERT of
                                                          the same rows
  delivery   `urbis outbox_send` in a worker process   vs  a bare smtplib loop (one
                                                          connection, same messages)
  recovery   the same send with the worker SIGKILLed once mid-run, a second worker
             started after it: received, distinct, lost, doubled
  memory     peak Python allocations while queueing; peak RSS of the worker processes

Each rate is given in wall time and in the CPU time of the Python process that does the
work (the database server's and the SMTP server's CPU are not counted); on a shared,
loaded machine the CPU ratio is the steadier one. The peak allocations are measured in a
run of their own: tracing every allocation slows the code it traces several times over.

    createdb -h 127.0.0.1 -U postgres urbis_bench_mail
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/urbis_bench_mail \\
        python benchmarks/outbox.py --recipients 5000
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import signal
import smtplib
import subprocess
import sys
import tempfile
import time
import tracemalloc
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "urbis.config.settings")


def run_sink(port: int, out: str) -> None:
    """The SMTP server process: accept everything, append each Message-ID to `out`."""
    from aiosmtpd.controller import Controller

    log = open(out, "a", buffering=1)  # noqa: SIM115 - open for the life of the process

    class Handler:
        async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
            for line in envelope.content.split(b"\r\n"):
                if line.lower().startswith(b"message-id:"):
                    log.write(line.split(b":", 1)[1].strip().decode() + "\n")
                    break
                if not line:
                    log.write("(none)\n")
                    break
            return "250 OK"

    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()
    asyncio.set_event_loop(asyncio.new_event_loop())


if len(sys.argv) > 1 and sys.argv[1] == "--sink":
    run_sink(int(sys.argv[2]), sys.argv[3])
    sys.exit(0)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from urbis.messaging.domain import AttachmentIn, Outgoing, messages_queue  # noqa: E402
from urbis.messaging.models import Attachment, Message  # noqa: E402
from urbis.messaging.sink import free_port  # noqa: E402

ICS = (
    b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//urbis//bench//EN\r\nBEGIN:VEVENT\r\n"
    b"UID:ga7@urbis\r\nDTSTART:20260915T090000Z\r\nSUMMARY:7th General Assembly\r\n"
    b"END:VEVENT\r\nEND:VCALENDAR\r\n"
)


def outgoing(n: int) -> list[Outgoing]:
    return [
        Outgoing(
            to_address=f"focal{i}@member{i}.example",
            to_name=f"Focal Point {i}",
            subject="Convocation of the 7th General Assembly",
            body_text=f"Dear Focal Point {i},\n\nThe 7th General Assembly meets on 15 "
            "September 2026 at 09:00 UTC.\nRegister: https://urbis.example/events/ga7/\n",
            body_html=f"<p>Dear Focal Point {i},</p><p>The 7th General Assembly meets on "
            "15 September 2026 at 09:00 UTC.</p>",
            attachments=(AttachmentIn("ga7.ics", ICS, "text/calendar"),),
        )
        for i in range(n)
    ]


def clear() -> None:
    Attachment.objects.all().delete()
    Message.objects.all().delete()
    with connection.cursor() as c:
        c.execute("DELETE FROM django_tasks_database_dbtaskresult")


def time_queue(n: int, *, trace: bool = False) -> tuple[float, float, int, list[str]]:
    """Wall and CPU time of queueing n messages, and (when `trace`) the peak of the
    Python allocations meanwhile."""
    items = outgoing(n)
    if trace:
        tracemalloc.start()
    t, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic():
        rows = messages_queue(
            kind="governance.convocation",
            messages=items,
            actor=None,
            statutory=True,
            reference="meeting:bench",
        )
    elapsed, cpu = time.perf_counter() - t, time.process_time() - cpu
    peak = 0
    if trace:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return elapsed, cpu, peak, [r.message_id for r in rows]


def time_bare_insert(n: int) -> tuple[float, float]:
    """The same rows (message and attachment) with executemany, no validation or audit."""
    items = outgoing(n)
    now = timezone.now()
    cols = (
        "id, kind, state, statutory, to_address, to_name, from_address, reply_to, subject, "
        "body_text, body_html, message_id, reference, attempts, max_attempts, "
        "next_attempt_at, last_error, created_at"
    )
    import uuid

    t, cpu = time.perf_counter(), time.process_time()
    with transaction.atomic(), connection.cursor() as c:
        ids = [uuid.uuid4() for _ in items]
        ph = ", ".join(["%s"] * 18)
        c.executemany(
            f"INSERT INTO messaging_message ({cols}) VALUES ({ph})",
            [
                (
                    str(i) if connection.vendor == "sqlite" else i,
                    "bare",
                    "cancelled",
                    True,
                    o.to_address,
                    o.to_name,
                    "a@b",
                    "",
                    o.subject,
                    o.body_text,
                    o.body_html,
                    make_msgid(domain="bare"),
                    "",
                    0,
                    5,
                    now,
                    "",
                    now,
                )
                for i, o in zip(ids, items, strict=True)
            ],
        )
        c.executemany(
            "INSERT INTO messaging_attachment (message_id, filename, content_type, content) "
            "VALUES (%s, %s, %s, %s)",
            [
                (str(i) if connection.vendor == "sqlite" else i, "ga7.ics", "text/calendar", ICS)
                for i in ids
            ],
        )
    return time.perf_counter() - t, time.process_time() - cpu


def time_bare_smtp(n: int, port: int) -> tuple[float, float]:
    items = outgoing(n)
    t, cpu = time.perf_counter(), time.process_time()
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        for o in items:
            msg = EmailMessage()
            msg["Subject"], msg["From"] = o.subject, "secretariat@urbis.localhost"
            msg["To"], msg["Message-ID"] = f"{o.to_name} <{o.to_address}>", make_msgid()
            msg.set_content(o.body_text)
            msg.add_alternative(o.body_html, subtype="html")
            msg.add_attachment(ICS, maintype="text", subtype="calendar", filename="ga7.ics")
            smtp.send_message(msg)
    return time.perf_counter() - t, time.process_time() - cpu


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines() if path.exists() else []


def worker(port: int, *args: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "EMAIL_PORT": str(port),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "PYTHONPATH": str(ROOT / "src"),
    }
    cmd = [sys.executable, str(ROOT / "src/urbis/manage.py"), "outbox_send", *args]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, text=True)


def deliver(n: int, port: int, log: Path, *, kill_at: int | None) -> dict[str, object]:
    """Queue n messages and send them with worker processes; kill the first one with SIGKILL
    once `kill_at` messages were received, then start a second that takes over the stale
    claims at once (--stale-minutes 0)."""
    log.write_text("")
    _, _, _, ids = time_queue(n)
    t = time.perf_counter()
    first = worker(port)
    killed_at = None
    if kill_at is not None:
        while len(lines(log)) < kill_at and first.poll() is None:
            time.sleep(0.005)
        first.send_signal(signal.SIGKILL)
        killed_at = len(lines(log))
    out, _ = first.communicate()
    # The worker's own wall and CPU time for the sends (its start-up, Django's import, is
    # left out): "… in 12.34 s (CPU 5.67 s)".
    sending = sending_cpu = 0.0
    if kill_at is None:
        tail = out.rsplit(" in ", 1)[1].split()
        sending, sending_cpu = float(tail[0]), float(tail[3])
    if kill_at is not None:
        worker(port, "--stale-minutes", "0").communicate()
    elapsed = time.perf_counter() - t
    got = lines(log)
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {
        "elapsed": elapsed,
        "sending": sending,
        "sending_cpu": sending_cpu,
        "received": len(got),
        "distinct": len(set(got)),
        "lost": len(set(ids) - set(got)),
        "doubled": len(got) - len(set(got)),
        "foreign": len(set(got) - set(ids)),
        "killed_at": killed_at,
        "sent_rows": Message.objects.filter(state="sent").count(),
        "worker_rss_kib": rss,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--recipients", type=int, default=5000)
    args = parser.parse_args()
    n = args.recipients
    call_command("migrate", verbosity=0)
    port = free_port()
    log = Path(tempfile.gettempdir()) / f"urbis-bench-outbox-{os.getpid()}.log"
    sink = subprocess.Popen([sys.executable, __file__, "--sink", str(port), str(log)])
    time.sleep(1.0)  # the sink binds its port
    try:
        print(f"database: {connection.vendor}; recipients: {n}")
        clear()
        time_queue(20)  # warm-up: the e-mail validator compiles its patterns once
        clear()
        queued, queued_cpu, _, _ = time_queue(n)
        clear()
        bare, bare_cpu = time_bare_insert(n)
        clear()
        _, _, peak, _ = time_queue(n, trace=True)
        clear()
        print(
            f"queueing  outbox {n / queued:9.0f} msg/s   bare INSERT {n / bare:9.0f} msg/s"
            f"   ratio {bare / queued:.2f}   CPU {queued_cpu:.2f} s / {bare_cpu:.2f} s,"
            f" ratio {bare_cpu / queued_cpu:.2f}   peak allocations {peak / 2**20:.1f} MiB"
        )
        log.write_text("")
        smtp, smtp_cpu = time_bare_smtp(n, port)
        assert len(lines(log)) == n, "the bare loop lost messages"
        run = deliver(n, port, log, kill_at=None)
        clear()
        sending, sending_cpu = float(run["sending"]), float(run["sending_cpu"])  # type: ignore[arg-type]
        print(
            f"delivery  outbox {n / sending:9.0f} msg/s   bare smtplib {n / smtp:9.0f} msg/s"
            f"   ratio {smtp / sending:.2f}   CPU {sending_cpu:.2f} s / {smtp_cpu:.2f} s,"
            f" ratio {smtp_cpu / sending_cpu:.2f}   "
            f"received {run['received']}, doubled {run['doubled']}"
        )
        killed = deliver(n, port, log, kill_at=n * 2 // 5)
        clear()
        print(
            f"recovery  worker SIGKILLed after {killed['killed_at']} received; "
            f"received {killed['received']}, distinct {killed['distinct']}, "
            f"lost {killed['lost']}, doubled {killed['doubled']}, rows sent "
            f"{killed['sent_rows']}/{n}, {killed['elapsed']:.1f} s"
        )
        print(
            f"memory    peak RSS of the worker processes {int(killed['worker_rss_kib']) // 1024}"  # type: ignore[call-overload]
            " MiB"
        )
    finally:
        sink.send_signal(signal.SIGTERM)
        sink.wait()
        log.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
