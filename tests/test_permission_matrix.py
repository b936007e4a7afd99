"""Every URL and every API operation x every role: the expected allow/deny, as a table.

Deny is 401/403, a redirect to the sign-in page, a 404 (every object named exists, so a 404
hides it from this role) or an htmx fragment that renders nothing. Anything else counts as
allow: 200, a redirect after a write, or a 400/422 for a body that fails validation after the
permission check. Writes are sent with bodies valid enough to reach that check (several
handlers parse before they check, so an empty body would hide the answer).

A URL pattern or API operation without an entry fails `test_every_endpoint_has_an_entry`
naming it: a new endpoint must be added to the table with its rule.

Roles (the focal point and the evaluator are tried on two or three objects):
  anon   — not signed in
  fp     — focal point of member A, on A's objects;  fpx — the same user on B's objects
  ev     — evaluator on its own assignment;  evx — on another judge's;  evc — on one it
           declared a conflict with
  excom, staff, admin — EXCOM member, secretariat staff, secretariat admin
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.factories.world import World, build_world
from urbis.config.api import api

ROLES: dict[str, tuple[str | None, str]] = {
    "anon": (None, "own"),
    "fp": ("focal", "own"),
    "fpx": ("focal", "other"),
    "ev": ("evaluator", "own"),
    "evx": ("evaluator", "other"),
    "evc": ("evaluator", "conflict"),
    "excom": ("excom", "own"),
    "staff": ("staff", "own"),
    "admin": ("admin", "own"),
}

# Shorthands for the allow column.
ALL = "anon fp fpx ev evx evc excom staff admin"
AUTH = "fp fpx ev evx evc excom staff admin"
SEC = "staff admin"
SEC_EXCOM = "excom staff admin"
SEC_FP = "fp staff admin"  # the secretariat, and a focal point on its own member's objects
SEC_EXCOM_FP = "fp excom staff admin"
NONE = ""

# URL kwarg / API path parameter → (world object, attribute), per endpoint.
ORG = {"slug": ("org", "slug")}
EVENT = {"slug": ("event", "slug")}
REG = {"slug": ("event", "slug"), "code": ("registration", "code")}
SESSION = {"slug": ("event", "slug"), "session_id": ("session", "pk")}
SPONSOR = {"slug": ("event", "slug"), "sponsor_id": ("sponsor", "pk")}
VENUE = {"venue_id": ("session", "venue_id")}
SESSION_PAGE = {"slug": ("event", "slug"), "pk": ("session", "pk")}
SPONSOR_PAGE = {"slug": ("event", "slug"), "pk": ("sponsor", "pk")}
VENUE_PAGE = {"pk": ("session", "venue_id")}
MEETING = {"slug": ("meeting", "slug")}
POLL = {"poll_id": ("poll", "pk")}
PROXY = {"slug": ("meeting", "slug"), "proxy_id": ("proxy", "pk")}
ASSEMBLY = {"number": ("meeting", "number")}
PRIZE_YEAR = {"year": ("prize_edition", "year")}
INDEX_YEAR = {"year": ("index_edition", "year")}
JOB = {"job_id": ("job", "pk")}
TOKEN = {"token_id": ("api_token", "pk")}  # the focal point's own token ("other": focal-b's)
MESSAGE = {"message_id": ("message", "pk")}
APPLICATION = {"reference": ("membership_application", "reference")}


Params = dict[str, tuple[str, str] | str] | None
Data = dict[str, Any] | None


@dataclass(frozen=True)
class Rule:
    """`data` is the JSON body (API) or form (pages), `query` the query string; their
    values are literals or (world object, attribute) pairs resolved per role like params.
    Bodies are valid enough to reach the permission check, which may come after parsing."""

    allow: str
    params: Params = None
    method: str = "GET"
    data: Data = None
    query: Data = None
    multipart: bool = False


def get(allow: str, params: Params = None, *, query: Data = None) -> Rule:
    return Rule(allow, params, "GET", query=query)


def post(allow: str, params: Params = None, *, data: Data = None, multipart: bool = False) -> Rule:
    return Rule(allow, params, "POST", data=data, multipart=multipart)


# Pages, by URL name (GET unless the view only accepts POST).
URLS: dict[str, Rule] = {
    "home": get(ALL),
    "favicon": get(ALL),
    "login": get(ALL),
    "set_language": post(ALL, data={"language": "fr", "next": "/"}),
    # members
    "members:directory": get(ALL),
    "members:import": get(SEC),
    "members:export": get(SEC),
    "members:counts": get(ALL),
    "members:organisation_new": get(SEC),
    "members:mine": get(AUTH),
    "members:apply": get(ALL),
    "members:applications": get(SEC_EXCOM),
    "members:application": get(SEC_EXCOM, APPLICATION),
    "members:application_document": get(SEC_EXCOM, APPLICATION),
    "members:application_action": post(SEC, {**APPLICATION, "action": "check"}),
    "members:detail": get(ALL, ORG),
    "members:organisation_edit": get(SEC_FP, ORG),
    "members:lifecycle_new": get(SEC, ORG),
    "members:participation_new": get(SEC, ORG),
    "members:contact_new": get(SEC_FP, ORG),
    "members:contact_edit": get(SEC_FP, {"slug": ("org", "slug"), "pk": ("contact", "pk")}),
    # dues and reviews
    "dues:invoices": get(SEC),
    "dues:arrears": get(SEC),
    "dues:invoices-issue": post(SEC),
    "dues:payments-import": post(SEC),
    "dues:statement": get(SEC),
    "dues:invoice-pdf": get(SEC_FP, {"number": ("invoice", "number")}),
    "dues:mine": get(AUTH),
    "dues:review": get(SEC_EXCOM),
    "dues:review-flag": post(
        SEC, data={"organisation": ("org", "slug"), "code": "ceased_to_exist"}
    ),
    "dues:review-approve": post(SEC),
    "dues:review-notify": post(SEC, data={"as_of": "2023-09-01"}),
    "dues:review-confirm": post(SEC, data={"as_of": "2023-09-01", "decision_ref": "EXCOM 1"}),
    "dues:invoice": get(SEC_FP, {"number": ("invoice", "number")}),
    "dues:invoice-payment": post(
        SEC,
        {"number": ("invoice", "number")},
        data={"amount": "10", "received_on": "2023-05-01", "currency": "USD", "reference": "M-1"},
    ),
    "dues:invoice-credit-note": post(
        SEC,
        {"number": ("invoice", "number")},
        data={"amount": "10", "issued_on": "2023-05-01", "reason": "Bank charges"},
    ),
    "dues:credit-note-pdf": get(SEC_FP, {"number": ("credit_note", "number")}),
    "dues:receipt-pdf": get(SEC_FP, {"number": ("payment", "receipt_number")}),
    "dues:between-assemblies": get(ALL),
    "dues:ledger": get(SEC_FP, ORG),
    "dues:ledger-part": get(SEC_FP, ORG),
    "dues:ledger-payment": post(
        SEC, ORG, data={"amount": "10.00", "received_on": "2026-02-03", "currency": "USD"}
    ),
    "dues-moved": get(ALL, {"rest": ("org", "slug")}),  # old addresses: a redirect for all
    # reports: the activity report is public; building one is the secretariat's
    "reports:html": get(ALL, ASSEMBLY),
    "reports:pdf": get(ALL, ASSEMBLY),
    "reports:build": get(SEC),
    "reports:build_run": post(SEC, data={"assembly": ("meeting", "number")}),
    # long jobs: the secretariat sees all, anyone else the jobs they asked for
    "common:job_list": get(AUTH),
    "common:job_detail": get(SEC_FP, JOB),
    "common:job_download": get(SEC_FP, JOB),
    # personal API tokens: anyone signed in has their own; only the owner revokes one
    "account:api_tokens": get(AUTH),
    "account:language": get(AUTH),
    "account:api_token_revoke": post("fp", TOKEN),
    # messaging: the outbox is the secretariat's; the unsubscribe link is anyone's
    "messaging:outbox": get(SEC),
    "messaging:message": get(SEC, MESSAGE),
    "messaging:resend": post(SEC, MESSAGE),
    "messaging:cancel": post(SEC, MESSAGE),
    "messaging:batches": get(SEC),
    "messaging:batch": get(SEC, {"pk": ("batch", "pk")}),
    "messaging:reminders": get(SEC),
    "messaging:invite": get(SEC),
    "messaging:sign_in": get(NONE),  # without a valid link: refused to everyone
    "messaging:sink": get(SEC),
    "messaging:sink_detail": get(SEC, {"pk": ("received", "pk")}),
    "messaging:unsubscribe": get(ALL, {"token": ("unsubscribe", "token")}),
    "members_messages:compose": get(SEC),
    # governance
    "governance:meetings": get(ALL),
    "governance:offices": get(ALL),
    "governance:statutes": get(ALL),
    "governance:meeting": get(ALL, MEETING),
    "governance:memorandum": get(ALL, MEETING),
    "governance:memorandum_pdf": get(ALL, MEETING),
    "governance:live": get(ALL, MEETING),
    "governance:quorum_panel": get(ALL, MEETING),
    "governance:run": get(SEC, MEETING),
    "governance:accreditation": get(SEC, MEETING),
    "governance:accredit": post(SEC, MEETING),
    "governance:check_in": post(
        SEC, {"slug": ("meeting", "slug"), "delegate_id": ("delegate", "pk")}
    ),
    "governance:import_attendance": post(SEC, MEETING, data={"event": ("event", "slug")}),
    "governance:desk_key_issue": post(SEC, MEETING),
    "governance:desk_keys_revoke": post(SEC, MEETING),
    "governance:vote": post(
        SEC,
        {"slug": ("meeting", "slug"), "item_id": ("item", "pk")},
        data={"organisation": ("org", "pk"), "choice": "yes"},
    ),
    "governance:decide": post(SEC, {"slug": ("meeting", "slug"), "item_id": ("item", "pk")}),
    "governance:meeting_new": get(SEC),
    "governance:workspace": get(SEC, MEETING),
    "governance:meeting_edit": post(SEC, MEETING),
    "governance:lifecycle": post(SEC, {"slug": ("meeting", "slug"), "step": "open"}),
    "governance:item_save": post(SEC, MEETING),
    "governance:item_delete": post(SEC, {"slug": ("meeting", "slug"), "item_id": ("item", "pk")}),
    "governance:candidate_add": post(SEC, {"slug": ("meeting", "slug"), "item_id": ("item", "pk")}),
    "governance:candidate_remove": post(
        SEC, {"slug": ("meeting", "slug"), "candidate_id": ("candidate", "pk")}
    ),
    "governance:erratum_add": post(SEC, MEETING),
    # the web ballot: a focal point votes for its own member; others are told they hold no
    # vote (the page) or refused (the vote); a ballot link that does not hold is a 404
    "governance:ballot": get(AUTH, MEETING),
    "governance:ballot_panel": get(AUTH, MEETING),
    "governance:ballot_vote": post("fp fpx", MEETING, data={"poll": "1", "option": "1"}),
    "governance:ballot_link": get(NONE, {"token": "not-a-link"}),
    "governance:ballot_link_panel": get(NONE, {"token": "not-a-link"}),
    "governance:ballot_link_vote": post(NONE, {"token": "not-a-link"}, data={"poll": "1"}),
    # the chair's console; the projector shows what the room sees
    "governance:console": get(SEC, MEETING),
    "governance:console_turnout": get(SEC, MEETING),
    "governance:poll_open": post(
        SEC, MEETING, data={"item": ("item", "pk"), "kind": "motion", "method": "secret"}
    ),
    "governance:poll_close": post(SEC, MEETING, data={"poll": "1"}),
    "governance:poll_runoff": post(SEC, MEETING, data={"poll": "1"}),
    "governance:ballot_links_send": post(SEC, MEETING),
    "governance:ballot_link_hand_over": post(SEC, MEETING, data={"delegate": ("delegate", "pk")}),
    "governance:projector": get(ALL, MEETING),
    "governance:proxies": get(SEC, MEETING),
    "governance:proxy_grant": post(
        SEC,
        MEETING,
        data={"grantor": ("org", "pk"), "holder": ("org", "pk"), "granted_on": "2023-09-20"},
    ),
    "governance:proxy_revoke": post(SEC, PROXY),
    # events
    "events:list": get(ALL),
    "events:programme": get(ALL, EVENT),
    "events:programme_pdf": get(ALL, EVENT),
    "events:programme_ics": get(ALL, EVENT),
    "events:statistics": get(ALL, EVENT),
    "events:registrations": get("fp fpx staff admin", EVENT),
    "events:register": get("fp fpx staff admin", EVENT),
    "events:registration": get(SEC_FP, REG),
    "events:badge": get(SEC_FP, REG),
    "events:approve": post(SEC, REG),
    "events:reject": post(SEC, REG, data={"reason": "Duplicate of another delegate."}),
    "events:signup": post(SEC_FP, REG),
    "events:badges": get(SEC, EVENT),
    "events:checkin": get(SEC, EVENT),
    "events:participants_export": get(SEC, EVENT),
    "events:manage": get(SEC),
    "events:event_new": get(SEC),
    "events:workspace": get(SEC, EVENT),
    "events:event_edit": get(SEC, EVENT),
    "events:event_delete": get(SEC, EVENT),
    "events:session_new": get(SEC, EVENT),
    "events:session_edit": get(SEC, SESSION_PAGE),
    "events:session_delete": get(SEC, SESSION_PAGE),
    "events:sponsor_new": get(SEC, EVENT),
    "events:sponsor_edit": get(SEC, SPONSOR_PAGE),
    "events:sponsor_delete": get(SEC, SPONSOR_PAGE),
    "events:venues": get(SEC),
    "events:venue_new": get(SEC),
    "events:venue_edit": get(SEC, VENUE_PAGE),
    "events:venue_delete": get(SEC, VENUE_PAGE),
    # prize
    "prize:index": get(ALL),
    "prize:my_applications": get(AUTH),
    "prize:my_reviews": get(AUTH),
    "prize:review": get("ev", {"pk": ("assignment", "pk")}),
    "prize:triage_decide": post(
        SEC, {"reference": ("application", "reference")}, data={"eligible": "1", "note": "ok"}
    ),
    "prize:results": get(ALL, PRIZE_YEAR),
    "prize:apply": get(AUTH, PRIZE_YEAR),
    "prize:edit": get(
        "fp ev excom staff admin",
        {"year": ("prize_edition", "year"), "reference": ("application", "reference")},
    ),
    "prize:triage": get(SEC, PRIZE_YEAR),
    "prize:manage": get(SEC, PRIZE_YEAR),
    "prize:run_sheet": get(SEC, PRIZE_YEAR),
    "prize:round": get(
        SEC_EXCOM, {"year": ("prize_edition", "year"), "number": ("round", "number")}
    ),
    "prize:certificate": get(ALL, {"year": ("prize_edition", "year"), "award_id": ("award", "pk")}),
    "prize:round_close": get(
        SEC, {"year": ("prize_edition", "year"), "number": ("round", "number")}
    ),
    "prize:bids": get("ev evx evc", PRIZE_YEAR),
    "prize:conflicts": get(SEC, PRIZE_YEAR),
    # One document (the own application's): its applicant, its evaluator, EXCOM and staff.
    "prize:document": get(AUTH, {"pk": ("document", "pk")}),
    # index
    "index:home": get(ALL),
    "index:ranking": get(ALL, INDEX_YEAR),
    "index:export": get(ALL, INDEX_YEAR),
    "index:import": get(SEC, INDEX_YEAR),
    "index:compute": post(SEC, INDEX_YEAR, data={"runs": 10, "seed": 1, "sobol_samples": 0}),
    "index:city": get(ALL, {"year": ("index_edition", "year"), "slug": ("city", "slug")}),
    "index:audit": get(SEC, INDEX_YEAR),
    "index:audit_export": get(SEC, INDEX_YEAR),
}

# API operations, "METHOD /path" as in the OpenAPI schema.
API: dict[str, Rule] = {
    # members
    "GET /api/v1/members/organisations": get(ALL),
    "POST /api/v1/members/organisations": post(
        SEC, data={"name": "Matrix City", "category": "local_government"}
    ),
    "GET /api/v1/members/organisations/{slug}": get(ALL, ORG),
    "PATCH /api/v1/members/organisations/{slug}": post(
        SEC_FP, ORG, data={"description": "Edited."}
    ),
    "GET /api/v1/members/counts": get(ALL),
    "GET /api/v1/members/organisations/{slug}/lifecycle": get(ALL, ORG),
    "POST /api/v1/members/organisations/{slug}/lifecycle": post(
        SEC, ORG, data={"kind": "suspended", "date": "2023-01-10", "reason": "Test"}
    ),
    "GET /api/v1/members/organisations/{slug}/participations": get(SEC, ORG),
    "POST /api/v1/members/organisations/{slug}/participations": post(
        SEC, ORG, data={"date": "2023-01-10", "activity": "Workshop"}
    ),
    "GET /api/v1/members/organisations/{slug}/contacts": get(SEC_EXCOM_FP, ORG),
    "POST /api/v1/members/organisations/{slug}/contacts": post(
        SEC_FP, ORG, data={"name": "Matrix Contact", "position": "Deputy"}
    ),
    "PATCH /api/v1/members/organisations/{slug}/contacts/{contact_id}": post(
        SEC_FP, {"slug": ("org", "slug"), "contact_id": ("contact", "pk")}, data={"phone": "+1"}
    ),
    "POST /api/v1/members/import": post(
        SEC, data={"file": ("csv_upload", "file"), "dry_run": "true"}, multipart=True
    ),
    "GET /api/v1/members/export": get(SEC),
    "GET /api/v1/members/mine": get(AUTH),
    "POST /api/v1/members/messages/preview": post(
        SEC, data={"subject": "Matrix notice", "body": "Hello {name}."}
    ),
    "POST /api/v1/members/messages": post(
        SEC, data={"subject": "Matrix notice", "body": "Hello {name}."}
    ),
    "POST /api/v1/members/applications": post(ALL, data={"name": "Matrix City"}, multipart=True),
    "GET /api/v1/members/applications": get(SEC_EXCOM),
    "GET /api/v1/members/applications/{reference}": get(SEC_EXCOM, APPLICATION),
    "POST /api/v1/members/applications/{reference}/{action}": post(
        SEC, {**APPLICATION, "action": "check"}, data={}
    ),
    # governance
    "GET /api/v1/governance/meetings/{slug}/quorum": get(ALL, MEETING),
    "POST /api/v1/governance/meetings/{slug}/check-ins": post(
        SEC, MEETING, data={"delegate_id": ("delegate", "pk"), "code": "-"}
    ),
    "POST /api/v1/governance/meetings/{slug}/attendance/from-event": post(
        SEC, MEETING, data={"event": ("event", "slug")}
    ),
    "POST /api/v1/governance/items/{item_id}/votes": post(
        SEC_FP,
        {"item_id": ("item", "pk")},
        data={"organisation_id": ("org", "pk"), "choice": "yes"},
    ),
    "GET /api/v1/governance/items/{item_id}/result": get(ALL, {"item_id": ("item", "pk")}),
    "POST /api/v1/governance/items/{item_id}/decision": post(
        SEC, {"item_id": ("item", "pk")}, data={"outcome": "approved"}
    ),
    "GET /api/v1/governance/offices": get(ALL),
    "POST /api/v1/governance/meetings/{slug}/desk-keys": post(SEC, MEETING),
    "DELETE /api/v1/governance/meetings/{slug}/desk-keys": Rule(SEC, MEETING, "DELETE"),
    "GET /api/v1/governance/meetings": get(ALL),
    "POST /api/v1/governance/meetings": post(SEC, data={"slug": "ga-7"}),
    "GET /api/v1/governance/meetings/{slug}": get(ALL, MEETING),
    "PATCH /api/v1/governance/meetings/{slug}": Rule(SEC, MEETING, "PATCH", data={}),
    "DELETE /api/v1/governance/meetings/{slug}": Rule(SEC, MEETING, "DELETE"),
    "POST /api/v1/governance/meetings/{slug}/convene": post(
        SEC, MEETING, data={"convocation_date": "2023-08-01", "notice": "Convocation"}
    ),
    "POST /api/v1/governance/meetings/{slug}/open": post(SEC, MEETING),
    "POST /api/v1/governance/meetings/{slug}/conclude": post(SEC, MEETING),
    "POST /api/v1/governance/meetings/{slug}/minutes/approve": post(
        SEC, MEETING, data={"approved_by_item_id": ("item", "pk")}
    ),
    "POST /api/v1/governance/meetings/{slug}/minutes/publish": post(SEC, MEETING),
    "GET /api/v1/governance/meetings/{slug}/errata": get(ALL, MEETING),
    "POST /api/v1/governance/meetings/{slug}/errata": post(
        SEC,
        MEETING,
        data={"on": "2023-10-01", "subject": "Item 1", "correction": "-", "reason": "-"},
    ),
    "GET /api/v1/governance/meetings/{slug}/items": get(ALL, MEETING),
    "POST /api/v1/governance/meetings/{slug}/items": post(
        SEC, MEETING, data={"number": 2, "title": "Item 2", "kind": "approval"}
    ),
    "GET /api/v1/governance/items/{item_id}": get(ALL, {"item_id": ("item", "pk")}),
    "PATCH /api/v1/governance/items/{item_id}": Rule(
        SEC, {"item_id": ("item", "pk")}, "PATCH", data={}
    ),
    "DELETE /api/v1/governance/items/{item_id}": Rule(SEC, {"item_id": ("item", "pk")}, "DELETE"),
    "GET /api/v1/governance/items/{item_id}/candidates": get(ALL, {"item_id": ("item", "pk")}),
    "POST /api/v1/governance/items/{item_id}/candidates": post(
        SEC, {"item_id": ("item", "pk")}, data={"organisation_id": ("org", "pk")}
    ),
    "DELETE /api/v1/governance/candidates/{candidate_id}": Rule(
        SEC, {"candidate_id": ("candidate", "pk")}, "DELETE"
    ),
    "GET /api/v1/governance/meetings/{slug}/delegates": get(ALL, MEETING),
    "POST /api/v1/governance/meetings/{slug}/delegates": post(
        SEC, MEETING, data={"organisation_id": ("org", "pk")}
    ),
    "POST /api/v1/governance/meetings/{slug}/delegates/{delegate_id}/check-out": post(
        SEC, {"slug": ("meeting", "slug"), "delegate_id": ("delegate", "pk")}
    ),
    "GET /api/v1/governance/meetings/{slug}/attendance": get(ALL, MEETING),
    "GET /api/v1/governance/meetings/{slug}/accreditation": get(SEC, MEETING),
    # polls: the chair opens, closes, runs off; a member's focal point (or the secretariat)
    # votes; turnout and results are public (a secret ballot's result only once closed).
    # The world's meeting is concluded: the writes that pass the check answer 409.
    "GET /api/v1/governance/items/{item_id}/polls": get(ALL, {"item_id": ("item", "pk")}),
    "POST /api/v1/governance/items/{item_id}/polls": post(
        SEC, {"item_id": ("item", "pk")}, data={"kind": "motion", "method": "secret"}
    ),
    "GET /api/v1/governance/polls/{poll_id}": get(ALL, POLL),
    "POST /api/v1/governance/polls/{poll_id}/votes": post(
        SEC_FP, POLL, data={"organisation_id": ("org", "pk"), "option_ids": [1]}
    ),
    "POST /api/v1/governance/polls/{poll_id}/close": post(SEC, POLL),
    "POST /api/v1/governance/polls/{poll_id}/runoff": post(SEC, POLL),
    "GET /api/v1/governance/polls/{poll_id}/turnout": get(ALL, POLL),
    "GET /api/v1/governance/polls/{poll_id}/result": get(ALL, POLL),
    "GET /api/v1/governance/meetings/{slug}/proxies": get(SEC_EXCOM, MEETING),
    "POST /api/v1/governance/meetings/{slug}/proxies": post(
        SEC,
        MEETING,
        data={"grantor_id": ("org", "pk"), "holder_id": ("org", "pk"), "granted_on": "2023-09-20"},
    ),
    "DELETE /api/v1/governance/meetings/{slug}/proxies/{proxy_id}": Rule(SEC, PROXY, "DELETE"),
    "POST /api/v1/governance/meetings/{slug}/proxies/{proxy_id}/revoke": post(SEC, PROXY),
    # ballot links: the chair sends them, or takes one to hand over
    "POST /api/v1/governance/meetings/{slug}/ballot-links": post(SEC, MEETING),
    "POST /api/v1/governance/meetings/{slug}/delegates/{delegate_id}/ballot-link": post(
        SEC, {"slug": ("meeting", "slug"), "delegate_id": ("delegate", "pk")}
    ),
    "GET /api/v1/reports/assemblies/{number}/highlights": get(ALL, ASSEMBLY),
    "POST /api/v1/reports/assemblies/{number}/builds": post(SEC, ASSEMBLY),
    # jobs
    "GET /api/v1/jobs": get(AUTH),
    # messaging
    "GET /api/v1/messaging/messages": get(SEC),
    "GET /api/v1/messaging/messages/{message_id}": get(SEC, MESSAGE),
    "POST /api/v1/messaging/messages/{message_id}/resend": post(SEC, MESSAGE),
    "POST /api/v1/messaging/messages/{message_id}/cancel": post(SEC, MESSAGE),
    "POST /api/v1/messaging/reminders/{kind}/run": post(SEC, {"kind": "dues.overdue"}),
    "POST /api/v1/messaging/invitations": post(
        SEC, data={"email": "new@city.example", "name": "New Person", "as": "delegate"}
    ),
    "GET /api/v1/jobs/{job_id}": get(SEC_FP, {"job_id": ("job", "pk")}),
    "GET /api/v1/jobs/{job_id}/output": get(SEC_FP, {"job_id": ("job", "pk")}),
    # personal API tokens (creating one needs a session: the matrix signs in)
    "GET /api/v1/account/tokens": get(AUTH),
    "GET /api/v1/account/language": get(AUTH),
    "PUT /api/v1/account/language": post(AUTH, data={"language": "fr"}),
    "POST /api/v1/account/tokens": post(AUTH, data={"label": "Matrix", "scope": "read"}),
    "DELETE /api/v1/account/tokens/{token_id}": Rule("fp", TOKEN, "DELETE"),
    # events
    "GET /api/v1/events/": get(ALL),
    "POST /api/v1/events/": post(
        SEC,
        data={
            "name": "Matrix Assembly",
            "starts_on": "2026-09-22",
            "ends_on": "2026-09-24",
            "time_zone": "Asia/Almaty",
        },
    ),
    "GET /api/v1/events/{slug}": get(ALL, EVENT),
    "PATCH /api/v1/events/{slug}": post(SEC, EVENT, data={"theme": "Edited"}),
    # Registrations exist: the secretariat's delete is a 409, which still passed the check.
    "DELETE /api/v1/events/{slug}": Rule(SEC, EVENT, "DELETE"),
    "GET /api/v1/events/{slug}/sessions": get(ALL, EVENT),
    "POST /api/v1/events/{slug}/sessions": post(
        SEC, EVENT, data={"title": "Matrix session", "day": "2023-09-25"}
    ),
    "GET /api/v1/events/{slug}/sessions/{session_id}": get(ALL, SESSION),
    "PATCH /api/v1/events/{slug}/sessions/{session_id}": post(SEC, SESSION, data={"room": "B"}),
    "DELETE /api/v1/events/{slug}/sessions/{session_id}": Rule(SEC, SESSION, "DELETE"),
    "GET /api/v1/events/{slug}/sponsors": get(ALL, EVENT),
    "POST /api/v1/events/{slug}/sponsors": post(SEC, EVENT, data={"name": "Matrix Sponsor"}),
    "GET /api/v1/events/{slug}/sponsors/{sponsor_id}": get(ALL, SPONSOR),
    "PATCH /api/v1/events/{slug}/sponsors/{sponsor_id}": post(SEC, SPONSOR, data={"order": 1}),
    "DELETE /api/v1/events/{slug}/sponsors/{sponsor_id}": Rule(SEC, SPONSOR, "DELETE"),
    "GET /api/v1/venues/": get(ALL),
    "POST /api/v1/venues/": post(SEC, data={"name": "Matrix Hall"}),
    "GET /api/v1/venues/{venue_id}": get(ALL, VENUE),
    "PATCH /api/v1/venues/{venue_id}": post(SEC, VENUE, data={"city": "Seoul"}),
    # A session is held there: the secretariat's delete is a 409.
    "DELETE /api/v1/venues/{venue_id}": Rule(SEC, VENUE, "DELETE"),
    "GET /api/v1/events/{slug}/programme": get(ALL, EVENT),
    "GET /api/v1/events/{slug}/statistics": get(ALL, EVENT),
    # The list is filtered to the caller's own member's registrations (empty for others).
    "GET /api/v1/events/{slug}/registrations": get(AUTH, EVENT),
    "POST /api/v1/events/{slug}/registrations": post(
        SEC_FP, EVENT, data={"organisation": ("org", "slug"), "person_name": "New Delegate"}
    ),
    "POST /api/v1/events/{slug}/registrations/{code}/approve": post(SEC, REG),
    "POST /api/v1/events/{slug}/registrations/{code}/reject": post(
        SEC, REG, data={"reason": "Duplicate of another delegate."}
    ),
    "POST /api/v1/events/{slug}/registrations/{code}/signups": post(
        SEC_FP, REG, data={"session": ("session", "pk")}
    ),
    "POST /api/v1/events/{slug}/checkins": post(
        SEC, EVENT, data={"code": ("registration", "code")}
    ),
    "GET /api/v1/events/{slug}/attendance": get(SEC, EVENT, query={"on": "2023-09-25"}),
    # prize
    "GET /api/v1/prize/editions/{year}/results": get(ALL, PRIZE_YEAR),
    "GET /api/v1/prize/applications": get(AUTH),
    "POST /api/v1/prize/applications": post(
        AUTH,
        data={
            "edition": 2023,
            "category": "tech-innovacity",
            "applicant_kind": "city",
            "applicant_name": "Matrix City",
        },
    ),
    "GET /api/v1/prize/applications/{reference}": get(
        "fp ev excom staff admin", {"reference": ("application", "reference")}
    ),
    # The applications are past the draft stage: only the secretariat may still submit.
    "POST /api/v1/prize/applications/{reference}/submit": post(
        SEC, {"reference": ("application", "reference")}
    ),
    # The same: only the secretariat may still change them.
    "PATCH /api/v1/prize/applications/{reference}": post(
        SEC, {"reference": ("application", "reference")}, data={"city": "Matrix City"}
    ),
    "GET /api/v1/prize/assignments": get(AUTH),
    "GET /api/v1/prize/assignments/{pk}": get("ev", {"pk": ("assignment", "pk")}),
    "POST /api/v1/prize/assignments/{pk}/review": post(
        "ev", {"pk": ("assignment", "pk")}, data={"scores": {"problem": 5}}
    ),
    "POST /api/v1/prize/assignments/{pk}/conflict": post(
        "ev", {"pk": ("assignment", "pk")}, data={"reason": "Worked with the applicant."}
    ),
    "GET /api/v1/prize/editions/{year}/rounds/{number}/ranking": get(
        SEC_EXCOM, {"year": ("prize_edition", "year"), "number": ("round", "number")}
    ),
    "GET /api/v1/prize/editions/{year}/rounds/{number}/missing": get(
        SEC, {"year": ("prize_edition", "year"), "number": ("round", "number")}
    ),
    "POST /api/v1/prize/editions/{year}/rounds/{number}/close": post(
        SEC, {"year": ("prize_edition", "year"), "number": ("round", "number")}, data={}
    ),
    "POST /api/v1/prize/editions/{year}/results/publish": post(SEC, PRIZE_YEAR, data={}),
    "POST /api/v1/prize/editions/{year}/call/publish": post(SEC, PRIZE_YEAR),
    "POST /api/v1/prize/editions/{year}/results/withdraw": post(
        SEC, PRIZE_YEAR, data={"reason": "Matrix"}
    ),
    "POST /api/v1/prize/assignments/{pk}/draft": post(
        "ev", {"pk": ("assignment", "pk")}, data={"scores": {"problem": 4}}
    ),
    "GET /api/v1/prize/my/progress": get(AUTH),
    "PUT /api/v1/prize/editions/{year}/my/bids": post(
        "ev evx evc", PRIZE_YEAR, data={"expertise": ["mobility"]}
    ),
    "GET /api/v1/prize/editions/{year}/conflicts": get(SEC, PRIZE_YEAR),
    "POST /api/v1/prize/conflicts/{pk}/waive": post(
        SEC, {"pk": ("conflict", "pk")}, data={"reason": "Matrix"}
    ),
    "POST /api/v1/prize/applications/{reference}/triage": post(
        SEC, {"reference": ("application", "reference")}, data={"eligible": True, "note": "ok"}
    ),
    "POST /api/v1/prize/editions/{year}/conflicts/detect": post(SEC, PRIZE_YEAR),
    "POST /api/v1/prize/editions/{year}/rounds/{number}/open": post(
        SEC, {"year": ("prize_edition", "year"), "number": ("round", "number")}
    ),
    "POST /api/v1/prize/editions/{year}/rounds/{number}/assign": post(
        SEC, {"year": ("prize_edition", "year"), "number": ("round", "number")}
    ),
    # The world's results are published: the allocation is refused (422) past the check.
    "POST /api/v1/prize/editions/{year}/awards/allocate": post(SEC, PRIZE_YEAR),
    "PATCH /api/v1/prize/editions/{year}/settings": post(
        SEC, PRIZE_YEAR, data={"aggregation": "mean"}
    ),
    # dues
    "GET /api/v1/dues/members/{slug}/fee": get(SEC_FP, ORG, query={"year": 2023}),
    "GET /api/v1/dues/members/{slug}/ledger": get(SEC_FP, ORG),
    "POST /api/v1/dues/members/{slug}/payments": post(
        SEC, ORG, data={"amount": "10.00", "received_on": "2026-02-03"}
    ),
    "POST /api/v1/dues/invoices/issue": post(SEC, data={"year": 2023}),
    "POST /api/v1/dues/invoices/{number}/credit-notes": post(
        SEC,
        {"number": ("invoice", "number")},
        data={"amount": "10", "issued_on": "2023-05-01", "reason": "Bank charges"},
    ),
    "GET /api/v1/dues/review": get(SEC_EXCOM, query={"as_of": "2023-09-01"}),
    "POST /api/v1/dues/statements/preview": post(
        SEC, data={"file": ("csv_upload", "file")}, multipart=True
    ),
    "POST /api/v1/dues/payments/import": post(
        SEC, data={"file": ("csv_upload", "file")}, multipart=True
    ),
    "POST /api/v1/dues/statements": post(
        SEC, data={"file": ("csv_upload", "file")}, multipart=True
    ),
    "POST /api/v1/dues/review/apply": post(
        SEC,
        data={
            "as_of": "2023-09-01",
            "decision_ref": "Matrix",
            "decided_on": "2023-09-02",
            "approved": [1],
        },
    ),
    "POST /api/v1/dues/review/notify": post(SEC, data={"as_of": "2023-09-01"}),
    "POST /api/v1/dues/review/flags": post(
        SEC, data={"organisation": ("org", "slug"), "code": "ceased_to_exist"}
    ),
    "GET /api/v1/dues/between-assemblies": get(
        ALL, query={"start": "2022-09-01", "end": "2023-09-01"}
    ),
    # index
    "GET /api/v1/index/editions": get(ALL),
    "GET /api/v1/index/editions/{year}/ranking": get(ALL, INDEX_YEAR),
    "GET /api/v1/index/editions/{year}/cities/{slug}": get(
        ALL, {"year": ("index_edition", "year"), "slug": ("city", "slug")}
    ),
    "POST /api/v1/index/editions/{year}/computations": post(
        SEC, INDEX_YEAR, data={"runs": 10, "seed": 1, "sobol_samples": 0}
    ),
    "GET /api/v1/index/editions/{year}/audit": get(SEC, INDEX_YEAR),
    # The upload is not a cities file: refused (422) past the check, nothing written.
    "POST /api/v1/index/editions/{year}/imports": post(
        SEC, INDEX_YEAR, data={"kind": "cities", "file": ("csv_upload", "file")}, multipart=True
    ),
    "GET /api/v1/index/cities/{slug}/trend": get(ALL, {"slug": ("city", "slug")}),
    "GET /api/v1/index/indicators/{code}/trend": get(ALL, {"code": ("indicator", "code")}),
}


# ---------------------------------------------------------------------------------------
# Enumeration


def url_patterns() -> Iterator[tuple[str, str, list[str]]]:
    """(name, route, kwarg names) of every page, without the admin and the auth views
    other than the sign-in page, and without the API (enumerated from its schema)."""

    def walk(patterns: list[Any], prefix: str, ns: str) -> Iterator[tuple[str, str, list[str]]]:
        for p in patterns:
            if isinstance(p, URLResolver):
                inner = f"{ns}{p.namespace}:" if p.namespace else ns
                yield from walk(p.url_patterns, prefix + str(p.pattern), inner)
            elif isinstance(p, URLPattern):
                yield f"{ns}{p.name}", prefix + str(p.pattern), list(p.pattern.converters)

    for name, route, kwargs in walk(get_resolver().url_patterns, "", ""):
        if route.startswith(("admin/", "api/")):
            continue
        if route.startswith("accounts/") and name != "login":
            continue
        yield name, route, kwargs


def api_operations() -> Iterator[tuple[str, str, str]]:
    """(key, method, path) of every operation in the OpenAPI schema."""
    schema = api.get_openapi_schema()
    for path, ops in schema["paths"].items():
        for method in ops:
            yield f"{method.upper()} {path}", method.upper(), path


# ---------------------------------------------------------------------------------------
# Requests


def _value(w: World, spec: tuple[str, str] | str, side: str) -> Any:
    if isinstance(spec, str):  # a literal, e.g. a lifecycle step in a URL
        return spec
    obj_name, attr = spec
    return getattr(w.pick(obj_name, side), attr)


def _resolve(w: World, data: Data, side: str) -> dict[str, Any]:
    return {k: _value(w, v, side) if isinstance(v, tuple) else v for k, v in (data or {}).items()}


def _denied(response: Any) -> bool:
    """401/403; 404 (objects exist, so a 404 hides one); a redirect to the sign-in page; an
    htmx fragment that renders nothing for this user."""
    if response.status_code in (401, 403, 404):
        return True
    if response.status_code in (301, 302):
        return response["Location"].split("?")[0] == resolve_url(settings.LOGIN_URL)
    return bool(response.status_code == 200 and not response.content.strip())


def _client(w: World, role: str) -> Client:
    client = Client()
    user_key = ROLES[role][0]
    if user_key:
        client.force_login(w.users[user_key])
    return client


def _url(w: World, name: str, rule: Rule, side: str) -> str:
    kwargs = {k: _value(w, spec, side) for k, spec in (rule.params or {}).items()}
    if name == "events:participants_export":
        kwargs["fmt"] = "csv"
    return reverse(name, kwargs=kwargs)


def _api_url(w: World, path: str, rule: Rule, side: str) -> str:
    def sub(m: re.Match[str]) -> str:
        spec = (rule.params or {})[m.group(1)]
        return str(_value(w, spec, side))

    return re.sub(r"{(\w+)}", sub, path)


def observe(w: World, role: str, rule: Rule, url: str) -> tuple[int, bool]:
    """(status, denied) of one request, rolled back so that roles don't see each other's
    writes."""
    client = _client(w, role)
    side = ROLES[role][1]
    data = _resolve(w, rule.data, side)
    query = _resolve(w, rule.query, side)
    with transaction.atomic():
        if rule.method == "GET":
            response = client.get(url, query)
        elif rule.multipart or "/api/" not in url:
            response = client.post(url, data)
        else:
            response = client.generic(
                rule.method, url, data=json.dumps(data), content_type="application/json"
            )
        transaction.set_rollback(True)
    return response.status_code, _denied(response)


def walk_matrix(w: World, items: list[tuple[str, str, Rule]], kind: str) -> list[str]:
    """Run every (endpoint, role); return the mismatches. `items`: (key, url-maker, rule)."""
    failures: list[str] = []
    lines: list[str] = []
    for key, target, rule in items:
        allowed = set(rule.allow.split())
        row = []
        for role, (_, side) in ROLES.items():
            url = _url(w, target, rule, side) if kind == "url" else _api_url(w, target, rule, side)
            status, denied = observe(w, role, rule, url)
            expected_allow = role in allowed
            mark = "deny" if denied else "allow"
            row.append(f"{role}={status}")
            if expected_allow == denied:
                failures.append(
                    f"{key} [{rule.method} {url}] as {role}: got {status} ({mark}), "
                    f"expected {'allow' if expected_allow else 'deny'}"
                )
        lines.append(f"{key}: " + " ".join(row))
    print(f"\n{kind}: {len(items)} endpoints x {len(ROLES)} roles tried")
    for line in lines:
        print("  " + line)
    return failures


def test_every_endpoint_has_an_entry():
    missing = [f"URL {name} ({route})" for name, route, _ in url_patterns() if name not in URLS]
    missing += [f"API {key}" for key, _, _ in api_operations() if key not in API]
    stale = [f"URL {n}" for n in set(URLS) - {n for n, _, _ in url_patterns()}]
    stale += [f"API {k}" for k in set(API) - {k for k, _, _ in api_operations()}]
    assert not missing, "endpoints without a permission rule:\n" + "\n".join(missing)
    assert not stale, "rules for endpoints that no longer exist:\n" + "\n".join(stale)


def _stub_pdf(html: str, **kwargs: Any) -> bytes:
    return b"%PDF-1.4\n% the matrix checks who may fetch a PDF, not what it holds\n%%EOF\n"


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    """The world, built once for the module in a transaction rolled back at its end (each
    request is rolled back too, so no test sees another's writes). PDF writing is stubbed:
    the templates still render, WeasyPrint does not lay them out."""
    with pytest.MonkeyPatch.context() as mp, django_db_blocker.unblock():
        mp.setattr("urbis.common.pdf.html_to_pdf", _stub_pdf)
        mp.setattr("urbis.reports.render.html_to_pdf", _stub_pdf)
        with transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)


@pytest.mark.django_db
def test_page_permissions(world: World):
    w = world
    items = [(name, name, URLS[name]) for name, _, _ in url_patterns() if name in URLS]
    failures = walk_matrix(w, items, "url")
    assert not failures, f"{len(failures)} mismatches:\n" + "\n".join(failures)


@pytest.mark.django_db
def test_api_permissions(world: World):
    w = world
    items = [(key, path, API[key]) for key, _, path in api_operations() if key in API]
    items = [(k, p, replace(r, method=k.split()[0])) for k, p, r in items]
    failures = walk_matrix(w, items, "api")
    assert not failures, f"{len(failures)} mismatches:\n" + "\n".join(failures)
