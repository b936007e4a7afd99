"""The real 6th GA data set for the report tests: the suite's shared `demo_data` fixture
(loaded once per module, every table emptied afterwards)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def ga6_data(demo_data):
    return demo_data
