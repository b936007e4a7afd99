"""No write is page-only: every form a page posts has an API operation that does the same,
so that another system can do what the secretariat does on the pages.

`PAGE_WRITES` names, for each URL pattern a page posts to, the API operation ("METHOD
/api/v1/…" as in the OpenAPI document) or why there is none (only what belongs to the
browser: its language, signing in and out, passwords). The permission matrix's POST
patterns must all be here, every operation named must exist, and the reachability crawl
(`test_reachability.py`) fails on a form it finds whose target is not here.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver

from tests.test_permission_matrix import API, URLS

# Why a write has no API operation: what it changes belongs to the browser, not the data.
BROWSER_ONLY = "the browser's own state (its language or session), not the network's data"
SIGN_IN = "signing in and passwords: an integration signs in with a personal API token"

PAGE_WRITES: dict[str, str | tuple[str, ...]] = {
    "set_language": BROWSER_ONLY,
    "login": SIGN_IN,
    "logout": SIGN_IN,
    "password_reset": SIGN_IN,
    "password_change": SIGN_IN,
    "account:language": ("PUT /api/v1/account/language",),
    "account:api_tokens": ("POST /api/v1/account/tokens",),
    "account:api_token_revoke": ("DELETE /api/v1/account/tokens/{token_id}",),
    "members:apply": ("POST /api/v1/members/applications",),
    "members:application_action": ("POST /api/v1/members/applications/{reference}/{action}",),
    "members:organisation_new": ("POST /api/v1/members/organisations",),
    "members:organisation_edit": ("PATCH /api/v1/members/organisations/{slug}",),
    "members:import": ("POST /api/v1/members/import",),
    "members:lifecycle_new": ("POST /api/v1/members/organisations/{slug}/lifecycle",),
    "members:participation_new": ("POST /api/v1/members/organisations/{slug}/participations",),
    "members:contact_new": ("POST /api/v1/members/organisations/{slug}/contacts",),
    "members:contact_edit": ("PATCH /api/v1/members/organisations/{slug}/contacts/{contact_id}",),
    "members_messages:compose": (
        "POST /api/v1/members/messages/preview",
        "POST /api/v1/members/messages",
    ),
    "messaging:invite": ("POST /api/v1/messaging/invitations",),
    "messaging:resend": ("POST /api/v1/messaging/messages/{message_id}/resend",),
    "messaging:cancel": ("POST /api/v1/messaging/messages/{message_id}/cancel",),
    "messaging:reminders": ("POST /api/v1/messaging/reminders/{kind}/run",),
    "dues:statement": ("POST /api/v1/dues/statements/preview", "POST /api/v1/dues/statements"),
    "dues:invoice-payment": ("POST /api/v1/dues/members/{slug}/payments",),
    "dues:ledger-payment": ("POST /api/v1/dues/members/{slug}/payments",),
    "dues:review-confirm": ("POST /api/v1/dues/review/apply",),
    "dues:review-approve": ("POST /api/v1/dues/review/apply",),
    "dues:review-notify": ("POST /api/v1/dues/review/notify",),
    "dues:payments-import": ("POST /api/v1/dues/payments/import",),
    "dues:invoices-issue": ("POST /api/v1/dues/invoices/issue",),
    "dues:invoice-credit-note": ("POST /api/v1/dues/invoices/{number}/credit-notes",),
    "dues:review-flag": ("POST /api/v1/dues/review/flags",),
    "reports:build_run": ("POST /api/v1/reports/assemblies/{number}/builds",),
    "governance:meeting_new": ("POST /api/v1/governance/meetings",),
    "governance:meeting_edit": ("PATCH /api/v1/governance/meetings/{slug}",),
    "governance:lifecycle": (
        "POST /api/v1/governance/meetings/{slug}/convene",
        "POST /api/v1/governance/meetings/{slug}/open",
        "POST /api/v1/governance/meetings/{slug}/conclude",
        "POST /api/v1/governance/meetings/{slug}/minutes/approve",
        "POST /api/v1/governance/meetings/{slug}/minutes/publish",
    ),
    "governance:item_save": (
        "POST /api/v1/governance/meetings/{slug}/items",
        "PATCH /api/v1/governance/items/{item_id}",
    ),
    "governance:item_delete": ("DELETE /api/v1/governance/items/{item_id}",),
    "governance:candidate_add": ("POST /api/v1/governance/items/{item_id}/candidates",),
    "governance:candidate_remove": ("DELETE /api/v1/governance/candidates/{candidate_id}",),
    "governance:erratum_add": ("POST /api/v1/governance/meetings/{slug}/errata",),
    "governance:accredit": ("POST /api/v1/governance/meetings/{slug}/delegates",),
    "governance:check_in": ("POST /api/v1/governance/meetings/{slug}/check-ins",),
    "governance:import_attendance": (
        "POST /api/v1/governance/meetings/{slug}/attendance/from-event",
    ),
    "governance:desk_key_issue": ("POST /api/v1/governance/meetings/{slug}/desk-keys",),
    "governance:desk_keys_revoke": ("DELETE /api/v1/governance/meetings/{slug}/desk-keys",),
    "governance:vote": ("POST /api/v1/governance/items/{item_id}/votes",),
    "governance:decide": ("POST /api/v1/governance/items/{item_id}/decision",),
    "governance:poll_open": ("POST /api/v1/governance/items/{item_id}/polls",),
    "governance:poll_close": ("POST /api/v1/governance/polls/{poll_id}/close",),
    "governance:poll_runoff": ("POST /api/v1/governance/polls/{poll_id}/runoff",),
    "governance:ballot_vote": ("POST /api/v1/governance/polls/{poll_id}/votes",),
    "governance:ballot_link_vote": ("POST /api/v1/governance/polls/{poll_id}/votes",),
    "governance:ballot_links_send": ("POST /api/v1/governance/meetings/{slug}/ballot-links",),
    "governance:ballot_link_hand_over": (
        "POST /api/v1/governance/meetings/{slug}/delegates/{delegate_id}/ballot-link",
    ),
    "governance:proxy_grant": ("POST /api/v1/governance/meetings/{slug}/proxies",),
    "governance:proxy_revoke": (
        "POST /api/v1/governance/meetings/{slug}/proxies/{proxy_id}/revoke",
    ),
    "events:event_new": ("POST /api/v1/events/",),
    "events:event_edit": ("PATCH /api/v1/events/{slug}",),
    "events:event_delete": ("DELETE /api/v1/events/{slug}",),
    "events:session_new": ("POST /api/v1/events/{slug}/sessions",),
    "events:session_edit": ("PATCH /api/v1/events/{slug}/sessions/{session_id}",),
    "events:session_delete": ("DELETE /api/v1/events/{slug}/sessions/{session_id}",),
    "events:sponsor_new": ("POST /api/v1/events/{slug}/sponsors",),
    "events:sponsor_edit": ("PATCH /api/v1/events/{slug}/sponsors/{sponsor_id}",),
    "events:sponsor_delete": ("DELETE /api/v1/events/{slug}/sponsors/{sponsor_id}",),
    "events:venue_new": ("POST /api/v1/venues/",),
    "events:venue_edit": ("PATCH /api/v1/venues/{venue_id}",),
    "events:venue_delete": ("DELETE /api/v1/venues/{venue_id}",),
    "events:register": ("POST /api/v1/events/{slug}/registrations",),
    "events:approve": ("POST /api/v1/events/{slug}/registrations/{code}/approve",),
    "events:reject": ("POST /api/v1/events/{slug}/registrations/{code}/reject",),
    "events:signup": ("POST /api/v1/events/{slug}/registrations/{code}/signups",),
    "events:checkin": ("POST /api/v1/events/{slug}/checkins",),
    "prize:bids": ("PUT /api/v1/prize/editions/{year}/my/bids",),
    "prize:review": (
        "POST /api/v1/prize/assignments/{pk}/draft",
        "POST /api/v1/prize/assignments/{pk}/review",
    ),
    "prize:conflicts": (
        "POST /api/v1/prize/assignments/{pk}/conflict",
        "POST /api/v1/prize/conflicts/{pk}/waive",
    ),
    "prize:edit": (
        "PATCH /api/v1/prize/applications/{reference}",
        "POST /api/v1/prize/applications/{reference}/submit",
    ),
    "prize:triage_decide": ("POST /api/v1/prize/applications/{reference}/triage",),
    "prize:manage": (
        "POST /api/v1/prize/editions/{year}/call/publish",
        "POST /api/v1/prize/editions/{year}/conflicts/detect",
        "POST /api/v1/prize/editions/{year}/rounds/{number}/open",
        "POST /api/v1/prize/editions/{year}/rounds/{number}/assign",
        "POST /api/v1/prize/editions/{year}/awards/allocate",
        "POST /api/v1/prize/editions/{year}/results/publish",
        "POST /api/v1/prize/editions/{year}/results/withdraw",
    ),
    "prize:round": ("PATCH /api/v1/prize/editions/{year}/settings",),
    "index:compute": ("POST /api/v1/index/editions/{year}/computations",),
    "index:import": ("POST /api/v1/index/editions/{year}/imports",),
}


def test_every_page_write_names_its_api_operation_or_why_not():
    posts = {name for name, rule in URLS.items() if rule.method != "GET"}
    assert sorted(posts - set(PAGE_WRITES)) == []


def test_every_operation_named_exists_and_every_entry_is_a_url_pattern():
    operations = {op for v in PAGE_WRITES.values() if isinstance(v, tuple) for op in v}
    assert sorted(operations - set(API)) == []
    assert sorted(set(PAGE_WRITES) - _url_names(get_resolver())) == []


def _url_names(resolver: URLResolver, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            inner = f"{namespace}{p.namespace}:" if p.namespace else namespace
            names |= _url_names(p, inner)
        elif isinstance(p, URLPattern) and p.name:
            names.add(namespace + p.name)
    return names


def test_only_the_browser_s_own_writes_have_no_operation():
    """Whatever a page changes in the network's data, an operation changes too."""
    without = {k: v for k, v in PAGE_WRITES.items() if not isinstance(v, tuple)}
    assert set(without.values()) == {BROWSER_ONLY, SIGN_IN}
