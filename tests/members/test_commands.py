import io

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connections

from tests.factories.members import OrganisationFactory
from urbis.common.models import AuditRecord
from urbis.members.models import Organisation

pytestmark = pytest.mark.django_db

GOOD = (
    "name,category,country,population\n"
    "Seoul,local_government,KR,9386034\n"
    "Bishkek,local_government,Kyrgyzstan,\n"
)
BAD = "name,category,country,population\nSeoul,local_government,Narnia,\nAcme,corporation,US,5\n"


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_members_reports_counts(tmp_path, staff_user):
    path = tmp_path / "members.csv"
    path.write_text(GOOD, encoding="utf-8")
    out, _ = _run("import_members", str(path), "--user", staff_user.username)
    assert out == "members.csv: 2 created, 0 updated, 0 unchanged\n"
    assert AuditRecord.objects.filter(actor=staff_user).count() == 2
    out, _ = _run("import_members", str(path))
    assert out == "members.csv: 0 created, 0 updated, 2 unchanged\n"


def test_import_members_dry_run_writes_nothing(tmp_path):
    path = tmp_path / "members.csv"
    path.write_text(GOOD, encoding="utf-8")
    out, _ = _run("import_members", str(path), "--dry-run")
    assert out == "members.csv: 2 created, 0 updated, 0 unchanged (dry run: nothing was written)\n"
    assert Organisation.objects.count() == 0


def test_import_members_prints_every_error_and_fails(tmp_path):
    OrganisationFactory(name="Existing")
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match=r"bad.csv: 2 error\(s\); nothing was written."):
        call_command("import_members", str(path), stdout=io.StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        "row 2: country: unknown country 'Narnia' (use an ISO 3166 code such as KR or KOR,"
        " or an English name)",
        "row 3: population: only local governments have one",
    ]
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Existing"]
    assert AuditRecord.objects.count() == 0


def test_import_members_exits_non_zero(tmp_path, monkeypatch):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    # run_from_argv closes every connection when it ends; on PostgreSQL that would close the
    # test's own connection inside its transaction and break the tests that follow.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exc:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["manage.py", "import_members", str(path)])
    assert exc.value.code == 1
    assert Organisation.objects.count() == 0  # the connection still serves the test


def test_import_members_refuses_unknown_format_and_missing_file(tmp_path):
    with pytest.raises(CommandError, match="cannot tell the format"):
        _run("import_members", str(tmp_path / "members.txt"))
    with pytest.raises(CommandError, match="No such file"):
        _run("import_members", str(tmp_path / "missing.csv"))


def test_export_members_csv_to_stdout_and_xlsx_to_file(tmp_path):
    OrganisationFactory(name="Seoul", country="KR", population=9_386_034)
    OrganisationFactory(name="Acme", category="corporation", country="US")
    out, _ = _run("export_members", "--format", "csv", "--category", "local_government")
    assert out.splitlines() == [
        "name,category,country,city,official_name,population,population_year,founding_member,"
        "institution_type,corporate_category,employees,website,description,state",
        "Seoul,local_government,KR,,,9386034,,false,,,,,,none",
    ]
    target = tmp_path / "members.xlsx"
    _, err = _run("export_members", "--format", "xlsx", "--output", str(target))
    assert err.startswith(f"Wrote {target} (")
    rows = list(openpyxl.load_workbook(target).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["Acme", "Seoul"]
    out, _ = _run("import_members", str(target))
    assert out == "members.xlsx: 0 created, 0 updated, 2 unchanged\n"


def test_export_members_xlsx_needs_an_output():
    with pytest.raises(CommandError, match="needs --output"):
        _run("export_members", "--format", "xlsx")
