"""Reading demo data files with line numbers: every error reads `file:line: field: reason`."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

LINE_KEY = "__line__"


class _LineLoader(yaml.SafeLoader):
    """A safe loader that records each mapping's first line under `__line__`."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping[LINE_KEY] = node.start_mark.line + 1
        return mapping

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        """A date-like scalar that is not a real date (2023-02-30) stays a string, so that
        a loader reports it against its row and field instead of the whole file failing."""
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _LineLoader.construct_yaml_timestamp)


@dataclass(frozen=True)
class DataError:
    file: str
    line: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.reason}"


class DataErrors(Exception):
    """Every error found in a data set; nothing was written."""

    def __init__(self, errors: list[DataError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def read_yaml(path: Path) -> Any:
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_LineLoader)  # a SafeLoader subclass


def records(path: Path, key: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The mappings listed under `key` of a YAML file, each with its line number."""
    document = read_yaml(path) or {}
    for item in document.get(key) or []:
        line = item.pop(LINE_KEY, 0) if isinstance(item, dict) else 0
        yield line, item
