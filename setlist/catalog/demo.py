"""A synthetic, deterministic demo catalog of any size (`manage.py seed_demo`).

The same `seed` and size always give the same names, years, genres and track lists. Sizes
scale from the song count: about 11 songs an album and 3.5 albums an artist. Most albums
are published; about one in twenty is not, so that visibility rules have something to hide.

Rows go in with `bulk_create` in large batches (a million songs in about a minute on
PostgreSQL), so `save()` and the signals do not run: the folded `search_*` columns are
filled here, and counts and the response cache are brought up to date at the end.
"""

import datetime
import functools
import random
from collections.abc import Iterator

from django.db import transaction
from django.utils.text import slugify
from tqdm import tqdm

from . import demo_words as words
from .bulk import (
    BulkInserter,
    deferred_indexes,
    insert_returning_ids,
    refresh_statistics,
    worth_deferring,
)
from .caching import catalog_cache_invalidate
from .counters import catalog_counts_rebuild
from .models import Album, Artist, Genre, Song, searchable

SONGS_PER_ALBUM = (6, 16)
ALBUMS_PER_ARTIST = 3.5
UNPUBLISHED_SHARE = 0.05
YEARS = (1960, 2024)
SONG_COLUMNS = [
    "title",
    "search_title",
    "album_id",
    "track_number",
    "duration_ms",
    "composer",
    "genre_id",
    "num_streams",
    "like_count",
]
ZERO_ARTIST = {"like_count": 0, "published_album_count": 0, "total_album_count": 0}


