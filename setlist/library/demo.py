"""Demo data for the library: listeners, likes, plays and playlists, at any scale.

`seed_library` is deterministic for a seed (same choices, same order; timestamps are
relative to now). Likes and plays go in with the catalog's bulk loader (COPY on
PostgreSQL, with the table's indexes rebuilt once after a large load: see
`setlist.catalog.bulk`); the counters are brought up to date at the end from the inserted
rows, so `like_count` and `num_streams` match the rows exactly. Run it after the catalog is
seeded; it uses published songs only.
"""

import random
from collections import Counter
from collections.abc import Iterable, Iterator
from datetime import timedelta
from itertools import islice

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from tqdm import tqdm

from setlist.catalog.bulk import (
    BulkInserter,
    add_to_counters,
    deferred_indexes,
    refresh_statistics,
    worth_deferring,
)
from setlist.catalog.caching import LIKES, PLAYS, catalog_cache_invalidate
from setlist.catalog.models import Album, Artist, Song

from .models import AlbumLike, ArtistLike, Play, Playlist, PlaylistEntry, SongLike

# Every demo listener signs in with this password (printed by `seed_demo`).
DEMO_PASSWORD = "listen-to-the-demo"  # noqa: S105 - a documented demo credential
USERNAME = "demo-listener-{:05d}"
BATCH = 5_000
HISTORY_DAYS = 365
ANONYMOUS_PLAY_SHARE = 0.05
PLAYLIST_WORDS = (
    ["Late Night", "Morning", "Road Trip", "Rainy Day", "Workout", "Focus", "Sunday"],
    ["Mix", "Classics", "Favourites", "Grooves", "Anthems", "Session", "Jams"],
)


