"""`manage.py import_chinook`: all or nothing, idempotent, clear about bad files."""

import io
import sqlite3
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from setlist.catalog.models import Album, Artist, Genre, Song

from .factories import GenreFactory
from .helpers import API

pytestmark = pytest.mark.django_db

REAL_CHINOOK = Path(settings.BASE_DIR).parent / "shared" / "data" / "chinook" / "chinook.sqlite"

SCHEMA = """
CREATE TABLE Genre (GenreId INTEGER PRIMARY KEY, Name NVARCHAR(120));
CREATE TABLE Artist (ArtistId INTEGER PRIMARY KEY, Name NVARCHAR(120));
CREATE TABLE Album (AlbumId INTEGER PRIMARY KEY, Title NVARCHAR(160) NOT NULL,
                    ArtistId INTEGER NOT NULL);
CREATE TABLE MediaType (MediaTypeId INTEGER PRIMARY KEY, Name NVARCHAR(120));
CREATE TABLE Track (TrackId INTEGER PRIMARY KEY, Name NVARCHAR(200) NOT NULL, AlbumId INTEGER,
                    MediaTypeId INTEGER NOT NULL, GenreId INTEGER, Composer NVARCHAR(220),
                    Milliseconds INTEGER NOT NULL, Bytes INTEGER, UnitPrice NUMERIC(10,2));
"""


def build_chinook(path: Path) -> Path:
    """A small Chinook-shaped file: accents, a NULL composer, duplicate titles on one album."""
    with sqlite3.connect(path) as db:
        db.executescript(SCHEMA)
        db.executemany("INSERT INTO Genre VALUES (?, ?)", [(1, "Rock"), (2, "Bossa Nova")])
        db.executemany(
            "INSERT INTO Artist VALUES (?, ?)",
            [(1, "Mötley Crüe"), (2, "Antônio Carlos Jobim"), (3, "No Albums")],
        )
        db.executemany(
            "INSERT INTO Album VALUES (?, ?, ?)", [(10, "Dr. Feelgood", 1), (20, "Wave", 2)]
        )
        db.executemany(
            "INSERT INTO Track VALUES (?, ?, ?, 1, ?, ?, ?, 1000, 0.99)",
            [
                (103, "Kickstart My Heart", 10, 1, "Nikki Sixx", 282_000),
                (101, "T.n.T. (Terror 'n Tinseltown)", 10, 1, None, 42_000),
                (102, "Dr. Feelgood", 10, 1, "Mick Mars, Nikki Sixx", 290_000),
                (201, "Águas de Março", 20, 2, "Antônio Carlos Jobim", 180_000),
                (202, "Águas de Março", 20, 2, "Antônio Carlos Jobim", 181_000),
                (203, "Untitled", 20, None, None, 1_000),
            ],
        )
    return path


@pytest.fixture
def chinook(tmp_path) -> Path:
    return build_chinook(tmp_path / "chinook.sqlite")


def _import(path) -> str:
    out = io.StringIO()
    call_command("import_chinook", str(path), "--no-progress", stdout=out)
    return out.getvalue()


def test_imports_every_kind_with_chinook_ids(chinook, api_client):
    output = _import(chinook)

    assert "songs: 6 created, 0 already present" in output
    assert Genre.objects.get(chinook_id=2).slug == "bossa-nova"
    assert set(Artist.objects.values_list("name", flat=True)) == {
        "Mötley Crüe",
        "Antônio Carlos Jobim",
        "No Albums",
    }
    assert set(Album.objects.values_list("is_published", flat=True)) == {True}
    feelgood = Album.objects.get(chinook_id=10)
    assert list(feelgood.songs.order_by("track_number").values_list("chinook_id", flat=True)) == [
        101,
        102,
        103,
    ]
    assert Song.objects.get(chinook_id=101).composer == ""
    assert Song.objects.get(chinook_id=103).duration_ms == 282_000
    assert Song.objects.get(chinook_id=203).genre is None
    assert Song.objects.filter(album__chinook_id=20, title="Águas de Março").count() == 2


def test_imported_rows_are_searchable_and_counted(chinook, api_client):
    _import(chinook)

    body = api_client.get(f"{API}/search/", {"q": "aguas de marco"}).json()
    genres = {
        g["slug"]: g["song_count"] for g in api_client.get(f"{API}/genres/").json()["results"]
    }

    assert [song["title"] for song in body["songs"]] == ["Águas de Março"] * 2
    assert genres == {"bossa-nova": 2, "rock": 3}
    assert (
        api_client.get(f"{API}/artists/", {"search": "motley"}).json()["results"][0]["album_count"]
        == 1
    )


def test_a_second_import_creates_nothing(chinook):
    _import(chinook)
    counts = [model.objects.count() for model in (Genre, Artist, Album, Song)]

    output = _import(chinook)

    assert [model.objects.count() for model in (Genre, Artist, Album, Song)] == counts
    assert "genres: 0 created, 2 already present" in output
    assert "songs: 0 created, 6 already present" in output


def test_an_existing_genre_of_the_same_name_is_adopted(chinook):
    rock = GenreFactory(name="Rock", slug="rock-music")

    _import(chinook)

    rock.refresh_from_db()
    assert rock.chinook_id == 1
    assert Genre.objects.filter(name="Rock").count() == 1


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        _import(tmp_path / "missing.sqlite")


def test_a_file_that_is_not_sqlite_is_a_clear_error_and_changes_nothing(tmp_path):
    text = tmp_path / "notes.sqlite"
    text.write_text("just some notes, not a database " * 100)

    with pytest.raises(CommandError, match="not an SQLite database"):
        _import(text)
    assert not Genre.objects.exists()


def test_an_sqlite_file_without_chinook_tables_is_a_clear_error(tmp_path):
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as db:
        db.execute("CREATE TABLE Genre (GenreId INTEGER PRIMARY KEY, Name TEXT)")
        db.execute("INSERT INTO Genre VALUES (1, 'Rock')")

    with pytest.raises(CommandError, match="not a Chinook database: no Artist table"):
        _import(other)
    assert not Genre.objects.exists()


def test_a_failure_halfway_rolls_everything_back(chinook, monkeypatch):
    from setlist.catalog import chinook as importer

    def explode(*args, **kwargs):
        raise sqlite3.DatabaseError("disk I/O error")

    monkeypatch.setattr(importer, "_import_songs", explode)

    with pytest.raises(CommandError, match="disk I/O error"):
        _import(chinook)
    assert not Genre.objects.exists()
    assert not Artist.objects.exists()


@pytest.mark.skipif(
    not REAL_CHINOOK.is_file(), reason="the shared Chinook file is not on this machine"
)
def test_the_real_chinook_file(api_client):
    _import(REAL_CHINOOK)

    assert (Genre.objects.count(), Artist.objects.count()) == (25, 275)
    assert (Album.objects.count(), Song.objects.count()) == (347, 3503)
    assert Song.objects.filter(composer="").count() == 977
    body = api_client.get(f"{API}/search/", {"q": "antonio carlos jobim"}).json()
    assert body["artists"][0]["name"] == "Antônio Carlos Jobim"
    assert _import(REAL_CHINOOK).count(" 0 created") == 4
