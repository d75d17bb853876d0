"""Import of a Chinook sample database (SQLite) into the catalog.

Chinook (github.com/lerocha/chinook-database) has genres, artists, albums and tracks; each
row keeps its Chinook id in `chinook_id`, so a second import finds everything present and
creates nothing. Everything happens in one transaction: a failure changes nothing.

Mapping: Genre.Name -> genre (slug from the name; an existing genre of the same name is
adopted), Artist.Name -> artist, Album.Title -> published album, Track -> song with
`Milliseconds` as `duration_ms`, `Composer` (NULL -> "") and the track number its position
within the album in TrackId order. Chinook has no release dates, so albums have no year.
"""

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.text import slugify
from tqdm import tqdm

from .caching import catalog_cache_invalidate
from .counters import artist_counts_refresh, genre_counts_refresh
from .models import NAME_LENGTH, Album, Artist, Genre, Song, searchable

BATCH_SIZE = 2000
REQUIRED_COLUMNS = {
    "Genre": {"GenreId", "Name"},
    "Artist": {"ArtistId", "Name"},
    "Album": {"AlbumId", "Title", "ArtistId"},
    "Track": {"TrackId", "Name", "AlbumId", "GenreId", "Composer", "Milliseconds"},
}


class ChinookError(Exception):
    """The file is missing, not SQLite, or not shaped like Chinook."""


@dataclass
class Tally:
    created: int = 0
    existing: int = 0
    skipped: int = 0


@dataclass
class ImportSummary:
    genres: Tally = field(default_factory=Tally)
    artists: Tally = field(default_factory=Tally)
    albums: Tally = field(default_factory=Tally)
    songs: Tally = field(default_factory=Tally)

    def lines(self) -> list[str]:
        return [
            f"{kind}: {tally.created} created, {tally.existing} already present"
            + (f", {tally.skipped} skipped (no album)" if tally.skipped else "")
            for kind, tally in vars(self).items()
        ]


def open_chinook(path: str | Path) -> sqlite3.Connection:
    """A read-only connection to a Chinook file, or ChinookError saying what is wrong."""
    file = Path(path)
    if not file.is_file():
        raise ChinookError(f"No such file: {file}")
    connection = sqlite3.connect(f"{file.resolve().as_uri()}?mode=ro", uri=True)
    try:
        for table, columns in REQUIRED_COLUMNS.items():
            found = {row[1] for row in connection.execute(f"PRAGMA table_info([{table}])")}
            if not found:
                raise ChinookError(f"{file} is not a Chinook database: no {table} table.")
            if missing := columns - found:
                raise ChinookError(
                    f"{file} is not a Chinook database: {table} lacks {', '.join(sorted(missing))}."
                )
    except sqlite3.DatabaseError as exc:
        connection.close()
        raise ChinookError(f"{file} is not an SQLite database ({exc}).") from exc
    except ChinookError:
        connection.close()
        raise
    return connection


def _existing(model) -> dict[int, int]:
    rows = model.objects.filter(chinook_id__isnull=False).values_list("chinook_id", "pk")
    return dict(rows)


def _import_genres(source, summary: ImportSummary) -> dict[int, int]:
    known = _existing(Genre)
    by_name = {name.casefold(): pk for pk, name in Genre.objects.values_list("pk", "name")}
    slugs = set(Genre.objects.values_list("slug", flat=True))
    for chinook_id, name in source.execute("SELECT GenreId, Name FROM Genre ORDER BY GenreId"):
        if chinook_id in known:
            summary.genres.existing += 1
            continue
        name = (name or f"Genre {chinook_id}")[:120]
        if name.casefold() in by_name:  # made by hand or by seed_demo: adopt it
            pk = by_name[name.casefold()]
            Genre.objects.filter(pk=pk).update(chinook_id=chinook_id)
            known[chinook_id] = pk
            summary.genres.existing += 1
            continue
        slug, n = slugify(name)[:130] or "genre", 2
        while slug in slugs:
            slug, n = f"{slugify(name)[:130]}-{n}", n + 1
        slugs.add(slug)
        genre = Genre.objects.create(name=name, slug=slug, chinook_id=chinook_id)
        known[chinook_id] = genre.pk
        summary.genres.created += 1
    return known


