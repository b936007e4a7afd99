"""Rendering of the activity report: one template for the HTML page and the PDF.

The PDF is the same template printed by WeasyPrint with CSS paged media: a cover page, running
headers from each chapter's title (`string-set`), a table of contents whose page numbers are
`target-counter`s, and page numbers at the foot.

The report is written in the active language: the published one in English (the record of
the Assembly), another when asked for (`pdf(report, language=...)`; build the report under
the same language, as `reports.cache` and `reports.jobs` do, so that its computed sentences
match).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from urbis.common.pdf import html_to_pdf
from urbis.members.models import MEMBER_CATEGORIES
from urbis.reports.assembly import ActivityReport

TEMPLATE = "reports/activity_report.html"

PAGED_CSS = """
@page { @top-center { content: string(chapter); font-family: "DejaVu Sans", sans-serif;
  font-size: 8pt; color: #5b6b7b; }
  @bottom-center { font-family: "DejaVu Sans", sans-serif; } }
@page:first { @top-center { content: none; } @bottom-center { content: none; } }
.report .cover { break-after: page; padding-top: 60mm; }
.report .toc { break-after: page; }
.report .toc a { color: #1d2733; }
.report .toc a::after { content: leader('.') target-counter(attr(href), page); }
.report section.chapter { break-before: page; }
.report section.chapter h1 { string-set: chapter content(); font-size: 16pt; }
.report h2 { font-size: 12pt; }
.report h3 { font-size: 10.5pt; }
.report table { font-size: 8.5pt; }
.report tr, .report figure { break-inside: avoid; }
.report .figure { width: 28%; }
.report .chart { width: 100%; }
"""


def toc(report: ActivityReport) -> list[tuple[str, str]]:
    """(anchor, title) of each chapter the report has, in order."""
    entries = [("highlights", _("The %(title)s Highlights") % {"title": report.title})]
    if report.statistics is not None:
        entries += [
            ("cities", _("List of Participating Cities")),
            ("organisations", _("List of Participating Organisations")),
            ("programme", _("Programme at a Glance")),
        ]
        entries += [(f"ceremony-{n}", s.title) for n, s in enumerate(report.ceremonies, 1)]
    entries.append(("session", _("%(title)s Session") % {"title": report.title}))
    if report.next_assembly is not None:
        label = report.next_assembly.label
        entries.append(
            (
                "next",
                _("The Next Assembly: %(label)s") % {"label": label}
                if label
                else _("The Next Assembly: to be selected"),
            )
        )
    if report.side_sessions:
        entries.append(("side", _("Side Session")))
    if report.prize is not None:
        entries.append(("prize", report.prize.edition.name))
    if report.sponsors:
        entries.append(("sponsors", _("Sponsors")))
    entries += [
        (
            "memorandum",
            _("Meeting Memorandum of the %(title)s") % {"title": report.meeting.title},
        ),
        ("membership", _("Annex: Membership Between Assemblies")),
    ]
    if report.fee_schedules:
        entries.append(("fees", _("Annex: Membership Fees")))
    return entries


def context(report: ActivityReport, **extra: Any) -> dict[str, Any]:
    rows = []
    for r in report.membership_by_year:
        t = r["table"]
        rows.append(
            (
                r["year"],
                *(t[c.value].get("member", 0) for c in MEMBER_CATEGORIES),
                sum(t[c.value].get("suspended", 0) for c in MEMBER_CATEGORIES),
            )
        )
    return {"r": report, "toc": toc(report), "membership_rows": rows, **extra}


def html(
    report: ActivityReport,
    *,
    for_pdf: bool = False,
    request: HttpRequest | None = None,
    **extra: Any,
) -> str:
    """The report as a page of the site (`request` given) or as a standalone document."""
    base = "reports/print_base.html" if for_pdf or request is None else "base.html"
    ctx = context(report, base_template=base, for_pdf=for_pdf, **extra)
    return render_to_string(TEMPLATE, ctx, request=request)


def page_body(report: ActivityReport) -> dict[str, str]:
    """The report's title and the body of its page without the site around it (nothing of
    a request or a user in it), for the cache of published pages (`reports.cache`)."""
    body = render_to_string(TEMPLATE, context(report, base_template="reports/body_base.html"))
    return {"title": f"Activity report · {report.title}", "body": str(body)}


def pdf(report: ActivityReport, *, language: str | None = None) -> bytes:
    """The report as a PDF, in `language` (the active one when None)."""
    with translation.override(language or translation.get_language()):
        return html_to_pdf(html(report, for_pdf=True), extra_css=PAGED_CSS)
