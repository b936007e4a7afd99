"""`urbis restore FILE`: replace the database's content with a backup made by `urbis backup`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from urbis.common.backup import database_restore


class Command(BaseCommand):
    help = "Restore the database from FILE (made by `urbis backup`). Replaces every table."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        try:
            database_restore(source=options["file"])
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Database restored from {options['file']}.")
