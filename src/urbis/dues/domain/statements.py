"""Importing a bank statement: the matched rows of its preview become payments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from urbis.dues.domain.ledger import payment_record
from urbis.dues.models import Payment
from urbis.dues.queries.statements import StatementPreview, StatementRow, statement_preview


@dataclass(frozen=True)
class StatementResult:
    preview: StatementPreview
    payments: list[Payment]

    @property
    def left(self) -> list[StatementRow]:
        """The rows not recorded: unmatched and ambiguous, for the treasurer to settle."""
        return self.preview.unmatched + self.preview.ambiguous

    @property
    def summary(self) -> str:
        return (
            f"{len(self.payments)} payment(s) recorded; {len(self.preview.unmatched)} unmatched"
            f" and {len(self.preview.ambiguous)} ambiguous row(s) left for you;"
            f" {len(self.preview.recorded)} already recorded"
        )


def statement_import(*, data: bytes, name: str, actor: Any) -> StatementResult:
    """Record every matched row of a statement as a payment of its invoice, in one
    transaction. The file is previewed again here, so what is written is what the
    preview shows; a file with any malformed row writes nothing (every error is raised,
    each naming its row and column). Each payment writes its own audit record."""
    preview = statement_preview(data, name=name)
    if preview.errors:
        raise ValidationError([str(e) for e in preview.errors])
    payments = []
    with transaction.atomic():
        for row in preview.matched:
            assert row.invoice is not None
            try:
                payments.append(
                    payment_record(
                        actor=actor,
                        organisation=row.invoice.organisation,
                        invoice=row.invoice,
                        amount=row.amount,
                        received_on=row.received_on,
                        currency=row.currency,
                        reference=row.key,
                        method="bank transfer",
                    )
                )
            except ValidationError as exc:
                raise ValidationError([f"row {row.row}: {m}" for m in exc.messages]) from exc

    return StatementResult(preview=preview, payments=payments)
