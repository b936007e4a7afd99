"""The real demo data set, loaded once per module where a test only reads it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from urbis.demo.loaders.context import DATA_DIR


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A writable copy of the shipped data set."""
    target = tmp_path / "ga6"
    shutil.copytree(DATA_DIR, target)
    return target
