"""An organisation's description is public (its member page, the directory): the demo data
keeps where a row comes from in comments or staff-only records, never in the description."""

from __future__ import annotations

from pathlib import Path

import yaml

import urbis.demo

ORGANISATIONS = Path(urbis.demo.__file__).parent / "data" / "ga6" / "organisations"
INTERNAL = ("seed", "spelling as in", "not in the registry", "gives no details")


def test_no_public_description_carries_provenance():
    found = []
    for path in sorted(ORGANISATIONS.glob("*.yaml")):
        if path.name == "synthetic_members.yaml":  # labelled synthetic on purpose
            continue
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        rows = (
            doc
            if isinstance(doc, list)
            else [row for value in doc.values() if isinstance(value, list) for row in value]
        )
        for row in rows:
            text = str(row.get("description") or "").lower()
            found += [f"{path.name}: {row['name']}" for word in INTERNAL if word in text]
    assert found == []