def _batches(items: Iterable, size: int = BATCH) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _count_of(model, field: str) -> Coalesce:
    """A correlated count of `model` rows pointing at the outer row through `field`."""
    rows = (
        model.objects.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


class _Picker:
    """Random choices with a popular head, so top lists and counts look lived-in."""

    def __init__(self, rng: random.Random, ids: list[int]):
        self.rng, self.ids = rng, ids
        self.hot = ids[: max(1, len(ids) // 10)]

    def one(self) -> int:
        return self.rng.choice(self.hot if self.rng.random() < 0.5 else self.ids)

    def distinct(self, count: int) -> list[int]:
        count = min(count, len(self.ids))
        picked: dict[int, None] = {}  # insertion-ordered: deterministic
        while len(picked) < count:
            picked[self.one()] = None
        return list(picked)


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (index < total % parts) for index in range(parts)]


def _seed_users(count: int, bar: tqdm) -> tuple[list[int], bool]:
    """The demo listeners' ids, and whether every one of them is new."""
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hashing is slow on purpose: hash once
    names = [USERNAME.format(index) for index in range(1, count + 1)]
    existed = 0
    for batch in _batches(names):
        existed += User.objects.filter(username__in=batch).count()
        User.objects.bulk_create(
            [
                User(username=name, email=f"{name}@demo.invalid", password=password)
                for name in batch
            ],
            ignore_conflicts=True,
        )
        bar.update(len(batch))
    ids = list(User.objects.filter(username__in=names).order_by("pk").values_list("pk", flat=True))
    return ids, existed == 0


def _load(model, columns: list[str], rows: Iterator[dict], total: int, bar: tqdm) -> None:
    """Inserts `rows` (dicts of `columns`) with the bulk loader; the rows must be new."""
    with (
        deferred_indexes(model, enabled=worth_deferring(model, total)),
        BulkInserter(model, columns, timestamps=False) as inserter,
    ):
        for count, row in enumerate(rows, 1):
            inserter.add(row)
            if count % BATCH == 0:
                bar.update(BATCH)
    bar.update(total % BATCH)


def _seed_likes(model, field: str, picker: _Picker, users, total: int, bar, rng) -> Counter | None:
    """`total` likes spread over the users; returns how many each item got.

    `users` is (ids, all new). When every user is new none of their likes can exist yet:
    they are loaded in bulk and counted here. Otherwise likes that exist already are
    skipped, and the result is None: the counts must be taken from the rows.
    """
    user_ids, all_new = users
    now = timezone.now()
    item = f"{field}_id"
    counts: Counter = Counter()

    def rows():
        for user_id, count in zip(user_ids, _split(total, len(user_ids)), strict=True):
            for item_id in picker.distinct(count):
                counts[item_id] += 1
                liked_at = now - timedelta(seconds=rng.randrange(HISTORY_DAYS * 86400))
                yield {"user_id": user_id, item: item_id, "created_at": liked_at}

    if all_new:
        _load(model, ["user_id", item, "created_at"], rows(), total, bar)
        return counts
    for batch in _batches(rows()):
        model.objects.bulk_create([model(**row) for row in batch], ignore_conflicts=True)
        bar.update(len(batch))
    return None


def _seed_plays(picker: _Picker, user_ids: list[int], total: int, bar, rng) -> Counter:
    """`total` plays, a few by anonymous listeners; returns how many each song got."""
    now = timezone.now()
    listeners = _Picker(rng, user_ids)  # a few heavy listeners, many light ones
    streams: Counter = Counter()

    def rows():
        for _ in range(total):
            user_id = None if rng.random() < ANONYMOUS_PLAY_SHARE else listeners.one()
            played_at = now - timedelta(seconds=rng.randrange(HISTORY_DAYS * 86400))
            song_id = picker.one()
            streams[song_id] += 1
            yield {"user_id": user_id, "song_id": song_id, "played_at": played_at}

    _load(Play, ["user_id", "song_id", "played_at"], rows(), total, bar)
    return streams


def _seed_playlists(picker: _Picker, user_ids: list[int], total: int, bar, rng) -> int:
    entries = 0
    for start in range(0, total, 1_000):
        batch_size = min(1_000, total - start)
        playlists = Playlist.objects.bulk_create(
            [
                Playlist(
                    owner_id=rng.choice(user_ids),
                    name=f"{rng.choice(PLAYLIST_WORDS[0])} {rng.choice(PLAYLIST_WORDS[1])}",
                    is_public=rng.random() < 0.7,
                )
                for _ in range(batch_size)
            ]
        )
        rows = [
            PlaylistEntry(playlist_id=playlist.pk, song_id=picker.one(), position=position)
            for playlist in playlists
            for position in range(rng.randint(5, 30))
        ]
        for chunk in _batches(rows):
            PlaylistEntry.objects.bulk_create(chunk)
        entries += len(rows)
        bar.update(batch_size)
    return entries


def _recount_likes() -> None:
    """like_count from the like rows: one aggregate UPDATE per kind of item.

    Likes exist only as rows, so the recount is exact. Only items that have likes, or
    had a count, are written: rewriting every song would cost a row version each.
    """
    for item_model, like_model, field in (
        (Song, SongLike, "song"),
        (Album, AlbumLike, "album"),
        (Artist, ArtistLike, "artist"),
    ):
        item_model.objects.filter(
            Q(pk__in=like_model.objects.values(f"{field}_id")) | Q(like_count__gt=0)
        ).update(like_count=_count_of(like_model, field))


@transaction.atomic
def seed_library(
    *, users: int, likes: int, plays: int, playlists: int, seed: int, progress: bool
) -> dict:
    """Create demo listeners and their likes, plays and playlists; returns what was made.

    `likes` is the number of song likes; album and artist likes add a tenth and a
    twentieth of that. Users are `demo-listener-00001`... with the password
    `DEMO_PASSWORD`; existing ones are reused, and likes that exist already are skipped.
    """
    rng = random.Random(seed)  # noqa: S311 - demo data, reproducible from the seed
    visible_songs = Song.objects.filter(album__is_published=True).order_by("pk")
    song_ids = list(visible_songs.values_list("pk", flat=True))
    if not song_ids or users < 1:
        raise ValueError("seed_library needs published songs and at least one user.")
    album_ids = list(
        Album.objects.filter(is_published=True).order_by("pk").values_list("pk", flat=True)
    )
    artist_ids = list(Artist.objects.order_by("pk").values_list("pk", flat=True))
    rng.shuffle(song_ids)  # which songs are "hot" depends on the seed, not on ids
    songs = _Picker(rng, song_ids)
    album_likes, artist_likes = likes // 10, likes // 20
    total = users + likes + album_likes + artist_likes + plays + playlists
    with tqdm(total=total, disable=not progress, desc="library", unit="row") as bar:
        listeners = _seed_users(users, bar)
        user_ids = listeners[0]
        liked = {
            Song: _seed_likes(SongLike, "song", songs, listeners, likes, bar, rng),
            Album: _seed_likes(
                AlbumLike, "album", _Picker(rng, album_ids), listeners, album_likes, bar, rng
            ),
            Artist: _seed_likes(
                ArtistLike, "artist", _Picker(rng, artist_ids), listeners, artist_likes, bar, rng
            ),
        }
        streams = _seed_plays(songs, user_ids, plays, bar, rng)
        entries = _seed_playlists(songs, user_ids, playlists, bar, rng)

    # Streams are added (earlier ones stay counted); likes are added when every like was
    # new, else recounted from the rows.
    if all(counts is not None for counts in liked.values()):
        add_to_counters(Song, {"like_count": liked[Song], "num_streams": streams})
        add_to_counters(Album, {"like_count": liked[Album]})
        add_to_counters(Artist, {"like_count": liked[Artist]})
    else:
        _recount_likes()
        add_to_counters(Song, {"num_streams": streams})
    made = {
        "users": len(user_ids),
        "song_likes": likes,
        "album_likes": album_likes,
        "artist_likes": artist_likes,
        "plays": plays,
        "playlists": playlists,
        "playlist_entries": entries,
    }
    catalog_cache_invalidate(scope=LIKES)  # bulk writes bypass the services' invalidation
    catalog_cache_invalidate(scope=PLAYS)
    refresh_statistics(SongLike, AlbumLike, ArtistLike, Play, Song, Album, Artist)
    return {**made, "password": DEMO_PASSWORD}
