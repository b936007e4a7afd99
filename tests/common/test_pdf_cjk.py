"""A Korean name on a badge prints with a CJK font (fonts-noto-cjk), not as empty boxes:
the font embedded for it is a CJK one and the text layer reads the name back."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tests.factories.events import RegistrationFactory
from urbis.events.badges import badges_pdf

pytestmark = pytest.mark.django_db

NAME = "김민준"
ORGANISATION = "서울특별시"


def _fonts(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            names.add(str(font.get("/BaseFont", "")))
            for desc in font.get("/DescendantFonts", []):
                names.add(str(desc.get_object().get("/BaseFont", "")))
    return names


def test_a_korean_name_prints_with_a_cjk_font():
    reg = RegistrationFactory(person_name=NAME, position="", organisation__name=ORGANISATION)
    data = badges_pdf([reg])
    assert any("CJK" in name for name in _fonts(data)), _fonts(data)
    text = PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert NAME in text.split("\n")
    assert ORGANISATION in text.split("\n")
