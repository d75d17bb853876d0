"""What the benchmark asks of Setlist and of the references, and the checks around it.

Runs inside the harness process with Django set up against the bench database.
"""

import json
import urllib.parse
import urllib.request
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count, Sum
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from setlist.catalog.bulk import refresh_statistics
from setlist.catalog.caching import LIKES, PLAYS, catalog_cache_invalidate
from setlist.catalog.models import Album, Song
from setlist.library.models import Play, SongLike

WORK = Path(__file__).parent / "results"
DEEP_ROWS = 90_000
PAGE_SIZE = 50  # of every page of songs the scenarios ask for
BENCH_USER_LIKES = 100_000
BENCH_USER_PLAYS = 100_000
PLAYS_BESIDE = 20  # a second, anonymous, while a read is measured (see bench/trickle.py)


def _visible_song_ids(limit: int) -> list[int]:
    """The first published songs by id: the same ones in every run (the demo data's ids
    are in no meaningful order)."""
    return list(
        Song.objects.filter(album__is_published=True)
        .order_by("id")
        .values_list("id", flat=True)[:limit]
    )


def _liked_song_ids(user, limit: int) -> list[int]:
    """Songs the listener likes, by id: the songs the by-id scenarios ask for, so that a
    signed-in detail always shows one of the caller's likes, in every run."""
    return list(
        SongLike.objects.filter(user=user, song__album__is_published=True)
        .order_by("song_id")
        .values_list("song_id", flat=True)[:limit]
    )


def _user(username: str, password: str):
    User = get_user_model()
    user, _ = User.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.com"}
    )
    user.set_password(password)
    user.save()
    return user


def prepare(username: str, writer: str, password: str) -> dict:
    """The bench listener, with 100 000 likes and plays for deep cursor pages, and the
    writer whose likes and plays the write scenarios make (see `_forget_writes`)."""
    user = _user(username, password)
    _forget_writes(_user(writer, password))
    visible = _visible_song_ids(max(BENCH_USER_LIKES, 10_000))
    if SongLike.objects.filter(user=user).count() < min(BENCH_USER_LIKES, len(visible)):
        now = timezone.now()
        SongLike.objects.bulk_create(
            [
                SongLike(user=user, song_id=song_id, created_at=now - timezone.timedelta(seconds=i))
                for i, song_id in enumerate(visible[:BENCH_USER_LIKES])
            ],
            batch_size=5000,
            ignore_conflicts=True,
        )
        with connection.cursor() as cursor:  # keep like_count exact for the rows just added
            cursor.execute(
                "UPDATE catalog_song SET like_count = sub.n FROM "
                "(SELECT song_id, count(*) AS n FROM library_songlike GROUP BY song_id) sub "
                "WHERE sub.song_id = catalog_song.id AND catalog_song.like_count <> sub.n"
            )
    _reset_plays(user, visible)
    # Every step above moved counters around the services: cached pages showing them go.
    catalog_cache_invalidate(scope=LIKES)
    catalog_cache_invalidate(scope=PLAYS)
    # The planner must know this listener is heavy: with the statistics from before the
    # rows above it sorted all 100 000 likes for every page (1.4 s) instead of walking
    # the (user, -created_at, -id) index (2 ms).
    refresh_statistics(SongLike, Play, Song)
    WORK.mkdir(parents=True, exist_ok=True)
    ids_file = WORK / "song_ids.txt"
    ids_file.write_text("\n".join(map(str, _liked_song_ids(user, 10_000))) + "\n")
    album = (
        Album.objects.filter(is_published=True).annotate(n=Count("songs")).filter(n__gte=8).first()
    )
    return {"ids_file": str(ids_file), "album_id": album.pk, "user_id": user.pk}


