"""Rendering of the activity report: one template for the HTML page and the PDF.

The PDF is the same template printed by WeasyPrint with CSS paged media: a cover page, running
headers from each chapter's title (`string-set`), a table of contents whose page numbers are
`target-counter`s, and page numbers at the foot.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string

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
    entries = [("highlights", f"The {report.title} Highlights")]
    if report.statistics is not None:
        entries += [
            ("cities", "List of Participating Cities"),
            ("organisations", "List of Participating Organisations"),
            ("programme", "Programme at a Glance"),
        ]
        entries += [(f"ceremony-{n}", s.title) for n, s in enumerate(report.ceremonies, 1)]
    entries.append(("session", f"{report.title} Session"))
    if report.next_assembly is not None:
        entries.append(("next", f"The Next Assembly: {report.next_assembly.label}"))
    if report.side_sessions:
        entries.append(("side", "Side Session"))
    if report.prize is not None:
        entries.append(("prize", report.prize.edition.name))
    if report.sponsors:
        entries.append(("sponsors", "Sponsors"))
    entries += [
        ("memorandum", f"Meeting Memorandum of the {report.meeting.title}"),
        ("membership", "Annex: Membership Between Assemblies"),
    ]
    if report.fee_schedules:
        entries.append(("fees", "Annex: Membership Fees"))
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


def pdf(report: ActivityReport) -> bytes:
    return html_to_pdf(html(report, for_pdf=True), extra_css=PAGED_CSS)