def _import_artists(source, summary: ImportSummary) -> dict[int, int]:
    known = _existing(Artist)
    new = []
    for chinook_id, name in source.execute("SELECT ArtistId, Name FROM Artist ORDER BY ArtistId"):
        if chinook_id in known:
            summary.artists.existing += 1
            continue
        name = (name or f"Artist {chinook_id}")[:NAME_LENGTH]
        new.append(Artist(name=name, search_name=searchable(name), chinook_id=chinook_id))
    Artist.objects.bulk_create(new, batch_size=BATCH_SIZE)
    summary.artists.created = len(new)
    return _existing(Artist)


def _import_albums(source, artists: dict[int, int], summary: ImportSummary) -> dict[int, int]:
    known = _existing(Album)
    new = []
    query = "SELECT AlbumId, Title, ArtistId FROM Album ORDER BY AlbumId"
    for chinook_id, title, artist_id in source.execute(query):
        if chinook_id in known:
            summary.albums.existing += 1
        elif artist_id not in artists:
            summary.albums.skipped += 1
        else:
            title = (title or f"Album {chinook_id}")[:NAME_LENGTH]
            new.append(
                Album(
                    title=title,
                    search_title=searchable(title),
                    artist_id=artists[artist_id],
                    is_published=True,
                    chinook_id=chinook_id,
                )
            )
    Album.objects.bulk_create(new, batch_size=BATCH_SIZE)
    summary.albums.created = len(new)
    return _existing(Album)


def _import_songs(source, albums, genres, summary: ImportSummary, progress: bool) -> set[int]:
    known = set(_existing(Song))
    tracks = source.execute(
        "SELECT TrackId, Name, AlbumId, GenreId, Composer, Milliseconds FROM Track"
        " ORDER BY AlbumId, TrackId"
    ).fetchall()
    positions: dict[int, int] = defaultdict(int)
    batch: list[Song] = []
    touched_genres: set[int] = set()
    with tqdm(total=len(tracks), desc="Songs", unit="song", disable=not progress) as bar:
        for chinook_id, name, album_id, genre_id, composer, milliseconds in tracks:
            bar.update()
            positions[album_id] += 1  # the track number: position within the album
            if chinook_id in known:
                summary.songs.existing += 1
                continue
            if album_id not in albums:
                summary.songs.skipped += 1
                continue
            title = (name or f"Track {chinook_id}")[:NAME_LENGTH]
            genre = genres.get(genre_id)
            touched_genres.add(genre)
            batch.append(
                Song(
                    title=title,
                    search_title=searchable(title),
                    album_id=albums[album_id],
                    track_number=min(positions[album_id], 32767),
                    duration_ms=max(milliseconds or 0, 0),
                    composer=(composer or "")[:255],
                    genre_id=genre,
                    chinook_id=chinook_id,
                )
            )
            if len(batch) >= BATCH_SIZE:
                Song.objects.bulk_create(batch)
                summary.songs.created += len(batch)
                batch = []
        Song.objects.bulk_create(batch)
        summary.songs.created += len(batch)
    return touched_genres


def chinook_import(*, path: str | Path, progress: bool = False) -> ImportSummary:
    """Imports the Chinook file at `path`; idempotent, all or nothing."""
    source = open_chinook(path)
    summary = ImportSummary()
    try:
        with transaction.atomic():
            genres = _import_genres(source, summary)
            artists = _import_artists(source, summary)
            albums = _import_albums(source, artists, summary)
            touched_genres = _import_songs(source, albums, genres, summary, progress)
            # Bulk inserts bypass the signals: recount and invalidate here.
            artist_counts_refresh(artist_ids=artists.values())
            genre_counts_refresh(genre_ids=touched_genres)
            catalog_cache_invalidate()
    except sqlite3.DatabaseError as exc:
        raise ChinookError(f"Could not read {path}: {exc}") from exc
    finally:
        source.close()
    return summary
