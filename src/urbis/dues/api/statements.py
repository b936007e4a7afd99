"""Bank statements: preview a file, then record its matched rows as payments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import File, Schema, Status
from ninja.files import UploadedFile

from urbis.common.actor import ACTOR_AUTH, permission_required
from urbis.common.errors import ErrorOut, error_body
from urbis.common.imports import upload_read
from urbis.dues.api.base import _actor, router
from urbis.dues.domain.statements import statement_import
from urbis.dues.queries.statements import (
    StatementPreview,
    StatementRow,
    statement_preview,
)

# --- bank statements ------------------------------------------------------------------------


class StatementRowOut(Schema):
    row: int
    received_on: dt.date
    amount: Decimal
    currency: str
    reference: str
    transaction: str
    match: str
    invoices: list[str]
    note: str


class StatementOut(Schema):
    name: str
    summary: str
    matched: list[StatementRowOut]
    unmatched: list[StatementRowOut]
    ambiguous: list[StatementRowOut]
    recorded: list[StatementRowOut]
    errors: list[str]


class StatementImportOut(Schema):
    summary: str
    receipts: list[str]
    statement: StatementOut


def _statement_body(preview: StatementPreview) -> dict[str, Any]:
    def rows(items: list[StatementRow]) -> list[dict[str, Any]]:
        return [
            {
                "row": r.row,
                "received_on": r.received_on,
                "amount": r.amount,
                "currency": r.currency,
                "reference": r.reference,
                "transaction": r.key,
                "match": str(r.match),
                "invoices": r.invoices,
                "note": r.note,
            }
            for r in items
        ]

    return {
        "name": preview.name,
        "summary": preview.summary,
        "matched": rows(preview.matched),
        "unmatched": rows(preview.unmatched),
        "ambiguous": rows(preview.ambiguous),
        "recorded": rows(preview.recorded),
        "errors": [str(e) for e in preview.errors],
    }


@router.post(
    "/statements/preview",
    response={200: StatementOut, 401: ErrorOut, 403: ErrorOut, 422: StatementOut | ErrorOut},
    auth=ACTOR_AUTH,
)
@permission_required("dues.manage_dues")
def statement_preview_op(request: HttpRequest, file: File[UploadedFile]) -> Status:
    """What importing this statement (CSV or XLSX) would record: matched, unmatched and
    ambiguous rows, rows already recorded, and every malformed row (422). Writes nothing."""
    name, data = upload_read(file, default_name="statement.csv")
    preview = statement_preview(data, name=name)
    return Status(422 if preview.errors else 200, _statement_body(preview))


@router.post(
    "/statements",
    response={201: StatementImportOut, 401: ErrorOut, 403: ErrorOut, 422: ErrorOut},
    auth=ACTOR_AUTH,
)
@permission_required("dues.manage_dues")
def statement_import_op(request: HttpRequest, file: File[UploadedFile]) -> Status:
    """Record the matched rows of a statement as payments (with receipts), in one
    transaction; unmatched and ambiguous rows are answered, not recorded. A malformed row
    writes nothing: 422 lists every `row N: column: reason`."""
    name, data = upload_read(file, default_name="statement.csv")
    try:
        result = statement_import(data=data, name=name, actor=_actor(request))
    except ValidationError as exc:
        return Status(422, error_body("The statement was not imported.", {"file": exc.messages}))
    return Status(
        201,
        {
            "summary": result.summary,
            "receipts": [p.receipt_number for p in result.payments],
            "statement": _statement_body(result.preview),
        },
    )
