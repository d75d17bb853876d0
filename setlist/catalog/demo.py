"""A synthetic, deterministic demo catalog of any size (`manage.py seed_demo`).

The same `seed` and size always give the same names, years, genres and track lists (drawn
in bulk since the loader moved to binary COPY: a seed gives other data than it did before
that). Sizes scale from the song count: about 11 songs an album and 3.5 albums an artist.
Most albums are published; about one in twenty is not, so that visibility rules have
something to hide.

Rows go in with the bulk loader (`bulk`: binary COPY on PostgreSQL, a million songs in a
few seconds), so `save()` and the signals do not run: the folded `search_*` columns and the
artists' album counts are filled here, genre counts and the response cache brought up to
date at the end. Every id is reserved before any row is written, so that `listeners` (see
`setlist.library.demo`) can draw their likes and plays first: each row is then written once
with its final counters, and each index built once. Writing a million songs and updating
their counters afterwards took 21 s for the update alone and left every index of the song
table twice its size.
"""

import datetime
import math
import random
import sys
from array import array
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F
from django.utils.text import slugify
from tqdm import tqdm

from . import demo_words as words
from .bulk import (
    bulk_load,
    load_session,
    refresh_statistics,
    reserve_ids,
)
from .caching import catalog_cache_invalidate
from .models import Album, Artist, Genre, Song, searchable

SONGS_PER_ALBUM = (6, 16)
ALBUMS_PER_ARTIST = 3.5
UNPUBLISHED_SHARE = 0.05
YEARS = (1960, 2024)
COMPOSER_SHARE = 0.7
STRAY_GENRE_PERCENT = 15  # songs whose genre is not their album's
DURATIONS_MS = (90_000, 420_000)

# Name patterns: a template and the word list each of its slots is drawn from.
PERSON = ("{} {}", (words.FIRST_NAMES, words.LAST_NAMES))
ARTIST_PATTERNS = (
    ("The {} {}", (words.ADJECTIVES, words.PLURALS)),
    PERSON,
    ("{} {} & the {}", (words.FIRST_NAMES, words.LAST_NAMES, words.PLURALS)),
    ("{} {}", (words.ADJECTIVES, words.NOUNS)),
    ("{} {}", (words.NOUNS, words.NOUNS)),
    ("DJ {}", (words.FIRST_NAMES,)),
    ("{} {} Trio", (words.FIRST_NAMES, words.PLACES)),
)
ALBUM_PATTERNS = (
    ("{} {}", (words.ADJECTIVES, words.NOUNS)),
    ("{} of {}", (words.NOUNS, words.NOUNS)),
    ("The {} Sessions", (words.NOUNS,)),
    ("{} {} (Live in {})", (words.ADJECTIVES, words.NOUNS, words.PLACES)),
    ("Songs for {}", (words.FIRST_NAMES,)),
    ("{} {}s", (words.PLACES, words.NOUNS)),
)
SONG_PATTERNS = (
    ("{} {}", (words.ADJECTIVES, words.NOUNS)),
    ("{} the {}", (words.VERBS, words.NOUNS)),
    ("{} in {}", (words.NOUNS, words.PLACES)),
    ("{}'s {}", (words.FIRST_NAMES, words.NOUNS)),
    ("{} {}, Pt. {}", (words.ADJECTIVES, words.NOUNS, ("1", "2", "3"))),
    ("{}", (words.NOUNS,)),
)


@dataclass(frozen=True)
class CatalogIds:
    """What listeners may like and play in a catalog being seeded, before it is written:
    every artist, the published albums and their songs. None of these rows exists yet."""

    artists: Sequence[int]
    albums: Sequence[int]
    songs: Sequence[int]


@dataclass
class Counters:
    """Likes and streams by id, for rows written with them (an id left out has none)."""

    artist_likes: Mapping[int, int] = field(default_factory=dict)
    album_likes: Mapping[int, int] = field(default_factory=dict)
    song_likes: Mapping[int, int] = field(default_factory=dict)
    song_streams: Mapping[int, int] = field(default_factory=dict)


def random_words(rng: random.Random, count: int) -> array:
    """`count` random 64-bit integers from `rng` in one call, the same on every platform.

    One call for many values: drawing them one `rng` call at a time cost several times more.
    """
    drawn = array("Q", rng.randbytes(8 * count))
    if sys.byteorder == "big":
        drawn.byteswap()
    return drawn


