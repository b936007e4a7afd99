"""What every loader receives."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "ga6"


@dataclass
class LoadContext:
    data_dir: Path = DATA_DIR
    actor: Any = None  # None: the system
    progress: Callable[[str], None] = field(default=lambda message: None)
