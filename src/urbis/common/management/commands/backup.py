"""`urbis backup FILE`: a consistent backup of the database (pg_dump or SQLite backup API)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from urbis.common.backup import database_backup


class Command(BaseCommand):
    help = "Back up the database to FILE."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        path = database_backup(target=options["file"])
        self.stdout.write(f"Backup written to {path} ({path.stat().st_size:,} bytes).")
