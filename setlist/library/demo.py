"""Demo data for the library: listeners, likes, plays and playlists, at any scale.

`ListenerSeed` draws first and writes second. `draw` picks, from a catalog's ids, what each
listener likes and which songs are played, and counts them; `write` adds the listeners and
their rows. `seed_demo` draws from inside `seed_catalog`, before the catalog is written, so
that songs, albums and artists are written once with their final counters; `seed_library`
seeds listeners for the catalog already in the database and adds the counts afterwards.

Deterministic for a seed: same sizes and catalog, same choices in the same order
(timestamps are relative to now). The draws are made in bulk since the loader moved to
binary COPY, so a seed gives other data than it did before that. Likes go to published
songs and albums and to any artist, plays to published songs. Rows go in with the
catalog's bulk loader (binary COPY on PostgreSQL, a table's indexes built once after a
large load: see `setlist.catalog.bulk`); `like_count` and `num_streams` match the rows.
"""

import random
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice, repeat
from operator import mod, sub

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
    bulk_load,
    from_micros,
    load_session,
    refresh_statistics,
    to_micros,
)
from setlist.catalog.caching import LIKES, PLAYS, catalog_cache_invalidate
from setlist.catalog.demo import CatalogIds, Counters, random_words
from setlist.catalog.models import Album, Artist, Song

from .models import AlbumLike, ArtistLike, Play, Playlist, PlaylistEntry, SongLike

# Every demo listener signs in with this password (printed by `seed_demo`).
DEMO_PASSWORD = "listen-to-the-demo"  # noqa: S105 - a documented demo credential
USERNAME_PREFIX = "demo-listener-"
USERNAME = USERNAME_PREFIX + "{:05d}"
BATCH = 5_000
HISTORY_MICROS = 365 * 86_400 * 1_000_000  # likes and plays fall in the last year
ANONYMOUS_PERCENT = 5
# Each kind of like, and the column of what it likes.
LIKE_KINDS = ((SongLike, "song_id"), (AlbumLike, "album_id"), (ArtistLike, "artist_id"))
PLAYLIST_WORDS = (
    ["Late Night", "Morning", "Road Trip", "Rainy Day", "Workout", "Focus", "Sunday"],
    ["Mix", "Classics", "Favourites", "Grooves", "Anthems", "Session", "Jams"],
)


