"""Public prize pages: the editions, the published results and award certificates."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from urbis.common.actor import actor_of
from urbis.common.pdf import render_pdf
from urbis.prize import queries, rules
from urbis.prize.models import (
    Award,
    Edition,
)

CERTIFICATE_CSS = """
@page { size: A4 landscape; margin: 20mm; @bottom-center { content: none; } }
body { font-size: 14pt; }
"""


def _edition(year: int) -> Edition:
    return get_object_or_404(Edition, year=year)


def _visible_results(request: HttpRequest, year: int) -> Edition:
    edition = _edition(year)
    actor = actor_of(request)
    if not edition.results_published and not (actor and actor.has_perm("prize.manage_edition")):
        raise Http404("The results of this edition are not published yet.")
    return edition


def index(request: HttpRequest) -> HttpResponse:
    """The prize's editions: the call if one is open, the published results."""
    today = timezone.localdate()
    editions = list(Edition.objects.order_by("-year").prefetch_related("rounds"))
    for e in editions:
        e.call_open = (  # type: ignore[attr-defined]
            rules.call_error(on=today, call_opens=e.call_opens, call_closes=e.call_closes) is None
        )
    return render(request, "prize/index.html", {"editions": editions})


def results(request: HttpRequest, year: int) -> HttpResponse:
    """Public results: winners per category and the partners' special mentions."""
    edition = _visible_results(request, year)
    context = {
        "edition": edition,
        "groups": queries.results(edition),
        "committees": edition.committees.prefetch_related("members").order_by("kind"),
    }
    return render(request, "prize/results.html", context)


def certificate(request: HttpRequest, year: int, award_id: int) -> HttpResponse:
    """The certificate of one award, as PDF."""
    edition = _visible_results(request, year)
    award = get_object_or_404(
        Award.objects.select_related("kind", "kind__category", "application"),
        pk=award_id,
        kind__edition=edition,
    )
    pdf = render_pdf(
        "prize/certificate.html",
        {"edition": edition, "award": award},
        extra_css=CERTIFICATE_CSS,
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{year}-{award.pk}.pdf"'
    return response
