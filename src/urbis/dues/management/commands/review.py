"""`urbis review --as-of 2023-09-01`: the membership status review (memorandum Annex 1).

Prints the proposed transitions with reasons and evidence; with `--apply` and a decision
reference, records the approved ones in one transaction.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from urbis.dues.domain.review import review_apply
from urbis.dues.queries.review import review_preview


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"'{value}' is not a date (YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = "Preview (and with --apply, record) the membership status review as of a date."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--as-of", required=True, help="Review date, YYYY-MM-DD.")
        parser.add_argument("--apply", action="store_true", help="Record the new proposals.")
        parser.add_argument("--decision", default="", help="Decision reference, e.g. 'GA 2'.")
        parser.add_argument("--decided-on", default="", help="Decision date (default: as-of).")
        parser.add_argument(
            "--only", nargs="*", default=None, help="Apply only these organisation names."
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        as_of = _date(options["as_of"])
        console = Console(file=self.stdout, width=160)
        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("Reviewing members", total=None)
            preview = review_preview(
                as_of=as_of, progress=lambda n, total: bar.update(task, completed=n, total=total)
            )
        table = Table(title=f"Status review as of {as_of.isoformat()}")
        for col in (
            "Member",
            "Category",
            "State",
            "Proposed",
            "Reason",
            "Last payment",
            "Last participation",
            "Already recorded",
        ):
            table.add_column(col)
        for item in preview.items:
            p, ev = item.proposal, item.proposal.evidence
            rec = item.recorded
            table.add_row(
                p.name,
                p.category,
                p.state.value,
                p.propose.value,
                p.reason,
                ev["last_payment"] or "none",
                ev["last_participation"] or "none",
                f"{rec.date} {rec.decision_ref}" if rec else "",
            )
        console.print(table)
        console.print(
            f"{len(preview.new)} new proposal(s), {len(preview.already_recorded)} already "
            "recorded by a later decision."
        )
        if not options["apply"]:
            return
        approved = None
        if options["only"] is not None:
            by_name = {p.name: p.organisation_id for p in preview.new}
            unknown = [n for n in options["only"] if n not in by_name]
            if unknown:
                raise CommandError(f"Not new proposals: {', '.join(unknown)}")
            approved = [by_name[n] for n in options["only"]]
        decided_on = _date(options["decided_on"]) if options["decided_on"] else as_of
        try:
            with Progress(console=console, transient=True) as bar:
                task = bar.add_task("Applying", total=None)
                review = review_apply(
                    actor=None,
                    preview=preview,
                    decision_ref=options["decision"],
                    decided_on=decided_on,
                    approved=approved,
                    progress=lambda n, total: bar.update(task, completed=n, total=total),
                )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages) + " (nothing was written)") from exc
        console.print(f"Applied {len(review.proposals)} transition(s) ({review.decision_ref}).")
