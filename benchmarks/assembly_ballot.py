"""A synthetic General Assembly's poll under load: members vote while the chair closes it.

    DATABASE_URL=postgres://user@127.0.0.1:5432/db python benchmarks/assembly_ballot.py

Builds the synthetic assembly of `benchmarks/assembly.py` (SYNTHETIC local-government
members, one delegation each, all present), opens a secret poll on a motion, serves the
project under gunicorn (sync workers, as deployed) and has 50 concurrent clients cast one
vote per member through the web ballot: each head of delegation posts its ballot through
its personal link (POST /ballot/<token>/vote/, as the ballot page's htmx form does, with
its CSRF token) and is answered the panel with its receipt, or the refusal in words.
(`--path api`: the polls API instead, POST /api/v1/governance/polls/<id>/votes signed with
a staff member's desk key, answered 201 or 409.) When half of the votes are answered the
chair closes the poll (POST …/polls/<id>/close, desk key), so votes arrive before, during
and after the close. It measures the floor (a bare Django view doing one INSERT) before and
after, and prints votes/s, p50/p99 and the ratio to the floor; then it checks the books:
every vote answered "recorded" (201) is counted in the closed poll, every vote answered
"closed" (409) is not, and nothing else is (0 lost, 0 extra).

That phase saturates the server, so its latencies are mostly queueing behind 50 clients.
The latency phase (`--rate`, 100 a second by default: 2,000 votes in 20 s, three times a
real assembly's pace) sends each member's vote on a second poll at a steady pace, open loop,
and the floor at the same pace, and prints their p50/p99; the second poll's books are
checked too.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from benchmarks.assembly import (  # noqa: E402  (the path first)
    SLUG,
    Phase,
    fill_register,
    run_phase,
    setup,
)
from benchmarks.server import free_port, start_gunicorn, stop, wait_for  # noqa: E402


def open_poll(number: int = 1) -> tuple[int, int]:
    """A secret motion on the synthetic meeting's item `number` (added when missing);
    returns the poll id and its "for" option."""
    from urbis.common.actor import Actor
    from urbis.governance import domain
    from urbis.governance.models import AgendaItem, Meeting

    meeting = Meeting.objects.get(slug=SLUG)
    item, _ = AgendaItem.objects.get_or_create(
        meeting=meeting,
        number=number,
        defaults={"title": f"Synthetic motion {number}", "kind": "approval", "method": "roll_call"},
    )
    poll = domain.poll_open(item=item, kind="motion", method="secret", actor=Actor.system())
    return poll.pk, poll.options.get(choice="for").pk


RECORDED, CLOSED = 201, 409  # what the books count; the ballot page's words map to them


@dataclass(frozen=True)
class Ballot:
    """One member's vote as the client sends it."""

    organisation_id: int
    path: str
    body: bytes


def ballot_links(poll_id: int, option_id: int) -> list[Ballot]:
    """Each head of delegation's vote through its ballot link, as the page's form posts it."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from urbis.governance.ballot_links import ballot_link_sign
    from urbis.governance.models import Delegate, Meeting

    meeting = Meeting.objects.get(slug=SLUG)
    body = urlencode({"poll": poll_id, "option": option_id}).encode()
    return [
        Ballot(
            d.organisation_id,
            reverse(
                "governance:ballot_link_vote", args=[ballot_link_sign(delegate=d, meeting=meeting)]
            ),
            body,
        )
        for d in Delegate.objects.filter(meeting=meeting, role=Delegate.Role.HEAD).order_by("pk")
    ]


def ballot_status(status: int, content: bytes) -> int:
    """The ballot page answers 200 with the receipt or the refusal in words: as the API's
    statuses, so that both paths keep the same books."""
    if status != 200:
        return status
    if b"Your vote is recorded." in content:
        return RECORDED
    if b"This poll is closed" in content:
        return CLOSED
    return 200  # another refusal: neither recorded nor closed (counted as an error)


def post_close(port: int, poll_id: int, headers: dict) -> int:
    """The chair closes the poll (signed in); returns the answer's status."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("POST", f"/api/v1/governance/polls/{poll_id}/close", body=b"", headers=headers)
    status = conn.getresponse().status
    conn.close()
    return status


