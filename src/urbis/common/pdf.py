"""PDF rendering with WeasyPrint: one Django template serves the HTML page and the PDF.

Fonts: the print stylesheet names DejaVu Sans (shipped by Debian's fonts-dejavu-core, a
WeasyPrint dependency) so that the text layer extracts cleanly, then Noto Sans CJK (Debian's
fonts-noto-cjk, see docs/deployment.md) for Korean, Japanese and Chinese names, which DejaVu
does not cover: without it they print as empty boxes.
"""

from __future__ import annotations

import io
from typing import Any

from django.template.loader import render_to_string

PRINT_CSS = """
@page { size: A4; margin: 18mm 16mm 20mm;
  @bottom-center { content: counter(page); font-size: 9pt; } }
body { font-family: "DejaVu Sans", "Noto Sans CJK KR", "Noto Sans CJK JP", "Noto Sans CJK SC",
  sans-serif; font-size: 10pt; color: #1d2733; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 0.5pt solid #c8d0d8; padding: 2pt 4pt; text-align: left;
  vertical-align: top; }
th { background: #eef2f5; }
h1, h2, h3 { color: #0b4f63; }
"""


def html_to_pdf(html: str, *, base_url: str | None = None, extra_css: str = "") -> bytes:
    from weasyprint import CSS, HTML  # imported lazily: heavy, and only PDF paths need it

    stylesheets = [CSS(string=PRINT_CSS + extra_css)]
    return HTML(string=html, base_url=base_url).write_pdf(stylesheets=stylesheets)  # type: ignore[no-any-return]


def render_pdf(template: str, context: dict[str, Any], *, extra_css: str = "") -> bytes:
    """Render `template` with `context` (plus `for_pdf=True`) to PDF bytes."""
    html = render_to_string(template, {**context, "for_pdf": True})
    return html_to_pdf(html, extra_css=extra_css)


def pdf_text(data: bytes) -> str:
    """The text layer of a PDF (every page), for tests and search."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