class NameMaker:
    """Names from a set of patterns, each decoded from one random 64-bit word.

    A name depends on the word only modulo the number of names the patterns can make (at
    most some tens of thousands): each is built and folded once, then found by that number.
    """

    def __init__(self, patterns: tuple):
        self.patterns = patterns
        self._made = [math.prod(len(choices) for choices in lists) for _, lists in patterns]
        self._named: dict[int, tuple[str, str]] = {}

    def named(self, word: int) -> tuple[str, str]:
        """The name that `word` picks, and its folded form (`searchable`)."""
        patterns = len(self.patterns)
        pattern, word = word % patterns, word // patterns
        key = word % self._made[pattern] * patterns + pattern
        named = self._named.get(key)
        if named is None:
            template, lists = self.patterns[pattern]
            picked = []
            for choices in lists:
                picked.append(choices[word % len(choices)])
                word //= len(choices)
            name = template.format(*picked)
            named = self._named[key] = (name, searchable(name))
        return named


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


def _album_sizes(rng: random.Random, songs: int) -> list[int]:
    sizes, remaining = [], songs
    while remaining > 0:
        sizes.append(min(rng.randint(*SONGS_PER_ALBUM), remaining))
        remaining -= sizes[-1]
    return sizes


@dataclass
class _Album:
    title: str
    search_title: str
    artist: int  # index into the artists
    year: int
    release_date: datetime.date
    is_published: bool


def _draw_albums(rng: random.Random, count: int, artists: int) -> list[_Album]:
    names, albums = NameMaker(ALBUM_PATTERNS), []
    for index, word in enumerate(random_words(rng, count)):
        year = rng.randint(*YEARS)
        albums.append(
            _Album(
                *names.named(word),
                # Every artist gets an album before any gets a second one.
                artist=index if index < artists else rng.randrange(artists),
                year=year,
                release_date=datetime.date(year, 1, 1) + datetime.timedelta(rng.randrange(365)),
                is_published=rng.random() >= UNPUBLISHED_SHARE,
            )
        )
    return albums


def _tracklists(
    album_ids: range, albums: list[_Album], sizes: list[int], song_ids: range
) -> tuple[list[tuple[int, range, bool]], array]:
    """Each album's `(id, song ids, published)`, and the ids of the songs listeners see.

    Ids follow the albums, so unpublished songs are spread over the catalog as they would
    be in life. Giving the published ones the first ids (so that picks were arithmetic on a
    range) put every unpublished song at the top of the newest-first order: a page of the
    newest published songs then walked 50 000 hidden ones first (27 requests/s instead of
    280 for the benchmark's reference list).
    """
    tracklists, visible, next_id = [], array("q"), song_ids.start
    for album_id, album, size in zip(album_ids, albums, sizes, strict=True):
        songs = range(next_id, next_id + size)
        next_id += size
        tracklists.append((album_id, songs, album.is_published))
        if album.is_published:
            visible.extend(songs)
    return tracklists, visible


def _add_artists(rng: random.Random, ids: range, albums: list[_Album], likes: Mapping) -> None:
    names = NameMaker(ARTIST_PATTERNS)
    total, published = Counter(), Counter()
    for album in albums:
        total[album.artist] += 1
        published[album.artist] += album.is_published
    columns = ["id", "name", "search_name", "like_count"]
    columns += ["published_album_count", "total_album_count"]
    with bulk_load(Artist, columns, rows=len(ids)) as inserter:
        inserter.add_many(
            (pk, *names.named(word), likes.get(pk, 0), published[i], total[i])
            for i, (pk, word) in enumerate(zip(ids, random_words(rng, len(ids)), strict=True))
        )


def _add_albums(ids: range, albums: list[_Album], artist_ids: range, likes: Mapping) -> None:
    columns = ["id", "title", "search_title", "artist_id", "year", "release_date"]
    columns += ["is_published", "like_count"]
    with bulk_load(Album, columns, rows=len(ids)) as inserter:
        inserter.add_many(
            (
                pk,
                a.title,
                a.search_title,
                artist_ids[a.artist],
                a.year,
                a.release_date,
                a.is_published,
                likes.get(pk, 0),
            )
            for pk, a in zip(ids, albums, strict=True)
        )