def vote_phase(
    port: int,
    clients: int,
    ballots: list[Ballot],
    poll_id: int,
    headers: dict,
    close_headers: dict,
    web: bool,
) -> tuple[Phase, dict[int, int], int]:
    """Every vote once from `clients` threads; the close when half are answered. Returns
    the phase, the status of each organisation's vote and the close's status."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    by_org: dict[int, int] = {}
    lock = threading.Lock()
    half = threading.Event()
    closed: list[int] = []

    def post(path: str, body: bytes, hdrs: dict) -> tuple[float, int, bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        start = time.perf_counter()
        conn.request("POST", path, body=body, headers=hdrs)
        response = conn.getresponse()
        content = response.read()
        conn.close()
        return time.perf_counter() - start, response.status, content

    def one(ballot: Ballot) -> None:
        elapsed, status, content = post(ballot.path, ballot.body, headers)
        if web:
            status = ballot_status(status, content)
        with lock:
            latencies.append(elapsed)
            statuses[status] = statuses.get(status, 0) + 1
            by_org[ballot.organisation_id] = status
            if len(latencies) >= len(ballots) // 2:
                half.set()

    def close() -> None:
        half.wait()
        closed.append(post_close(port, poll_id, close_headers))

    closer = threading.Thread(target=close)
    closer.start()
    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, ballots))
    seconds = time.perf_counter() - start
    closer.join()
    return Phase("votes", seconds, dict(statuses), latencies), by_org, closed[0]


def paced_phase(
    name: str, port: int, rate: float, requests: list[tuple[str, bytes]], headers: dict, web: bool
) -> tuple[Phase, dict[int, int]]:
    """Open loop: request i leaves at `i / rate` seconds whatever the answers before it, and
    its latency counts from that time (a late start is the server's delay too). Returns the
    phase and the status of each request by index."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    by_index: dict[int, int] = {}
    lock = threading.Lock()
    start = time.perf_counter() + 0.1

    def one(indexed: tuple[int, tuple[str, bytes]]) -> None:
        i, (path, body) = indexed
        due = start + i / rate
        time.sleep(max(0.0, due - time.perf_counter()))
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        content = response.read()
        conn.close()
        elapsed = time.perf_counter() - due
        status = ballot_status(response.status, content) if web else response.status
        with lock:
            latencies.append(elapsed)
            statuses[status] = statuses.get(status, 0) + 1
            by_index[i] = status

    # Enough threads that none waits for a free one at this rate, up to 10 s of answers.
    with ThreadPoolExecutor(max_workers=min(len(requests), max(20, int(rate)))) as pool:
        list(pool.map(one, enumerate(requests)))
    return Phase(name, time.perf_counter() - start, dict(statuses), latencies), by_index


def books(poll_id: int, by_org: dict[int, int]) -> tuple[int, int, int, int]:
    """(answered 201, counted, lost, extra): a vote answered 201 missing from the closed
    poll is lost; a participation or a count without a 201 is extra."""
    from urbis.governance.models import PollOption, PollParticipation

    recorded = {o for o, s in by_org.items() if s == RECORDED}
    voters = set(
        PollParticipation.objects.filter(poll_id=poll_id).values_list("organisation_id", flat=True)
    )
    counted = sum(PollOption.objects.filter(poll_id=poll_id).values_list("votes", flat=True))
    lost = len(recorded - voters)
    extra = len(voters - recorded) + max(0, counted - len(recorded))
    return len(recorded), counted, lost, extra


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument(
        "--rate",
        type=float,
        default=100.0,
        help="latency phase: votes (and floor requests) per second, sent at a steady pace on a "
        "second poll (0: no latency phase)",
    )
    parser.add_argument(
        "--path",
        choices=["ballot", "api"],
        default="ballot",
        help="ballot: the web ballot through each head's link; api: the polls API, desk key",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (postgres://...).")
    args.port = args.port or free_port()
    print(f"Setting up a synthetic assembly of {args.members} member delegations ...")
    _, delegate_ids, org_ids, session, csrf, desk_key = setup(args.members)
    fill_register(delegate_ids)
    poll_id, yes = open_poll()
    web = args.path == "ballot"
    if web:
        ballots = ballot_links(poll_id, yes)
    else:
        ballots = [
            Ballot(
                o,
                f"/api/v1/governance/polls/{poll_id}/votes",
                json.dumps({"organisation_id": o, "option_ids": [yes]}).encode(),
            )
            for o in org_ids
        ]

    proc = start_gunicorn(args.port, args.workers)
    try:
        wait_for(args.port, proc, f"/api/v1/governance/polls/{poll_id}")
        headers = {
            "Authorization": f"Bearer {desk_key}",
            "Content-Type": "application/json",
            "Connection": "close",
        }
        floor_reqs = [("POST", "/bench/floor/", b"")] * args.members
        run_phase("warm-up", args.port, args.clients, floor_reqs[:200], headers)
        floor_a = run_phase("floor (before)", args.port, args.clients, floor_reqs, headers)
        ballot_headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "X-CSRFToken": csrf,
            "HX-Request": "true",
            "Connection": "close",
        }
        # The chair runs the meeting signed in (a desk key checks in and votes, no more).
        chair = {"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf}
        votes, by_org, close_status = vote_phase(
            args.port,
            args.clients,
            ballots,
            poll_id,
            ballot_headers if web else headers,
            {**chair, "Connection": "close"},
            web,
        )
        floor_b = run_phase("floor (after)", args.port, args.clients, floor_reqs, headers)
        paced: list[Phase] = []
        if args.rate > 0:
            # Latency at a steady arrival rate (the saturating phase above measures
            # throughput, where every request queues behind 50 others): each member votes on
            # a second poll at `--rate` per second, the floor paced the same.
            poll2, yes2 = open_poll(2)
            second = (
                ballot_links(poll2, yes2)
                if web
                else [
                    Ballot(
                        o,
                        f"/api/v1/governance/polls/{poll2}/votes",
                        json.dumps({"organisation_id": o, "option_ids": [yes2]}).encode(),
                    )
                    for o in org_ids
                ]
            )
            floor_paced, _ = paced_phase(
                f"floor @{args.rate:.0f}/s",
                args.port,
                args.rate,
                [("/bench/floor/", b"")] * len(second),
                headers,
                web=False,
            )
            votes_paced, by_index = paced_phase(
                f"votes @{args.rate:.0f}/s",
                args.port,
                args.rate,
                [(b.path, b.body) for b in second],
                ballot_headers if web else headers,
                web,
            )
            paced = [floor_paced, votes_paced]
            closed2 = post_close(args.port, poll2, {**chair, "Connection": "close"})
            by_org2 = {second[i].organisation_id: st for i, st in by_index.items()}
    finally:
        stop(proc)
    floor = max(floor_a.rate, floor_b.rate)
    print(f"{'phase':<16}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}  answers")
    for phase in (floor_a, votes, floor_b, *paced):
        print(
            f"{phase.name:<16}{phase.rate:>9.0f}{phase.pct(0.50):>9.1f}{phase.pct(0.99):>9.1f}"
            f"  {dict(sorted(phase.statuses.items(), key=str))}"
        )
    print(f"votes / floor: {votes.rate / floor:.2f} (goal ≥ 0.5); close answered {close_status}")
    recorded, counted, lost, extra = books(poll_id, by_org)
    print(
        f"answered recorded: {recorded}; counted in the closed poll: {counted}; "
        f"lost: {lost}; extra: {extra}"
    )
    if paced:
        recorded2, counted2, lost2, extra2 = books(poll2, by_org2)
        print(
            f"latency phase: p99 {paced[1].pct(0.99):.1f} ms (goal < 100), floor's "
            f"{paced[0].pct(0.99):.1f} ms; answered recorded: {recorded2}; counted: {counted2}; "
            f"lost: {lost2}; extra: {extra2}; close answered {closed2}"
        )
        lost, extra = lost + lost2, extra + extra2
        close_status = close_status if closed2 == 200 else closed2
    if lost or extra or close_status != 200:
        sys.exit(1)


if __name__ == "__main__":
    main()
