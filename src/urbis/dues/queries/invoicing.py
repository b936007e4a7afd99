"""The invoicing policy (issuer, bank, due dates, numbering), read from its data file."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import yaml

from urbis.dues.rules.invoicing import InvoicingPolicy, policy_from_data

INVOICING_FILE = Path(__file__).resolve().parent.parent / "data" / "invoicing.yaml"


@lru_cache(maxsize=4)
def _policy_from(path: Path) -> InvoicingPolicy:
    return policy_from_data(yaml.safe_load(path.read_text(encoding="utf-8")) or {})


def invoicing_policy() -> InvoicingPolicy:
    """The policy of `URBIS_INVOICING_FILE` if set, else the one shipped in `dues/data/`."""
    return _policy_from(Path(os.environ.get("URBIS_INVOICING_FILE") or INVOICING_FILE))