def _batches(items: Iterable, size: int = BATCH) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _split(total: int, parts: int) -> list[int]:
    return [total // parts + (index < total % parts) for index in range(parts)]


def _tally(picks: Iterable[Iterable[int]], ids: Sequence[int]) -> dict[int, int]:
    """How many times each of `ids` was picked (ids never picked are left out).

    Counted in a list indexed by id: three times faster than a `Counter` at a million ids.
    """
    low = min(ids)
    counts = [0] * (max(ids) - low + 1)
    for items in picks:
        for pk in items:
            counts[pk - low] += 1
    return {low + offset: n for offset, n in enumerate(counts) if n}


class _Picker:
    """Random picks with a popular head, so top lists and counts look lived-in: about half
    of them fall on a tenth of the ids, chosen by the seed.

    Large draws go in batches, each id found by C-level `map`s over an array of random
    words, and the ids are kept in an array or a range rather than a list (one memory read
    a pick, or none): picking millions of them one Python step at a time cost three times
    more.
    """

    def __init__(self, rng: random.Random, ids: Sequence[int]):
        self.ids = ids if isinstance(ids, range) else array("q", ids)
        self.hot = array("q", rng.sample(self.ids, max(1, len(ids) // 10)))

    def pick(self, words: Iterable[int]) -> list[int]:
        """One id per random 64-bit word, in order: its lowest bit says hot or not."""
        hot, ids = self.hot, self.ids
        hots, all_ = len(hot), len(ids)
        return [hot[(w >> 1) % hots] if w & 1 else ids[(w >> 1) % all_] for w in words]

    def draw(self, rng: random.Random, counts: list[int]) -> list[list[int]]:
        """For each of `counts`, a list of that many picks: a binomial half of them (the
        bits set in a random number) among the hot ids, those first."""
        hot_counts = [rng.getrandbits(count).bit_count() for count in counts]
        hot = _gather(self.hot, random_words(rng, sum(hot_counts)))
        rest = _gather(self.ids, random_words(rng, sum(counts) - sum(hot_counts)))
        lists, h, r = [], 0, 0
        for count, hots in zip(counts, hot_counts, strict=True):
            lists.append(hot[h : h + hots] + rest[r : r + count - hots])
            h, r = h + hots, r + count - hots
        return lists

    def distinct(self, rng: random.Random, counts: list[int]) -> list[list[int]]:
        """Like `draw`, with no id twice in a list (shorter if there are too few ids)."""
        counts = [min(count, len(self.ids)) for count in counts]
        lists = self.draw(rng, counts)
        for index, picks in enumerate(lists):
            if len(set(picks)) == len(picks):  # the common case, checked cheaply
                continue
            picked = dict.fromkeys(picks)  # ordered: deterministic
            while len(picked) < len(picks):
                more = len(picks) - len(picked)
                picked.update(dict.fromkeys(self.pick(random_words(rng, more))))
            lists[index] = list(picked)
        return lists


def _gather(ids: Sequence[int], words: Iterable[int]) -> list[int]:
    return list(map(ids.__getitem__, map(mod, words, repeat(len(ids)))))


def _moments(rng: random.Random, now: int, count: int) -> Iterator[int]:
    """`count` random moments of the last year before `now` (see `bulk.to_micros`)."""
    return map(sub, repeat(now), map(mod, random_words(rng, count), repeat(HISTORY_MICROS)))


def _seed_users(count: int, bar: tqdm) -> tuple[list[int], bool]:
    """The demo listeners' ids, in id order, and whether every one of them is new."""
    User = get_user_model()
    names = [USERNAME.format(index) for index in range(1, count + 1)]

    def listed() -> dict[str, int]:
        demo = User.objects.filter(username__startswith=USERNAME_PREFIX)
        return dict(demo.values_list("username", "pk"))

    existing = listed()
    missing = [name for name in names if name not in existing]
    if missing:
        password = make_password(DEMO_PASSWORD)  # hashing is slow on purpose: hash once
        joined = to_micros(timezone.now())
        columns = ["username", "email", "password", "first_name", "last_name"]
        columns += ["is_superuser", "is_staff", "is_active", "date_joined"]
        with BulkInserter(User, columns, timestamps=False) as inserter:
            inserter.add_many(
                (name, f"{name}@demo.invalid", password, "", "", False, False, True, joined)
                for name in missing
            )
    bar.update(count)
    wanted = set(names)
    return sorted(pk for name, pk in listed().items() if name in wanted), not existing


class ListenerSeed:
    """Demo listeners and what they like and play: drawn from a catalog's ids, then written.

    `likes` is the number of song likes; album and artist likes add a tenth and a twentieth
    of that. Users are `demo-listener-00001`... with the password `DEMO_PASSWORD`; existing
    ones are reused, and likes that exist already are skipped.
    """

    def __init__(self, *, users: int, likes: int, plays: int, playlists: int, seed: int):
        if users < 1:
            raise ValueError("seed_library needs published songs and at least one user.")
        self.users, self.likes, self.plays, self.playlists = users, likes, plays, playlists
        # One random sequence, which `draw` and then `write` continue.
        self.rng = random.Random(seed)  # noqa: S311 - demo data, reproducible from the seed
        self.all_likes_new = True

    def draw(self, catalog: CatalogIds) -> Counters:
        """Picks every listener's likes and the songs played, to be written by `write`;
        returns how many likes and plays each item got."""
        if not catalog.songs:
            raise ValueError("seed_library needs published songs and at least one user.")
        rng = self.rng
        self.songs = _Picker(rng, catalog.songs)
        self.liked = {}
        for model, picker, total in (
            (SongLike, self.songs, self.likes),
            (AlbumLike, _Picker(rng, catalog.albums), self.likes // 10),
            (ArtistLike, _Picker(rng, catalog.artists), self.likes // 20),
        ):
            self.liked[model] = picker.distinct(rng, _split(total, self.users))
        # In batches, so that hot and other songs mix throughout.
        self.played = self.songs.draw(rng, _split(self.plays, -(-self.plays // BATCH)))
        return Counters(
            artist_likes=_tally(self.liked[ArtistLike], catalog.artists),
            album_likes=_tally(self.liked[AlbumLike], catalog.albums),
            song_likes=_tally(self.liked[SongLike], catalog.songs),
            song_streams=_tally(self.played, catalog.songs),
        )

    def write(self, *, progress: bool) -> dict:
        """Adds the listeners and the rows drawn; returns what was made.

        Leaves the items' counters alone (see `draw`). Sets `all_likes_new`: false when
        some listeners had likes already, in which case the drawn likes that existed were
        skipped and counts must be taken from the rows.
        """
        likes = sum(len(items) for drawn in self.liked.values() for items in drawn)
        total = self.users + likes + self.plays + self.playlists
        with tqdm(total=total, disable=not progress, desc="library", unit="row") as bar:
            user_ids, users_new = _seed_users(self.users, bar)
            for model, column in LIKE_KINDS:
                demo = model.objects.filter(user__username__startswith=USERNAME_PREFIX)
                fresh = users_new or not demo.exists()
                self.all_likes_new &= fresh
                self._write_likes(model, column, user_ids, bar, fresh=fresh)
            self._write_plays(_Picker(self.rng, user_ids), bar)
            entries = self._write_playlists(user_ids, bar)
        catalog_cache_invalidate(scope=LIKES)  # bulk writes bypass the services' invalidation
        catalog_cache_invalidate(scope=PLAYS)
        refresh_statistics(SongLike, AlbumLike, ArtistLike, Play)
        return {
            "users": len(user_ids),
            "song_likes": self.likes,
            "album_likes": self.likes // 10,
            "artist_likes": self.likes // 20,
            "plays": self.plays,
            "playlists": self.playlists,
            "playlist_entries": entries,
            "password": DEMO_PASSWORD,
        }

    def _write_likes(self, model, column: str, user_ids: list[int], bar, *, fresh: bool) -> None:
        """The drawn likes of one kind: loaded in bulk when none of them can exist yet
        (`fresh`), else inserted skipping those that do."""
        now, rng, drawn = to_micros(timezone.now()), self.rng, self.liked[model]

        def rows() -> Iterator[list[tuple]]:
            for user_id, items in zip(user_ids, drawn, strict=True):
                yield list(zip(repeat(user_id), items, _moments(rng, now, len(items))))

        if not fresh:
            for likes in rows():
                model.objects.bulk_create(
                    [
                        model(user_id=user_id, **{column: pk}, created_at=from_micros(stamp))
                        for user_id, pk, stamp in likes
                    ],
                    ignore_conflicts=True,
                )
                bar.update(len(likes))
            return
        total = sum(len(items) for items in drawn)
        columns = ["user_id", column, "created_at"]
        with bulk_load(model, columns, rows=total, timestamps=False) as inserter:
            for likes in rows():
                inserter.add_many(likes)
                bar.update(len(likes))

    def _write_plays(self, listeners: _Picker, bar) -> None:
        """The drawn plays, by a few heavy listeners and many light ones, and some by
        anonymous listeners."""
        now, rng = to_micros(timezone.now()), self.rng
        columns = ["user_id", "song_id", "played_at"]
        with bulk_load(Play, columns, rows=self.plays, timestamps=False) as inserter:
            for songs in self.played:
                listened = zip(
                    listeners.pick(random_words(rng, len(songs))),
                    random_words(rng, len(songs)),
                    strict=True,
                )
                who = [None if coin % 100 < ANONYMOUS_PERCENT else pk for pk, coin in listened]
                inserter.add_many(zip(who, songs, _moments(rng, now, len(songs)), strict=True))
                bar.update(len(songs))

    def _write_playlists(self, user_ids: list[int], bar) -> int:
        rng, entries = self.rng, 0
        for start in range(0, self.playlists, 1_000):
            batch_size = min(1_000, self.playlists - start)
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
                PlaylistEntry(playlist_id=playlist.pk, song_id=song_id, position=position)
                for playlist in playlists
                for position, song_id in enumerate(
                    self.songs.pick(random_words(rng, rng.randint(5, 30)))
                )
            ]
            for chunk in _batches(rows):
                PlaylistEntry.objects.bulk_create(chunk)
            entries += len(rows)
            bar.update(batch_size)
        return entries


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


def _catalog_in_database() -> CatalogIds:
    published = Album.objects.filter(is_published=True).order_by("pk")
    return CatalogIds(
        artists=list(Artist.objects.order_by("pk").values_list("pk", flat=True)),
        albums=list(published.values_list("pk", flat=True)),
        songs=list(
            Song.objects.filter(album__is_published=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        ),
    )


@transaction.atomic
def seed_library(
    *, users: int, likes: int, plays: int, playlists: int, seed: int, progress: bool
) -> dict:
    """Creates demo listeners of the catalog in the database, and their likes, plays and
    playlists (see `ListenerSeed`); returns what was made.

    Streams are added to the songs' counts (earlier ones stay counted); likes are added
    when every like was new, else recounted from the rows.
    """
    listeners = ListenerSeed(users=users, likes=likes, plays=plays, playlists=playlists, seed=seed)
    load_session()
    counters = listeners.draw(_catalog_in_database())
    made = listeners.write(progress=progress)
    if listeners.all_likes_new:
        songs = {"like_count": counters.song_likes, "num_streams": counters.song_streams}
        add_to_counters(Song, songs)
        add_to_counters(Album, {"like_count": counters.album_likes})
        add_to_counters(Artist, {"like_count": counters.artist_likes})
    else:
        _recount_likes()
        add_to_counters(Song, {"num_streams": counters.song_streams})
    refresh_statistics(Song, Album, Artist)
    return made
