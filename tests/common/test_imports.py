"""The import reader: CSV and XLSX alike, row numbers as in the file, one error type."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories.files import xlsx_bytes
from urbis.common.imports import (
    ImportFileError,
    Row,
    RowError,
    cell_text,
    column_key,
    country_code,
    read_table,
    upload_read,
)


def _csv(text: str) -> bytes:
    return text.encode()


def _read(data: bytes, name: str = "cities.csv", **kwargs):
    kwargs.setdefault("required", ["name", "country"])
    kwargs.setdefault("optional", ["hdi"])
    return read_table(data, name=name, **kwargs)


def test_row_error_reads_row_column_reason():
    assert str(RowError(7, "country", "unknown country 'Atlantis'")) == (
        "row 7: country: unknown country 'Atlantis'"
    )
    assert str(RowError(None, "encoding", "not UTF-8")) == "file: encoding: not UTF-8"
    error = ImportFileError(
        [RowError(9, "b", "x"), RowError(None, "f", "y"), RowError(2, "a", "z")]
    )
    assert str(error) == "file: f: y\nrow 2: a: z\nrow 9: b: x"


def test_csv_and_xlsx_give_the_same_rows_with_the_files_row_numbers():
    csv_table = _read(_csv("Name,COUNTRY,hdi\nSeoul,KR,0.93\n\nBusan,KR,0.91\n"))
    xlsx_table = _read(
        xlsx_bytes([["Name", "COUNTRY", "hdi"], ["Seoul", "KR", 0.93], [], ["Busan", "KR", 0.91]]),
        name="cities.XLSX",
    )
    expected = [
        Row(2, {"name": "Seoul", "country": "KR", "hdi": "0.93"}),
        Row(4, {"name": "Busan", "country": "KR", "hdi": "0.91"}),
    ]
    for table in (csv_table, xlsx_table):
        assert table.errors == []
        assert table.columns == ["name", "country", "hdi"]
        assert table.rows == expected
        assert len(table) == 2


def test_a_csv_record_spanning_lines_is_numbered_by_its_first_line():
    data = _csv('name,country\n"Kuala\nLumpur",MY\nDaegu,KR\n')
    table = _read(data)
    assert [(r.number, r["name"]) for r in table] == [(2, "Kuala\nLumpur"), (4, "Daegu")]


def test_a_utf8_byte_order_mark_and_crlf_are_read():
    table = _read("\ufeffname,country\r\nSão Paulo,BR\r\n".encode())
    assert table.rows == [Row(2, {"name": "São Paulo", "country": "BR"})]


def test_a_file_that_is_not_utf8_is_one_file_error():
    table = _read("name,country\nZürich,CH\n".encode("latin-1"))
    assert [str(e) for e in table.errors] == [
        "file: encoding: the file is not UTF-8 text (byte 15)"
    ]
    assert table.rows == []
    with pytest.raises(ImportFileError, match="not UTF-8"):
        table.raise_errors()


def test_unreadable_empty_and_unknown_formats():
    corrupt = _read(b"PK\x03\x04garbage", name="x.xlsx").errors
    assert len(corrupt) == 1
    assert str(corrupt[0]).startswith("file: format: not a readable XLSX file")
    assert [str(e) for e in _read(b"", name="x.csv").errors] == ["file: header: the file is empty"]
    assert [str(e) for e in _read(b"a", name="x.ods").errors] == [
        "file: format: expected a .csv or .xlsx file"
    ]


def test_header_errors_are_row_1():
    table = _read(_csv("Name,name,colour,hdi\nSeoul,Seoul,red,1\n"))
    assert [str(e) for e in table.errors] == [
        "row 1: name: the column appears twice",
        "row 1: columns: unknown column(s): colour (known: country, hdi, name)",
        "row 1: country: required column is missing",
    ]


def test_ignored_columns_are_read_and_dropped():
    table = _read(_csv("name,country,region\nSeoul,KR,Asia\n"), ignored=["Region"])
    assert table.errors == []
    assert table.rows == [Row(2, {"name": "Seoul", "country": "KR"})]


def test_values_under_no_header_are_errors_of_their_row():
    table = _read(_csv("name,country,\nSeoul,KR,\nBusan,KR,extra\nIncheon,KR,,more\n"))
    assert [str(e) for e in table.errors] == [
        "row 3: column 3: a value under no header",
        "row 4: column 4: a value under no header",
    ]


def test_a_short_row_has_empty_cells():
    table = _read(_csv("name,country,hdi\nSeoul\n"))
    assert table.rows == [Row(2, {"name": "Seoul", "country": "", "hdi": ""})]
    assert table.rows[0]["missing"] == ""


def test_a_nul_is_an_error_of_its_cell_and_the_row_is_left_out():
    # A workbook cannot hold a NUL (openpyxl refuses to write one): CSV is where it comes in.
    table = _read(_csv("name,country\nSe\x00oul,KR\nBusan,KR\n"))
    assert [str(e) for e in table.errors] == ["row 2: name: contains a NUL character"]
    assert [r.number for r in table] == [3]
    unnamed = _read(_csv("name,country,\nSeoul,KR,\x00\n"))
    assert [str(e) for e in unnamed.errors] == ["row 2: column 3: contains a NUL character"]


def test_max_rows():
    table = _read(_csv("name,country\nA,KR\nB,KR\nC,KR\n"), max_rows=2)
    assert [r.number for r in table] == [2, 3]
    assert [str(e) for e in table.errors] == ["row 4: rows: at most 2 rows"]


def test_cells_from_a_workbook_read_as_written():
    assert cell_text(12.0) == "12"
    assert cell_text(0.5) == "0.5"
    assert cell_text(dt.datetime(2026, 9, 1)) == "2026-09-01"
    assert cell_text(dt.datetime(2026, 9, 1, 8, 30)) == "2026-09-01T08:30:00"
    assert cell_text(dt.date(2026, 9, 1)) == "2026-09-01"
    assert cell_text(True) == "true"
    assert cell_text(None) == ""
    assert cell_text("  x ") == "x"
    table = _read(xlsx_bytes([["name", "country", "hdi"], ["Seoul", "KR", 1]]), name="c.xlsx")
    assert table.rows[0]["hdi"] == "1"


def test_column_keys():
    assert {column_key(h) for h in ("Official name", " OFFICIAL-NAME ", "official_name")} == {
        "official_name"
    }


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("KR", "KR"),
        ("kr", "KR"),
        ("KOR", "KR"),
        ("kor", "KR"),
        ("Korea, Republic of", "KR"),
        ("Germany", "DE"),
        ("germany", "DE"),
        ("Côte d'Ivoire", "CI"),
        ("", ""),
        ("  ", ""),
        (None, ""),
    ],
)
def test_country_code(value, code):
    assert country_code(value) == code


@pytest.mark.parametrize("value", ["Atlantis", "XX", "ZZZ", "K"])
def test_an_unknown_country_says_what_to_write(value):
    with pytest.raises(ValueError, match=f"unknown country '{value}'.*such as KR or KOR"):
        country_code(value)


class _Upload:
    """An uploaded file that counts what is asked of it."""

    def __init__(self, data: bytes, name: str | None) -> None:
        self.data, self.name, self.asked = data, name, 0

    def read(self, size: int = -1) -> bytes:
        self.asked = size
        return self.data[:size]


def test_an_upload_is_read_one_byte_past_the_limit(settings):
    settings.URBIS_MAX_IMPORT_BYTES = 10
    upload = _Upload(b"x" * 50, None)
    assert upload_read(upload, default_name="payments.csv") == ("payments.csv", b"x" * 11)
    assert upload.asked == 11
    assert upload_read(_Upload(b"abc", "a.xlsx"), default_name="b.csv") == ("a.xlsx", b"abc")


def test_a_file_over_the_limit_is_one_size_error_and_no_rows(settings):
    settings.URBIS_MAX_IMPORT_BYTES = 30
    data = _csv("name,country\nSeoul,KR\nBusan,KR\n")  # 31 bytes
    assert len(data) == 31
    table = _read(data)
    assert [str(e) for e in table.errors] == ["file: size: larger than the limit of 30 bytes"]
    assert table.rows == []
    assert _read(data[:-9] + b"\n").errors == []  # 23 bytes: read
    own = _read(data, max_bytes=1_000)
    assert own.errors == [] and len(own) == 2  # an import's own limit replaces the setting
