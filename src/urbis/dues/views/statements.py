"""Bank statements: preview a file, then record its matched rows."""

from __future__ import annotations

import base64
import binascii

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from urbis.common.actor import actor_required
from urbis.common.imports import upload_read
from urbis.dues.domain.statements import statement_import
from urbis.dues.queries.statements import MAX_BYTES, statement_preview


@actor_required("dues.manage_dues")
def statement_page(request: HttpRequest) -> HttpResponse:
    """A bank statement (CSV or XLSX): upload, see the matches, then confirm. The preview
    names matched, unmatched, ambiguous and malformed rows; nothing is written before the
    treasurer confirms, and the confirmation sends the same file back (kept in the form)."""
    context: dict[str, object] = {"max_kb": MAX_BYTES // 1024}
    if request.method != "POST":
        return render(request, "dues/statement.html", context)
    upload = request.FILES.get("file")
    if upload is not None:
        name, data = upload_read(upload, default_name="statement.csv")
    else:
        name = request.POST.get("name", "")[:200]
        try:
            data = base64.b64decode(request.POST.get("data", ""), validate=True)
        except binascii.Error:
            data = b""
        if not data:
            messages.error(request, "Choose a statement file (CSV or XLSX).")
            return render(request, "dues/statement.html", context, status=400)
    if request.POST.get("confirm") and upload is None:
        try:
            result = statement_import(data=data, name=name, actor=request.actor)  # type: ignore[attr-defined]
        except ValidationError as exc:
            messages.error(request, f"{name}: nothing was imported.")
            for problem in exc.messages[:50]:
                messages.error(request, f"{name}: {problem}")
            return redirect("dues:statement")
        messages.success(request, f"{name}: {result.summary}.")
        return render(
            request, "dues/statement.html", {**context, "preview": result.preview, "done": True}
        )
    preview = statement_preview(data, name=name)
    return render(
        request,
        "dues/statement.html",
        {
            **context,
            "preview": preview,
            "name": name,
            "data": base64.b64encode(data).decode("ascii"),
        },
        status=200 if not preview.errors else 400,
    )
