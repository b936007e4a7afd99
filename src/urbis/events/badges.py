"""Badges: a QR code (segno) holding the badge code, rendered to PDF with WeasyPrint.

The QR image is embedded as a PNG so that the PDF carries it as one raster image that a
decoder can read back (the tests do exactly that).
"""

from __future__ import annotations

from collections.abc import Iterable

import segno

from urbis.common.pdf import render_pdf
from urbis.events import rules
from urbis.events.models import Registration

BADGE_CSS = """
@page { size: 105mm 148mm; margin: 8mm; @bottom-center { content: none; } }
.badge-page { page-break-after: always; text-align: center; }
.badge-page:last-child { page-break-after: auto; }
.badge-event { font-size: 10pt; color: #0b4f63; font-weight: bold; margin: 0 0 2mm; }
.badge-dates { font-size: 8pt; color: #5b6b7b; margin: 0 0 6mm; }
.badge-name { font-size: 20pt; font-weight: bold; margin: 4mm 0 1mm; }
.badge-position { font-size: 9pt; margin: 0 0 1mm; }
.badge-org { font-size: 12pt; margin: 0 0 4mm; }
.badge-qr { width: 42mm; height: 42mm; }
.badge-code { font-family: "DejaVu Sans Mono", monospace; font-size: 11pt; letter-spacing: 1pt; }
.badge-kind { display: inline-block; margin-top: 3mm; padding: 1mm 4mm; border-radius: 3mm;
  background: #0b6e8a; color: #fff; font-size: 9pt; }
.badge-synthetic { font-size: 7pt; color: #a12622; }
"""


def qr_payload(registration: Registration) -> str:
    return rules.qr_payload(registration.event.slug, registration.code)


def qr_code(payload: str) -> segno.QRCode:
    return segno.make_qr(payload, error="m")


def qr_png_data_uri(payload: str) -> str:
    return str(qr_code(payload).png_data_uri(scale=8, border=4))


def qr_svg_data_uri(payload: str) -> str:
    return str(qr_code(payload).svg_data_uri(scale=4, border=4))


def badge_context(registrations: Iterable[Registration]) -> dict[str, object]:
    badges = []
    for reg in registrations:
        payload = qr_payload(reg)
        badges.append(
            {
                "registration": reg,
                "event": reg.event,
                "code": rules.format_code(reg.code),
                "qr": qr_png_data_uri(payload),
                "payload": payload,
            }
        )
    return {"badges": badges}


def badges_pdf(registrations: Iterable[Registration]) -> bytes:
    """One badge per page (A6), in the order given: one delegate or a batch for printing."""
    return render_pdf("events/badges_pdf.html", badge_context(registrations), extra_css=BADGE_CSS)
