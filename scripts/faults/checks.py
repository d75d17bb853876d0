"""What the database must hold after a scenario (Django ORM; django.setup() first).

`Check` gathers the figures: how many acknowledged writes were looked for, how many were
missing (lost), and any broken invariant (counters that no longer match their rows).
"""

from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from load import Acks

from setlist.accounts.models import User
from setlist.catalog.models import Song
from setlist.library.models import Play, SongLike


@dataclass
class Check:
    checked: int = 0
    lost: int = 0
    problems: list[str] = field(default_factory=list)

    def expect(self, condition: bool, problem: str) -> None:
        if not condition:
            self.problems.append(problem)


def fresh_connection() -> None:
    """Drop connections a database restart may have broken."""
    connections.close_all()


def counter_drift() -> dict[int, tuple[int, int]]:
    """Per song: (num_streams - play rows, like_count - like rows).

    Seeded data may start with any drift; a scenario must leave it exactly as it found it,
    which means every play and like moved its counter exactly once.
    """

    def rows(model):
        counted = model.objects.filter(song=OuterRef("pk")).values("song").annotate(n=Count("pk"))
        return Coalesce(Subquery(counted.values("n")), 0)

    songs = Song.objects.annotate(play_rows=rows(Play), like_rows=rows(SongLike))
    return {
        song.pk: (song.num_streams - song.play_rows, song.like_count - song.like_rows)
        for song in songs.only("pk", "num_streams", "like_count")
    }


def check_acknowledged(acks: Acks, drift_before: dict) -> Check:
    """Every acknowledged write is in the database and every counter still matches.

    A member's likes come in order from one connection, so each (member, song) touched
    must be liked or not exactly as the last acknowledged PUT or DELETE left it.
    """
    fresh_connection()
    check = Check()

    play_ids = [play_id for play_id, _, _ in acks.plays]
    found = set(Play.objects.filter(pk__in=play_ids).values_list("pk", "song_id", "user_id"))
    missing = [play for play in acks.plays if play not in found]
    check.checked += len(acks.plays)
    check.lost += len(missing)
    check.expect(not missing, f"{len(missing)} acknowledged plays missing: {missing[:5]}")

    expected: dict[tuple[int, int], bool] = {}
    for user_id, song_id, liked in acks.likes:
        expected[(user_id, song_id)] = liked
    members = {user_id for user_id, _ in expected}
    present = set(SongLike.objects.filter(user_id__in=members).values_list("user_id", "song_id"))
    wrong = [pair for pair, liked in expected.items() if (pair in present) != liked]
    check.checked += len(acks.likes)
    check.lost += len(wrong)
    check.expect(not wrong, f"{len(wrong)} acknowledged like states wrong: {wrong[:5]}")

    users = set(User.objects.filter(pk__in=acks.users).values_list("pk", flat=True))
    check.checked += len(acks.users)
    check.lost += len(set(acks.users) - users)
    check.expect(len(users) == len(set(acks.users)), "acknowledged sign-ups missing")

    drift_after = counter_drift()
    moved = {
        pk: (drift_before.get(pk), d) for pk, d in drift_after.items() if drift_before.get(pk) != d
    }
    check.expect(not moved, f"counters drifted on {len(moved)} songs: {list(moved.items())[:5]}")
    return check


def plays_since(user_ids: list[int], after_id: int) -> int:
    """Play rows of these members newer than `after_id`: all of them, when no write failed."""
    return Play.objects.filter(user_id__in=user_ids, pk__gt=after_id).count()


def last_play_id() -> int:
    return Play.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
