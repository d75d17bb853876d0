"""Small helpers shared by the catalog tests."""

API = "/api/v1"
# Every kind of catalog read (paths under API): the lists, and the details of the `song`
# fixture (conftest.py).
LIST_READS = ["genres/", "artists/", "albums/", "songs/", "search/?q=song"]


def detail_reads(song) -> list[str]:
    return [
        "genres/jazz/",
        f"artists/{song.album.artist_id}/",
        f"albums/{song.album_id}/",
        f"songs/{song.id}/",
    ]


def results(response) -> list[dict]:
    """The items of a list response (paginated or not)."""
    assert response.status_code == 200, response.content
    body = response.json()
    return body["results"] if isinstance(body, dict) else body


def ids(response) -> list[int]:
    return [item["id"] for item in results(response)]


def error_attrs(response) -> set:
    """The `attr` of every error in a drf-standardized-errors body."""
    return {error["attr"] for error in response.json()["errors"]}
