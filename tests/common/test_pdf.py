from urbis.common.pdf import html_to_pdf, pdf_text


def test_pdf_round_trip_keeps_text():
    data = html_to_pdf("<h1>Memorandum</h1><p>Population 130,996,081 — São Paulo</p>")
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    assert "Memorandum" in text
    assert "Population 130,996,081 — São Paulo" in text
