"""What the groups of checks share."""

from __future__ import annotations

from pathlib import Path

from urbis.demo.loaders.members.validate.rows import (
    _Collector,
)


class _Base:
    """The state every group of checks shares: the data folder and the errors collected."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.out = _Collector()

    def err(self, file: str, line: int, field_name: str, reason: str) -> None:
        self.out.add(file, line, field_name, reason)
