"""The audit snapshot of governance rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

from urbis.common.audit import snapshot as _snapshot


def snapshot(instance: Any) -> dict[str, Any]:
    """The audit snapshot, with times of day as ISO text (the audit trail stores JSON)."""
    return {
        k: v.isoformat() if isinstance(v, dt.time) else v for k, v in _snapshot(instance).items()
    }
