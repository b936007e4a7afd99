"""Fee schedules and the ILLUSTRATIVE dues and participation history (ga6/dues.yaml).

Runs last: it references organisations of the registry by name (or alias). The history is
invented to match the reasons of the memorandum's Annex 1; every invoice, payment and flag
it writes is marked illustrative.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError

from urbis.demo.loaders.context import LoadContext
from urbis.demo.yamlio import LINE_KEY, DataError, DataErrors, read_yaml
from urbis.dues.domain.ledger import fee_schedules_load, invoice_issue, payment_record
from urbis.dues.models import Invoice, Payment, ReviewFlag
from urbis.dues.queries.ledger import FeeContext, schedules_from_file
from urbis.dues.rules import fees
from urbis.members.domain.registry import participation_record
from urbis.members.models import MEMBER_CATEGORIES, LifecycleEvent, Organisation, Participation
from urbis.members.queries import with_state
from urbis.members.rules import IN_MEMBERSHIP, EventKind

FILE = "dues.yaml"


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


class _Parser:
    def __init__(self, file: str) -> None:
        self.file, self.errors = file, []  # type: tuple[str, list[DataError]]
        self.orgs: dict[str, Organisation] = {}
        for org in Organisation.objects.all():
            for key in [org.name, *(org.aliases or [])]:
                self.orgs.setdefault(str(key), org)

    def error(self, line: int, field: str, reason: str) -> None:
        self.errors.append(DataError(self.file, line, field, reason))

    def org(self, item: dict[str, Any], line: int) -> Organisation | None:
        name = str(item.get("name", ""))
        org = self.orgs.get(name)
        if org is None:
            self.error(line, "name", f"unknown organisation '{name}'")
        return org

    def dates(self, values: Any, line: int, field: str) -> list[dt.date]:
        out = []
        for value in values or []:
            try:
                out.append(_date(value))
            except ValueError:
                self.error(line, field, f"'{value}' is not a date (YYYY-MM-DD)")
        return out


def load(ctx: LoadContext) -> str:
    path = ctx.data_dir / FILE
    doc = read_yaml(path) or {}
    parser = _Parser(path.name)
    members: list[tuple[Organisation, list[dt.date], list[dict[str, Any]]]] = []
    for item in doc.get("members") or []:
        line = item.pop(LINE_KEY, 0)
        org = parser.org(item, line)
        paid = parser.dates(item.get("paid"), line, "paid")
        parts = []
        for part in item.get("took_part") or []:
            part_line = part.pop(LINE_KEY, line) if isinstance(part, dict) else line
            days = parser.dates([part.get("date")], part_line, "took_part.date")
            kind = part.get("kind", Participation.Kind.EVENT)
            if kind not in Participation.Kind.values:
                parser.error(part_line, "took_part.kind", f"unknown kind '{kind}'")
            if not part.get("activity"):
                parser.error(part_line, "took_part.activity", "required")
            if days:
                parts.append({"date": days[0], "activity": part.get("activity"), "kind": kind})
        if org is not None:
            members.append((org, paid, parts))
    flags = []
    for item in doc.get("flags") or []:
        line = item.pop(LINE_KEY, 0)
        org = parser.org(item, line)
        code = item.get("code")
        if code not in ReviewFlag.Code.values:
            parser.error(line, "code", f"unknown review flag '{code}'")
        noted = parser.dates([item.get("noted_on")], line, "noted_on")
        if org is not None and noted:
            flags.append((org, code, noted[0], str(item.get("note", ""))))
    others = doc.get("others") or {}
    others_line = others.pop(LINE_KEY, 0) if isinstance(others, dict) else 0
    try:
        others_as_of = _date(others.get("as_of"))
        month, day = (int(x) for x in str(others.get("paid_on", "04-30")).split("-"))
    except (TypeError, ValueError):
        parser.error(others_line, "others", "as_of (a date) and paid_on (MM-DD) are required")
        others_as_of, month, day = dt.date(2023, 9, 1), 4, 30
    try:
        schedules = schedules_from_file()
    except (ValueError, fees.ScheduleError) as exc:
        parser.error(0, "fee_schedules.yaml", str(exc))
    if parser.errors:
        raise DataErrors(parser.errors)

    ctx.progress("Loading fee schedules")
    fee_schedules_load(schedules=schedules, actor=ctx.actor)

    ctx.progress("Issuing illustrative invoices")
    fee_ctx = FeeContext()
    n_invoices = 0
    in_membership = [s.value for s in IN_MEMBERSHIP]
    for year in doc.get("invoice_years") or []:
        on = dt.date(int(year), 1, 15)
        billed = set(
            Invoice.objects.filter(fiscal_year=year).values_list("organisation_id", flat=True)
        )
        for org in with_state(
            Organisation.objects.filter(category__in=MEMBER_CATEGORIES), as_of=on
        ).filter(state__in=in_membership):  # type: ignore[misc]
            if org.pk in billed:
                continue
            try:
                invoice_issue(
                    actor=ctx.actor,
                    organisation=org,
                    fiscal_year=int(year),
                    issued_on=on,
                    context=fee_ctx,
                    illustrative=True,
                )
            except ValidationError:
                continue  # not priced (e.g. employees unknown): payments go on account
            n_invoices += 1

    ctx.progress("Recording illustrative payments and participation")
    default_amount = Decimal(str(others.get("amount", 1000)))
    n_payments = n_parts = 0

    def pay(org: Organisation, on: dt.date) -> None:
        nonlocal n_payments
        reference = f"DEMO-{org.slug}-{on:%Y%m%d}"[:80]
        if Payment.objects.filter(reference=reference).exists():
            return
        invoice = Invoice.objects.filter(organisation=org, fiscal_year=on.year).first()
        payment_record(
            actor=ctx.actor,
            organisation=org,
            invoice=invoice,
            amount=invoice.amount if invoice else default_amount,
            currency=invoice.currency if invoice else "USD",
            received_on=on,
            reference=reference,
            method="bank transfer",
            illustrative=True,
        )
        n_payments += 1

    since: dict[int, dt.date] = {}
    for org_id, approved_on in LifecycleEvent.objects.filter(
        kind=EventKind.APPROVED, date__lte=others_as_of
    ).values_list("organisation_id", "date"):
        since[org_id] = max(approved_on, since.get(org_id, approved_on))
    listed = {org.pk for org, _, _ in members} | {org.pk for org, *_ in flags}
    for org, paid, parts in members:
        for on in paid:
            pay(org, on)
        for part in parts:
            if not Participation.objects.filter(
                organisation=org, activity=part["activity"], date=part["date"]
            ).exists():
                participation_record(actor=ctx.actor, organisation=org, **part)
                n_parts += 1
    for org in with_state(
        Organisation.objects.filter(category__in=MEMBER_CATEGORIES), as_of=others_as_of
    ).filter(state__in=in_membership):  # type: ignore[misc]
        if org.pk in listed:
            continue
        joined = since.get(org.pk)
        for year in others.get("paid_years") or []:
            on = dt.date(int(year), month, day)
            if on <= others_as_of and (joined is None or on >= joined):
                pay(org, on)
    n_flags = 0
    for org, code, noted, note in flags:
        _, created = ReviewFlag.objects.get_or_create(
            organisation=org,
            code=code,
            noted_on=noted,
            defaults={"note": note, "illustrative": True},
        )
        n_flags += created
    return (
        f"dues (illustrative history): {len(schedules)} fee schedules, {n_invoices} invoices, "
        f"{n_payments} payments, {n_parts} participations, {n_flags} review flags"
    )
