"""The web ballot through a head of delegation's personal, single-meeting link
(`ballot_links`): the page, its panel, and the vote.

A vote from the page's htmx form is checked and written in one statement
(`domain.poll_vote_cast_by_link`) and answered the receipt alone, rendered from what the
statement and the poll's kept facts know; the panel, which asks for itself every two
seconds, shows the rest. A plain form post (no script), a ballot carried by proxy and the
refusals other than a closed poll are answered the whole panel or page, as a signed-in
focal point's vote is (`views_ballot`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.views.decorators.http import require_POST

from urbis.common.actor import Actor
from urbis.common.inputs import parse_id
from urbis.governance import domain, queries
from urbis.governance.ballot_links import (
    LINK_REFUSED,
    ballot_link_actor_label,
    ballot_link_delegate,
    ballot_link_read,
)
from urbis.governance.domain.polls.links import CLOSED
from urbis.governance.models import Meeting, PollState
from urbis.governance.views_ballot import (
    POLL_EVERY,
    Voter,
    _cast,
    _panel_context,
    _panel_or_204,
    _render_panel,
    _urls,
    _version_of,
)


def _link_voter(token: str) -> tuple[Meeting, Voter]:
    delegate = ballot_link_delegate(token)
    if delegate is None:
        raise Http404(LINK_REFUSED)
    return delegate.meeting, Voter(delegate.organisation, delegate=delegate, token=token)


def _link_actor(voter: Voter) -> Actor:
    assert voter.delegate is not None
    return Actor.system(ballot_link_actor_label(voter.delegate))


def ballot_link(request: HttpRequest, token: str) -> HttpResponse:
    meeting, voter = _link_voter(token)
    context = _panel_context(meeting, voter, _urls(meeting, voter))
    return render(request, "governance/ballot/ballot.html", context)


def ballot_link_panel(request: HttpRequest, token: str) -> HttpResponse:
    meeting, voter = _link_voter(token)
    return _panel_or_204(request, meeting, voter)


@require_POST
def ballot_link_vote(request: HttpRequest, token: str) -> HttpResponse:
    """A vote through a head of delegation's link. The page's htmx form is answered the
    receipt alone, from what the vote's one statement and the poll's kept facts know: the
    panel asks for itself every two seconds and shows the rest (the ballots a member carries
    by proxy, the next poll). A vote refused as closed is answered in words the same way.
    A plain form post (no script), a proxy's ballot and other refusals get the whole panel."""
    link = ballot_link_read(token)
    if link is None:
        raise Http404(LINK_REFUSED)
    if not getattr(request, "htmx", False) or request.POST.get("grantor"):
        meeting, voter = _link_voter(token)
        return _cast(request, meeting, voter, _link_actor(voter), _urls(meeting, voter))
    panel = reverse("governance:ballot_link_panel", args=[token])
    try:
        poll_id = parse_id(request.POST.get("poll", ""), field="poll")
        option_ids = [
            parse_id(v, field="option") for v in request.POST.getlist("option") if v.strip()
        ]
        voted = domain.poll_vote_cast_by_link(link=link, poll_id=poll_id, option_ids=option_ids)
    except domain.BallotLinkRefusedError as exc:
        raise Http404(str(exc)) from exc
    except domain.PollClosedError:
        return HttpResponse(
            render_to_string(
                "governance/ballot/_refused.html",
                {
                    "error": CLOSED,
                    "poll_url": f"{panel}?v=refused&closed={poll_id}",
                    "every": POLL_EVERY,
                },
            )
        )
    except ValidationError as exc:  # words for a delegate: the reason, not the field
        return _link_refused(request, token, " ".join(exc.messages))
    except PermissionDenied as exc:  # not eligible: the statutes' reason
        return _link_refused(request, token, str(exc))
    status, receipt = voted.status, voted.receipt
    # What the panel's next poll computes when nothing else changed: then it answers 204
    # and the receipt stays. A member carrying proxies has more ballots: the panel follows.
    version = (
        "recorded"
        if voted.carries_proxies
        else _version_of(status, receipt.poll_id, PollState.OPEN, "1")
    )
    context = {
        "heading": _poll_heading(voted.facts),
        "receipt": receipt,
        "version": version,
        "poll_url": f"{panel}?v={version}",
        "every": POLL_EVERY,
    }
    return HttpResponse(render_to_string("governance/ballot/_receipt.html", context))


_HEADINGS: dict[tuple[int, object, str], SafeString] = {}
_HEADINGS_KEPT = 64  # (poll opening, language) pairs; a meeting has one open poll at a time


def _poll_heading(facts: queries.BallotFacts) -> SafeString:
    """The poll's heading as a ballot shows it, rendered once per opening of the poll and
    language: it is the same for every vote, and rendering it was a third of the CPU a
    link's vote cost."""
    key = (facts.poll_id, facts.opened_at, get_language() or "")
    heading = _HEADINGS.get(key)
    if heading is None:
        heading = render_to_string(
            "governance/ballot/_poll_heading.html",
            {
                "number": facts.item_number,
                "title": facts.item_title,
                "round": facts.round,
                "kind": facts.kind,
                "kind_label": facts.kind_label,
                "method_label": facts.method_label,
                "seats": facts.seats,
            },
        )
        if len(_HEADINGS) >= _HEADINGS_KEPT:
            _HEADINGS.clear()
        _HEADINGS[key] = heading
    return heading


def _link_refused(request: HttpRequest, token: str, error: str) -> HttpResponse:
    meeting, voter = _link_voter(token)
    return _render_panel(
        request, _panel_context(meeting, voter, _urls(meeting, voter), error=error)
    )