class NameMaker:
    """Artist, album, song and composer names from the word lists, drawn from one `rng`."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def _pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def person(self) -> str:
        return f"{self._pick(words.FIRST_NAMES)} {self._pick(words.LAST_NAMES)}"

    def artist(self) -> str:
        adj, noun, plural = (
            self._pick(words.ADJECTIVES),
            self._pick(words.NOUNS),
            self._pick(words.PLURALS),
        )
        patterns = (
            lambda: f"The {adj} {plural}",
            lambda: self.person(),
            lambda: f"{self.person()} & the {plural}",
            lambda: f"{adj} {noun}",
            lambda: f"{noun} {self._pick(words.NOUNS)}",
            lambda: f"DJ {self._pick(words.FIRST_NAMES)}",
            lambda: f"{self._pick(words.FIRST_NAMES)} {self._pick(words.PLACES)} Trio",
        )
        return self._pick(patterns)()

    def album(self) -> str:
        adj, noun = self._pick(words.ADJECTIVES), self._pick(words.NOUNS)
        patterns = (
            lambda: f"{adj} {noun}",
            lambda: f"{noun} of {self._pick(words.NOUNS)}",
            lambda: f"The {noun} Sessions",
            lambda: f"{adj} {noun} (Live in {self._pick(words.PLACES)})",
            lambda: f"Songs for {self._pick(words.FIRST_NAMES)}",
            lambda: f"{self._pick(words.PLACES)} {noun}s",
        )
        return self._pick(patterns)()

    def song(self) -> str:
        adj, noun = self._pick(words.ADJECTIVES), self._pick(words.NOUNS)
        patterns = (
            lambda: f"{adj} {noun}",
            lambda: f"{self._pick(words.VERBS)} the {noun}",
            lambda: f"{noun} in {self._pick(words.PLACES)}",
            lambda: f"{self._pick(words.FIRST_NAMES)}'s {noun}",
            lambda: f"{adj} {noun}, Pt. {self.rng.randint(1, 3)}",
            lambda: f"{noun}",
        )
        return self._pick(patterns)()


def _genres() -> list[int]:
    """The demo genres, created when missing; an existing genre of the same name is reused."""
    existing = {name.casefold(): pk for pk, name in Genre.objects.values_list("pk", "name")}
    ids = []
    for name in words.GENRES:
        if name.casefold() not in existing:
            genre, _ = Genre.objects.get_or_create(slug=slugify(name), defaults={"name": name})
            existing[name.casefold()] = genre.pk
        ids.append(existing[name.casefold()])
    return ids


def _album_sizes(rng: random.Random, songs: int) -> Iterator[int]:
    remaining = songs
    while remaining > 0:
        size = min(rng.randint(*SONGS_PER_ALBUM), remaining)
        remaining -= size
        yield size


def _add_artists(names: NameMaker, count: int) -> list[int]:
    artists = []
    for _ in range(count):
        name = names.artist()
        artists.append({"name": name, "search_name": searchable(name), **ZERO_ARTIST})
    return insert_returning_ids(Artist, artists)


def _add_albums(
    rng: random.Random, names: NameMaker, count: int, artist_ids: list[int]
) -> tuple[list[int], int]:
    """Adds `count` albums; returns their ids and how many are unpublished."""
    albums = []
    for index in range(count):
        year = rng.randint(*YEARS)
        title = names.album()
        # Every artist gets an album before any gets a second one.
        artist_id = artist_ids[index] if index < len(artist_ids) else rng.choice(artist_ids)
        released = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        albums.append(
            {
                "title": title,
                "search_title": searchable(title),
                "artist_id": artist_id,
                "year": year,
                "release_date": released,
                "is_published": rng.random() >= UNPUBLISHED_SHARE,
                "like_count": 0,
            }
        )
    with deferred_indexes(Album, enabled=worth_deferring(Album, count)):
        ids = insert_returning_ids(Album, albums)
    return ids, sum(1 for album in albums if not album["is_published"])


def _add_songs(
    rng: random.Random,
    names: NameMaker,
    tracklists: list[tuple[int, int]],
    genre_ids: list[int],
    progress: bool,
) -> int:
    """Adds the songs of each `(album_id, size)`; returns how many."""
    total = sum(size for _, size in tracklists)
    fold = functools.lru_cache(maxsize=200_000)(searchable)  # titles repeat often
    with (
        deferred_indexes(Song, enabled=worth_deferring(Song, total)),
        BulkInserter(Song, SONG_COLUMNS) as inserter,
        tqdm(total=total, desc="Songs", unit="song", disable=not progress) as bar,
    ):
        for album_id, size in tracklists:
            album_genre = rng.choice(genre_ids)
            composer = names.person() if rng.random() < 0.7 else ""
            for track in range(1, size + 1):
                title = names.song()
                # Most songs share the album's genre; a few stray.
                genre_id = album_genre if rng.random() < 0.85 else rng.choice(genre_ids)
                inserter.add(
                    {
                        "title": title,
                        "search_title": fold(title),
                        "album_id": album_id,
                        "track_number": track,
                        "duration_ms": rng.randint(90_000, 420_000),
                        "composer": composer,
                        "genre_id": genre_id,
                        "num_streams": 0,
                        "like_count": 0,
                    }
                )
            bar.update(size)
    return inserter.count


def seed_catalog(*, songs: int, seed: int, progress: bool) -> dict:
    """Adds a synthetic catalog of exactly `songs` songs; returns what it created."""
    if songs < 1:
        raise ValueError("songs must be at least 1")
    rng = random.Random(seed)  # noqa: S311  (demo data, not security)
    names = NameMaker(rng)
    with transaction.atomic():
        genres_before = Genre.objects.count()
        genre_ids = _genres()
        sizes = list(_album_sizes(rng, songs))
        artist_ids = _add_artists(names, max(1, round(len(sizes) / ALBUMS_PER_ARTIST)))
        album_ids, unpublished = _add_albums(rng, names, len(sizes), artist_ids)
        added = _add_songs(
            rng, names, list(zip(album_ids, sizes, strict=True)), genre_ids, progress
        )
        # Bulk inserts bypass save() and the signals: recount and invalidate here.
        catalog_counts_rebuild()
        catalog_cache_invalidate()
    refresh_statistics(Artist, Album, Song)
    return {
        "genres": Genre.objects.count() - genres_before,
        "artists": len(artist_ids),
        "albums": len(album_ids),
        "unpublished_albums": unpublished,
        "songs": added,
    }
