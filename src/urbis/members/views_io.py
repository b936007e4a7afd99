"""Staff pages to import organisations from CSV/XLSX (with a dry-run preview) and export them."""

from __future__ import annotations

from pathlib import PurePath

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from urbis.common.actor import actor_required
from urbis.common.imports import upload_read
from urbis.members.domain.imports import FORMATS, organisations_import
from urbis.members.forms import DirectoryFilterForm
from urbis.members.queries.exports import COLUMNS, CONTENT_TYPES, organisations_export
from urbis.members.queries.registry import today


@actor_required("members.import_organisations")
def import_page(request: HttpRequest) -> HttpResponse:
    """Upload a file: "Preview" is a dry run (counts and every error), "Import" writes it."""
    result, problem = None, ""
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            problem = "Choose a CSV or XLSX file first."
        else:
            dry_run = request.POST.get("action") != "import"
            name, data = upload_read(upload, default_name="")
            result = organisations_import(
                actor=request.actor,  # type: ignore[attr-defined]
                data=data,
                format=PurePath(name).suffix.lower().lstrip("."),
                dry_run=dry_run,
            )
    context = {
        "result": result,
        "problem": problem,
        "columns": COLUMNS,
        "formats": FORMATS,
        "max_bytes": settings.URBIS_MAX_IMPORT_BYTES,
    }
    htmx = bool(getattr(request, "htmx", False))  # django-htmx's middleware sets it
    template = "members/_import_result.html" if htmx else "members/import.html"
    status = 422 if (result is not None and not result.ok) or problem else 200
    return render(request, template, context, status=200 if htmx else status)


@actor_required("members.export_organisations")
def export_file(request: HttpRequest) -> HttpResponse:
    """The directory as CSV or XLSX (`?format=`), with the directory's filters and as-of date."""
    fmt = request.GET.get("format", "csv")
    if fmt not in CONTENT_TYPES:
        raise Http404("Unknown export format: use csv or xlsx.")
    filters = DirectoryFilterForm(request.GET).filters()
    filters["as_of"] = filters["as_of"] or today()
    data = organisations_export(format=fmt, **filters)  # type: ignore[arg-type]
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    name = f"organisations-{filters['as_of']}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
