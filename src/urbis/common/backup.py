"""Backup and restore of the whole database.

PostgreSQL uses pg_dump/pg_restore (custom format); SQLite uses its online backup API, which
copies a consistent snapshot while the application keeps running.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    settings = connection.settings_dict
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings["PASSWORD"])
    args = []
    if settings.get("HOST"):
        args += ["-h", str(settings["HOST"])]
    if settings.get("PORT"):
        args += ["-p", str(settings["PORT"])]
    if settings.get("USER"):
        args += ["-U", str(settings["USER"])]
    return env, args


def database_backup(*, target: Path) -> Path:
    """Write a backup of the current database to `target`."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args()
        subprocess.run(
            [
                "pg_dump",
                "-Fc",
                "--no-owner",
                "-f",
                str(target),
                *args,
                connection.settings_dict["NAME"],
            ],
            env=env,
            check=True,
            capture_output=True,
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(target) as out:
            connection.connection.backup(out)
        out.close()
    else:  # pragma: no cover - only the two supported databases
        raise NotImplementedError(connection.vendor)
    return target


def database_restore(*, source: Path) -> None:
    """Replace the current database's content with the backup in `source`."""
    source = Path(source)
    if not source.exists():
        raise FileNotFoundError(f"{source}: no such backup file")
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args()
        connection.close()
        subprocess.run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "-d",
                connection.settings_dict["NAME"],
                *args,
                str(source),
            ],
            env=env,
            check=True,
            capture_output=True,
        )
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with sqlite3.connect(source) as backup:
            backup.backup(connection.connection)
        backup.close()
    else:  # pragma: no cover
        raise NotImplementedError(connection.vendor)
