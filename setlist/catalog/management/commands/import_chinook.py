"""`manage.py import_chinook PATH`: load a Chinook SQLite file into the catalog."""

from django.core.management.base import BaseCommand, CommandError

from setlist.catalog.chinook import ChinookError, chinook_import


class Command(BaseCommand):
    help = (
        "Imports genres, artists, albums (published) and songs from a Chinook SQLite file. "
        "Idempotent: rows already imported are left alone. All or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the Chinook .sqlite file")
        parser.add_argument("--no-progress", action="store_true", help="do not draw a progress bar")

    def handle(self, *args, path: str, no_progress: bool, verbosity: int, **options):
        try:
            summary = chinook_import(path=path, progress=not no_progress and verbosity > 0)
        except ChinookError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Imported {path}"))
        for line in summary.lines():
            self.stdout.write(f"  {line}")
