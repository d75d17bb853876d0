"""`manage.py seed_demo`: a deterministic synthetic catalog and listeners, for demos and
load tests: genres, artists, albums and songs, then users with likes, plays and playlists.

All in one transaction. The listeners' likes and plays are drawn before the catalog is
written (`seed_catalog(listeners=...)`), so that every row goes in once, counters included.
`--listeners-only` adds listeners to the catalog already there (`seed_library`), for
example to the Chinook catalog.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from setlist.catalog.demo import seed_catalog
from setlist.catalog.models import Song
from setlist.library.demo import ListenerSeed, seed_library


def positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


def not_negative(value: str) -> int:
    number = int(value)
    if number < 0:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = (
        "Adds a synthetic catalog (genres, artists, albums, songs) and listeners (users, "
        "likes, plays, playlists) generated from --seed. The same seed and sizes always "
        "give the same data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--songs", type=positive, default=2000, help="how many songs")
        parser.add_argument("--users", type=not_negative, default=50, help="demo listeners")
        parser.add_argument("--likes", type=not_negative, default=2000, help="song likes")
        parser.add_argument("--plays", type=not_negative, default=5000, help="plays")
        parser.add_argument("--playlists", type=not_negative, default=100, help="playlists")
        parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
        only = parser.add_mutually_exclusive_group()
        only.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the catalog already has songs (used by `make run`)",
        )
        only.add_argument(
            "--listeners-only",
            action="store_true",
            help="add only listeners, to the catalog already in the database (for example "
            "the one import_chinook loaded); --songs is ignored",
        )
        parser.add_argument("--no-progress", action="store_true", help="do not draw a progress bar")

    def handle(self, *args, songs, seed, if_empty, no_progress, verbosity, **options):
        progress = not no_progress and verbosity > 0
        if if_empty and Song.objects.exists():
            self.stdout.write("The catalog already has songs; nothing to do.")
            return
        started = time.monotonic()
        sizes = {name: options[name] for name in ("users", "likes", "plays", "playlists")}
        try:
            if options["listeners_only"]:
                created = seed_library(**sizes, seed=seed, progress=progress)
            else:
                created = self._seed_all(songs, sizes, seed, progress)
        except (ValueError, RuntimeError) as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.monotonic() - started
        password = created.pop("password", None)
        summary = ", ".join(f"{count} {kind.replace('_', ' ')}" for kind, count in created.items())
        self.stdout.write(
            self.style.SUCCESS(f"Seeded the demo data (seed {seed}) in {elapsed:.1f}s: {summary}.")
        )
        if password:
            self.stdout.write(
                f"Demo listeners demo-listener-00001... sign in with the password {password!r}."
            )

    @staticmethod
    def _seed_all(songs: int, sizes: dict, seed: int, progress: bool) -> dict:
        listeners = ListenerSeed(**sizes, seed=seed) if sizes["users"] else None
        with transaction.atomic():
            created = seed_catalog(
                songs=songs,
                seed=seed,
                progress=progress,
                listeners=listeners.draw if listeners else None,
            )
            if listeners:
                created |= listeners.write(progress=progress)
        return created
