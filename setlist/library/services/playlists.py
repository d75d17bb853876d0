"""Playlists and their ordered entries.

Every edit locks the playlist row (`select_for_update`) first, so edits of one playlist
run one after another: positions stay 0..n-1 without gaps and `version` moves by one per
edit, however many requests race. `expected_versions` carries a client's `If-Match`: when
given and the current version is not in it, the edit is refused with `PlaylistChanged`.

Positions in and out are the ones the acting user sees. Songs on unpublished albums are
hidden from listeners but their entries stay (republishing brings them back), so the
services map a visible index to the stored position of the entry at that index. When
every entry is visible the two are the same.

Shifting positions under the unique (playlist, position) constraint: both PostgreSQL and
SQLite check a non-deferrable unique constraint row by row, so `position = position + 1`
can collide halfway. Each shift therefore runs in two steps: first the rows move to
distinct negative positions (-(new) - 1, free because real positions are >= 0), then
they flip back to their new, non-negative positions.
"""

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Case, Count, F, Max, Q, Value, When
from django.utils import timezone

from setlist.catalog.selectors import song_is_visible

from ..models import Playlist, PlaylistEntry
from ..visibility import visible_song_q

MAX_PLAYLIST_ENTRIES = 10_000


class PlaylistChanged(Exception):
    """The playlist's version is not the one the client based its edit on."""

    def __init__(self, current_version: int):
        super().__init__(f"The playlist is at version {current_version}.")
        self.current_version = current_version


def _lock(playlist: Playlist, expected_versions: Collection[int] | None) -> Playlist:
    locked = Playlist.objects.select_for_update().get(pk=playlist.pk)
    if expected_versions is not None and locked.version not in expected_versions:
        raise PlaylistChanged(locked.version)
    return locked


def _bump(playlist: Playlist, **changes) -> None:
    """Apply `changes` and count one more version, in one UPDATE of the locked row."""
    Playlist.objects.filter(pk=playlist.pk).update(
        **changes, version=F("version") + 1, updated_at=timezone.now()
    )
    playlist.refresh_from_db()


def _visible_positions(playlist: Playlist, user) -> list[int]:
    """Stored positions of the entries `user` sees, in order (index = visible position)."""
    return list(
        PlaylistEntry.objects.filter(visible_song_q(user), playlist=playlist)
        .order_by("position")
        .values_list("position", flat=True)
    )


def _shift(playlist: Playlist, where: Q, delta: int) -> None:
    """Add `delta` to the position of the entries matching `where` (two steps, see above)."""
    entries = PlaylistEntry.objects.filter(playlist=playlist)
    entries.filter(where).update(position=-(F("position") + delta) - 1)
    entries.filter(position__lt=0).update(position=-F("position") - 1)


def _position_error(field: str, position: int, upper: int) -> ValidationError:
    if upper < 0:
        return ValidationError({field: "The playlist is empty."})
    return ValidationError({field: f"Position {position} is not between 0 and {upper}."})


@transaction.atomic
def playlist_create(
    *, owner, name: str, description: str = "", is_public: bool = False
) -> Playlist:
    return Playlist.objects.create(
        owner=owner, name=name, description=description, is_public=is_public
    )


@transaction.atomic
def playlist_update(
    *,
    playlist: Playlist,
    name: str | None = None,
    description: str | None = None,
    is_public: bool | None = None,
    expected_versions: Collection[int] | None = None,
) -> Playlist:
    """Change the given fields (None leaves a field as it is); bumps the version."""
    locked = _lock(playlist, expected_versions)
    changes = {"name": name, "description": description, "is_public": is_public}
    _bump(locked, **{field: value for field, value in changes.items() if value is not None})
    return locked


@transaction.atomic
def playlist_delete(
    *, playlist: Playlist, expected_versions: Collection[int] | None = None
) -> None:
    locked = _lock(playlist, expected_versions)
    locked.delete()


@transaction.atomic
def playlist_song_add(
    *,
    playlist: Playlist,
    user,
    song_id: int,
    position: int | None = None,
    expected_versions: Collection[int] | None = None,
) -> PlaylistEntry:
    """Insert a song at `position` (visible index), or append it when position is None.

    Entries at and after `position` move down by one. A position past the end is refused
    (400), not clamped: a client that thinks the playlist is longer than it is should know.
    The returned entry carries `visible_position`.
    """
    locked = _lock(playlist, expected_versions)
    if not song_is_visible(user=user, song_id=song_id):
        raise ValidationError({"song_id": f"No song with id {song_id}."})
    stored = PlaylistEntry.objects.filter(playlist=locked).aggregate(
        count=Count("id"), last=Max("position")
    )
    if stored["count"] >= MAX_PLAYLIST_ENTRIES:
        raise ValidationError(
            {"song_id": f"A playlist holds at most {MAX_PLAYLIST_ENTRIES} songs."}
        )
    visible = _visible_positions(locked, user)
    if position is None or position == len(visible):
        visible_position = len(visible)
        target = 0 if stored["last"] is None else stored["last"] + 1
    elif 0 <= position < len(visible):
        visible_position = position
        target = visible[position]
        _shift(locked, Q(position__gte=target), +1)
    else:
        raise _position_error("position", position, len(visible))
    entry = PlaylistEntry.objects.create(playlist=locked, song_id=song_id, position=target)
    _bump(locked)
    entry.visible_position = visible_position
    return entry


@transaction.atomic
def playlist_song_remove(
    *,
    playlist: Playlist,
    user,
    position: int,
    expected_versions: Collection[int] | None = None,
) -> None:
    """Remove the entry at `position` (visible index); later entries move up by one.

    Raises `PlaylistEntry.DoesNotExist` when there is no entry at that position.
    """
    locked = _lock(playlist, expected_versions)
    visible = _visible_positions(locked, user)
    if not 0 <= position < len(visible):
        raise PlaylistEntry.DoesNotExist(f"No entry at position {position}.")
    target = visible[position]
    PlaylistEntry.objects.filter(playlist=locked, position=target).delete()
    _shift(locked, Q(position__gt=target), -1)
    _bump(locked)


@transaction.atomic
def playlist_song_move(
    *,
    playlist: Playlist,
    user,
    from_position: int,
    to_position: int,
    expected_versions: Collection[int] | None = None,
) -> PlaylistEntry:
    """Move the entry at `from_position` to `to_position` (visible indexes).

    The entries in between close up behind it. Moving an entry onto its own position
    changes nothing and keeps the version. The returned entry carries `visible_position`.
    """
    locked = _lock(playlist, expected_versions)
    visible = _visible_positions(locked, user)
    for field, value in (("from_position", from_position), ("to_position", to_position)):
        if not 0 <= value < len(visible):
            raise _position_error(field, value, len(visible) - 1)
    source, target = visible[from_position], visible[to_position]
    entry = PlaylistEntry.objects.get(playlist=locked, position=source)
    if source != target:
        # One permutation of the range [low, high]: the moved entry lands on `target`,
        # the ones it passes step one place towards where it came from.
        delta = -1 if source < target else +1
        low, high = min(source, target), max(source, target)
        entries = PlaylistEntry.objects.filter(playlist=locked)
        entries.filter(position__gte=low, position__lte=high).update(
            position=Case(
                When(pk=entry.pk, then=Value(-target - 1)),
                default=-(F("position") + delta) - 1,
            )
        )
        entries.filter(position__lt=0).update(position=-F("position") - 1)
        entry.position = target
        _bump(locked)
    entry.playlist = locked  # the locked row carries the new version
    entry.visible_position = to_position
    return entry
