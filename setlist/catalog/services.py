"""Every write to the catalog, with its rules.

Counts and the response cache follow through model signals (`signals.py`); services that
touch many rows run inside `catalog_changes()` so that follow-up happens once.
"""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import Max, ProtectedError, QuerySet, RestrictedError
from django.utils.text import slugify

from .changes import catalog_changes
from .models import Album, Artist, Genre, Song


class DeletionRefused(Exception):
    """The row still has dependants; the caller must ask for the cascade (or detach them)."""


def _apply_changes(instance, data: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = set(data) - allowed
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    for name, value in data.items():
        setattr(instance, name, value)


def _delete(instance, what: str) -> None:
    try:
        instance.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise DeletionRefused(f"This {what} is still referenced and cannot be deleted.") from exc


# --- Genres ------------------------------------------------------------------------------


def _free_slug(name: str) -> str:
    base = slugify(name)[:130] or "genre"
    taken = set(Genre.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def genre_create(*, name: str, slug: str = "") -> Genre:
    genre = Genre(name=name, slug=slug or _free_slug(name))
    genre.full_clean()
    genre.save()
    return genre


@transaction.atomic
def genre_update(*, genre: Genre, data: Mapping[str, Any]) -> Genre:
    _apply_changes(genre, data, {"name", "slug"})
    genre.full_clean()
    genre.save()
    return genre


@transaction.atomic
def genre_delete(*, genre: Genre) -> None:
    """Refused while songs are in the genre: move or delete them first."""
    if Song.objects.filter(genre=genre).exists():
        raise DeletionRefused("Songs are still in this genre; move or delete them first.")
    _delete(genre, "genre")


# --- Artists -----------------------------------------------------------------------------


@transaction.atomic
def artist_create(*, name: str) -> Artist:
    artist = Artist(name=name)
    artist.full_clean()
    artist.save()
    return artist


@transaction.atomic
def artist_update(*, artist: Artist, data: Mapping[str, Any]) -> Artist:
    _apply_changes(artist, data, {"name"})
    artist.full_clean()
    artist.save()
    return artist


def artist_delete(*, artist: Artist, cascade: bool = False) -> None:
    """Deletes the artist and its albums; refused while it has songs unless `cascade`."""
    with catalog_changes():
        songs = Song.objects.filter(album__artist=artist)
        if songs.exists():
            if not cascade:
                raise DeletionRefused(
                    "This artist still has songs; delete them first or ask for cascade=true."
                )
            _delete_songs(songs)
        for album in artist.albums.all():
            _delete(album, "album")
        _delete(artist, "artist")


def _delete_songs(songs: QuerySet) -> None:
    try:
        songs.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise DeletionRefused("Some of these songs are still referenced elsewhere.") from exc


# --- Albums ------------------------------------------------------------------------------


@transaction.atomic
def album_create(
    *, title: str, artist: Artist, release_date: date | None = None, year: int | None = None
) -> Album:
    """Creates the album unpublished: nobody without `view_unpublished` sees it yet."""
    album = Album(
        title=title, artist=artist, release_date=release_date, year=year, is_published=False
    )
    album.full_clean()
    album.save()
    return album


@transaction.atomic
def album_update(*, album: Album, data: Mapping[str, Any]) -> Album:
    _apply_changes(album, data, {"title", "artist", "release_date", "year"})
    if "release_date" in data and "year" not in data and album.release_date:
        album.year = album.release_date.year
    album.full_clean()
    album.save()
    return album


def album_delete(*, album: Album, cascade: bool = False) -> None:
    """Deletes the album; refused while it has songs unless `cascade`."""
    with catalog_changes():
        songs = Song.objects.filter(album=album)
        if songs.exists():
            if not cascade:
                raise DeletionRefused(
                    "This album still has songs; delete them first or ask for cascade=true."
                )
            _delete_songs(songs)
        _delete(album, "album")


def album_set_published(*, album: Album, published: bool) -> Album:
    """Publishes (shows) or unpublishes (hides) the album and its songs; nothing is deleted."""
    with catalog_changes():
        if album.is_published != published:
            album.is_published = published
            album.save(update_fields=["is_published", "updated_at"])
    return album


def albums_set_published(*, albums: QuerySet, published: bool) -> int:
    """The same for many albums at once (the admin action); returns how many changed."""
    changed = 0
    with catalog_changes():
        for album in albums.select_for_update().filter(is_published=not published):
            album_set_published(album=album, published=published)
            changed += 1
    return changed


# --- Songs -------------------------------------------------------------------------------


@transaction.atomic
def song_create(
    *,
    title: str,
    album: Album,
    duration_ms: int,
    track_number: int | None = None,
    composer: str = "",
    genre: Genre | None = None,
) -> Song:
    """Creates the song; without a track number it goes after the album's last track."""
    if track_number is None:
        last = Song.objects.filter(album=album).aggregate(last=Max("track_number"))["last"]
        track_number = (last or 0) + 1
    song = Song(
        title=title,
        album=album,
        duration_ms=duration_ms,
        track_number=track_number,
        composer=composer or "",
        genre=genre,
    )
    song.full_clean()
    song.save()
    return song


@transaction.atomic
def song_update(*, song: Song, data: Mapping[str, Any]) -> Song:
    allowed = {"title", "album", "duration_ms", "track_number", "composer", "genre"}
    _apply_changes(song, data, allowed)
    song.composer = song.composer or ""
    song.full_clean()
    song.save()
    return song


@transaction.atomic
def song_delete(*, song: Song) -> None:
    _delete(song, "song")