def _delete_counted(table: str, counter: str, user) -> None:
    """Deletes `user`'s rows of `table` (likes or plays of songs) and takes them off each
    song's `counter`, in one statement."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH gone AS (DELETE FROM {table} WHERE user_id = %s RETURNING song_id) "  # noqa: S608 (fixed names)
            f"UPDATE catalog_song SET {counter} = {counter} - sub.n FROM "
            "(SELECT song_id, count(*) AS n FROM gone GROUP BY song_id) sub "
            "WHERE sub.song_id = catalog_song.id",
            [user.pk],
        )


def _forget_writes(writer) -> None:
    """The writer starts every run liking and having played nothing: each like of the
    like/unlike scenario is then a new row, and its rows do not pile up run after run."""
    _delete_counted(SongLike._meta.db_table, "like_count", writer)
    _delete_counted(Play._meta.db_table, "num_streams", writer)


def _reset_plays(user, visible: list[int]) -> None:
    """The listener's history as every run starts it: BENCH_USER_PLAYS plays, one a minute,
    the newest just now. The stats scenario counts the last 30 days of it and the history
    scenarios page through it, so neither may depend on when the dataset was made or on
    how many runs came before (the write scenarios play as another user)."""
    _delete_counted(Play._meta.db_table, "num_streams", user)
    now = timezone.now()
    Play.objects.bulk_create(
        [
            Play(
                user=user,
                song_id=visible[i % len(visible)],
                played_at=now - timezone.timedelta(minutes=i),
            )
            for i in range(BENCH_USER_PLAYS)
        ],
        batch_size=5000,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE catalog_song SET num_streams = num_streams + sub.n FROM "
            "(SELECT song_id, count(*) AS n FROM library_play WHERE user_id = %s "
            "GROUP BY song_id) sub WHERE sub.song_id = catalog_song.id",
            [user.pk],
        )


def _token(port: int, username: str, password: str) -> str:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/auth/token/",
        data=json.dumps({"username": username, "password": password}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
        return json.load(response)["access"]


def _get(url: str, headers: dict[str, str]):
    """The JSON body and the headers (looked up case-insensitively: granian lowercases)."""
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 (loopback)
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 (loopback)
        return json.load(response), response.headers


def _deep_cursor(base: str, path: str, headers: dict[str, str]) -> str:
    """The path and query of the page DEEP_ROWS rows in, PAGE_SIZE rows long like the first
    page it is compared with. Gets there by `next` links 100 rows at a time: a cursor holds
    a position, not a page size."""
    url = f"{base}{path}?page_size=100"
    for _ in range(DEEP_ROWS // 100):
        body, _ = _get(url, headers)
        if not body.get("next"):
            break
        url = body["next"]
    parts = urllib.parse.urlsplit(url.removeprefix(base))
    query = dict(urllib.parse.parse_qsl(parts.query), page_size=str(PAGE_SIZE))
    return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def build(
    fixture: dict, ports: dict[str, int], username: str, writer: str, password: str
) -> list[dict]:
    setlist = f"http://127.0.0.1:{ports['setlist']}"
    refs = f"http://127.0.0.1:{ports['refs']}"
    auth = {"Authorization": f"Bearer {_token(ports['setlist'], username, password)}"}
    # Writes come from another listener: the reads of the bench listener's likes, history
    # and stats then see the same rows in every round and every run.
    writer_auth = {"Authorization": f"Bearer {_token(ports['setlist'], writer, password)}"}
    ids = {"BENCH_IDS_FILE": fixture["ids_file"]}

    def by_id(template: str, **extra) -> dict:
        return {"script": "paths.lua", "lua_env": {**ids, "BENCH_PATH": template, **extra}}

    _, first = _get(f"{setlist}/api/v1/songs/?page_size={PAGE_SIZE}", {})
    deep_likes = _deep_cursor(setlist, "/api/v1/me/likes/", auth)
    deep_history = _deep_cursor(setlist, "/api/v1/me/history/", auth)
    album = fixture["album_id"]
    return [
        {"name": "ref: floor", "kind": "reference", "url": f"http://127.0.0.1:{ports['floor']}/"},
        {
            "name": "ref: one row",
            "kind": "reference",
            "url": f"{refs}/ref/song/1/",
            **by_id("/ref/song/%d/"),
        },
        {"name": "ref: list", "kind": "reference", "url": f"{refs}/ref/songs/"},
        {
            "name": "ref: tutorial detail",
            "kind": "reference",
            "url": f"{refs}/tutorial/songs/1/",
            **by_id("/tutorial/songs/%d/"),
        },
        {"name": "ref: tutorial list", "kind": "reference", "url": f"{refs}/tutorial/songs/"},
        {
            "name": "song detail (anon)",
            "kind": "read",
            "tutorial": "ref: tutorial detail",
            "reference": "ref: one row",
            "url": f"{setlist}/api/v1/songs/1/",
            **by_id("/api/v1/songs/%d/"),
        },
        {
            "name": "song list (anon)",
            "kind": "read",
            "tutorial": "ref: tutorial list",
            "reference": "ref: list",
            "url": f"{setlist}/api/v1/songs/?page_size={PAGE_SIZE}",
        },
        {
            # The same list while listeners play songs: every play makes cached pages that
            # show play counts stale. Against the list measured alone.
            "name": f"song list (anon), {PLAYS_BESIDE} plays/s beside",
            "kind": "mixed",
            "reference": "song list (anon)",
            "url": f"{setlist}/api/v1/songs/?page_size={PAGE_SIZE}",
            "beside": {
                "url_template": f"{setlist}/api/v1/songs/%d/plays/",
                "ids_file": fixture["ids_file"],
                "rate": PLAYS_BESIDE,
            },
        },
        {
            "name": "song detail (user)",
            "kind": "read",
            "tutorial": "ref: tutorial detail",
            "reference": "ref: one row",
            "url": f"{setlist}/api/v1/songs/1/",
            "headers": auth,
            **by_id("/api/v1/songs/%d/"),
        },
        {
            "name": "song list (user)",
            "kind": "read",
            "tutorial": "ref: tutorial list",
            "reference": "ref: list",
            "url": f"{setlist}/api/v1/songs/?page_size={PAGE_SIZE}",
            "headers": auth,
        },
        {
            "name": "album detail",
            "kind": "read",
            "tutorial": "ref: tutorial detail",
            "reference": "ref: list",
            "url": f"{setlist}/api/v1/albums/{album}/",
        },
        {
            "name": "search",
            "kind": "read",
            "tutorial": "ref: tutorial detail",
            "reference": "ref: list",
            "url": f"{setlist}/api/v1/search/?q=love",
        },
        {
            "name": "conditional GET (304)",
            "kind": "read",
            "tutorial": "ref: tutorial detail",
            "reference": "ref: one row",
            "url": f"{setlist}/api/v1/songs/?page_size={PAGE_SIZE}",
            "headers": {"If-None-Match": first["ETag"]},
        },
        {
            "name": "likes, first page",
            "kind": "read",
            "tutorial": "ref: tutorial list",
            "reference": "ref: list",
            "url": f"{setlist}/api/v1/me/likes/?page_size={PAGE_SIZE}",
            "headers": auth,
        },
        {
            "name": "likes, 90k deep",
            "kind": "read",
            "tutorial": "ref: tutorial list",
            "reference": "likes, first page",
            "url": f"{setlist}{deep_likes}",
            "headers": auth,
        },
        {
            "name": "history, 90k deep",
            "kind": "read",
            "tutorial": "ref: tutorial list",
            "reference": "ref: list",
            "url": f"{setlist}{deep_history}",
            "headers": auth,
        },
        {
            "name": "stats (month)",
            "kind": "read",
            "tutorial": "ref: tutorial detail",
            "reference": "ref: list",
            "url": f"{setlist}/api/v1/me/stats/?period=month",
            "headers": auth,
        },
        {
            "name": "like/unlike",
            "kind": "write",
            "url": f"{setlist}/api/v1/me/likes/1/",
            "headers": writer_auth,
            **by_id("/api/v1/me/likes/%d/", BENCH_TOGGLE="1"),
        },
        {
            "name": "play",
            "kind": "write",
            "url": f"{setlist}/api/v1/songs/1/plays/",
            "headers": writer_auth,
            **by_id("/api/v1/songs/%d/plays/", BENCH_METHOD="POST"),
        },
    ]


def select(scenarios: list[dict], parts: list[str]) -> list[dict]:
    """The scenarios whose name contains one of `parts`, with the references they need."""
    needs = {s["name"]: {s.get("reference"), s.get("tutorial")} - {None} for s in scenarios}
    chosen = {name for name in needs if any(part.strip() in name for part in parts)}
    pending = list(chosen)
    while pending:
        for reference in needs[pending.pop()] - chosen:
            chosen.add(reference)
            pending.append(reference)
    return [s for s in scenarios if s["name"] in chosen]


def counters() -> dict:
    return {
        "plays": Play.objects.count(),
        "num_streams": Song.objects.aggregate(n=Sum("num_streams"))["n"] or 0,
    }


def verify_counters(before: dict) -> dict:
    """Every like and play the API acknowledged is counted exactly once."""
    after = counters()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM catalog_song s WHERE s.like_count <> "
            "(SELECT count(*) FROM library_songlike l WHERE l.song_id = s.id)"
        )
        like_mismatches = cursor.fetchone()[0]
    plays_added = after["plays"] - before["plays"]
    streams_added = after["num_streams"] - before["num_streams"]
    return {
        "ok": like_mismatches == 0 and plays_added == streams_added,
        "songs_with_wrong_like_count": like_mismatches,
        "plays_recorded": plays_added,
        "num_streams_added": streams_added,
    }


def queries_per_request(scenarios: list[dict]) -> dict[str, int]:
    """SQL queries one request of each Setlist read scenario makes (in-process client)."""
    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    for scenario in scenarios:
        if scenario["kind"] != "read":
            continue
        path = scenario["url"].split(":", 2)[2].split("/", 1)[1]
        headers = {
            f"HTTP_{k.upper().replace('-', '_')}": v for k, v in scenario.get("headers", {}).items()
        }
        with CaptureQueriesContext(connection) as captured:
            client.get("/" + path, **headers)
        counts[scenario["name"]] = len(captured.captured_queries)
    return counts