def _add_songs(
    rng: random.Random,
    tracklists: list[tuple[int, range, bool]],
    genre_ids: list[int],
    counters: Counters,
    progress: bool,
) -> dict[bool, Counter]:
    """Adds the songs of each `(album_id, song ids, published)`; returns how many songs
    each genre got, on published albums (True) and on the others."""
    likes, streams = counters.song_likes, counters.song_streams
    titles, people = NameMaker(SONG_PATTERNS), NameMaker((PERSON,))
    per_genre = {True: Counter(), False: Counter()}
    low, high = DURATIONS_MS
    spread, genres = high - low + 1, len(genre_ids)
    columns = ["id", "title", "search_title", "album_id", "track_number", "duration_ms"]
    columns += ["composer", "genre_id", "num_streams", "like_count"]
    total = sum(len(song_ids) for _, song_ids, _ in tracklists)
    with (
        bulk_load(Song, columns, rows=total) as inserter,
        tqdm(total=total, desc="Songs", unit="song", disable=not progress) as bar,
    ):
        for album_id, song_ids, published in tracklists:
            counted = per_genre[published]
            album_genre = genre_ids[rng.randrange(genres)]
            word = rng.getrandbits(64)
            composer = people.named(word)[0] if rng.random() < COMPOSER_SHARE else ""
            drawn = random_words(rng, 2 * len(song_ids))
            rows = []
            for track, pk in enumerate(song_ids, 1):
                title, folded = titles.named(drawn[2 * track - 2])
                word = drawn[2 * track - 1]
                duration, word = low + word % spread, word // spread
                # Most songs share the album's genre; a few stray.
                stray = word % 100 < STRAY_GENRE_PERCENT
                genre_id = genre_ids[word // 100 % genres] if stray else album_genre
                counted[genre_id] += 1
                rows.append(
                    (
                        pk,
                        title,
                        folded,
                        album_id,
                        track,
                        duration,
                        composer,
                        genre_id,
                        streams.get(pk, 0),
                        likes.get(pk, 0),
                    )
                )
            inserter.add_many(rows)
            bar.update(len(song_ids))
    return per_genre


def _add_to_genres(per_genre: dict[bool, Counter]) -> None:
    """Adds the new songs to their genres' counts: an `F()` update each, so a recount by
    another writer, before or after (it waits for this transaction), stays exact."""
    published, hidden = per_genre[True], per_genre[False]
    for genre_id in sorted(published.keys() | hidden.keys()):
        Genre.objects.filter(pk=genre_id).update(
            published_song_count=F("published_song_count") + published[genre_id],
            total_song_count=F("total_song_count") + published[genre_id] + hidden[genre_id],
        )


def seed_catalog(
    *,
    songs: int,
    seed: int,
    progress: bool,
    listeners: Callable[[CatalogIds], Counters] | None = None,
) -> dict:
    """Adds a synthetic catalog of exactly `songs` songs; returns what it created.

    `listeners`, if given, is called with the ids of the catalog before any row is
    written, and returns the likes and streams to write with the rows.
    """
    if songs < 1:
        raise ValueError("songs must be at least 1")
    rng = random.Random(seed)  # noqa: S311  (demo data, not security)
    with transaction.atomic():
        load_session()
        genres_before = Genre.objects.count()
        genre_ids = _genres()
        sizes = _album_sizes(rng, songs)
        artist_ids = reserve_ids(Artist, max(1, round(len(sizes) / ALBUMS_PER_ARTIST)))
        albums = _draw_albums(rng, len(sizes), len(artist_ids))
        album_ids = reserve_ids(Album, len(albums))
        tracklists, visible = _tracklists(album_ids, albums, sizes, reserve_ids(Song, songs))
        counters = Counters()
        if listeners is not None:
            published = zip(album_ids, albums, strict=True)
            counters = listeners(
                CatalogIds(
                    artists=artist_ids,
                    albums=[pk for pk, album in published if album.is_published],
                    songs=visible,
                )
            )
        _add_artists(rng, artist_ids, albums, counters.artist_likes)
        _add_albums(album_ids, albums, artist_ids, counters.album_likes)
        _add_to_genres(_add_songs(rng, tracklists, genre_ids, counters, progress))
        # Bulk inserts bypass save() and the signals: invalidate here.
        catalog_cache_invalidate()
        refresh_statistics(Artist, Album, Song)
    return {
        "genres": Genre.objects.count() - genres_before,
        "artists": len(artist_ids),
        "albums": len(album_ids),
        "unpublished_albums": sum(1 for album in albums if not album.is_published),
        "songs": songs,
    }
