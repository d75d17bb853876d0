"""A minimal valid body for every write (and for the DELETEs that take one).

With a valid body the status of a request says whether the caller may make it, not
whether the input was good. Keyed by (method, route template); each value takes the world.
Routes absent here send no body (PUT/DELETE of likes, favourites, follows, publish...).
"""

from setlist.accounts.tests.factories import DEFAULT_PASSWORD

NEW_PASSWORD = "brand-new-Passphrase-42"
# Conduit wraps every body in one key (`{"user": {...}}`, `{"article": {...}}`).
CONDUIT_WRAPPERS = {"user", "article", "comment"}


def _credentials(world) -> dict:
    return {"username": world.owner.username, "password": DEFAULT_PASSWORD}


VALID_BODIES = {
    # Accounts
    ("POST", "/api/v1/auth/register/"): lambda w: {
        "username": "newcomer",
        "email": "newcomer@example.com",
        "password": NEW_PASSWORD,
    },
    ("POST", "/api/v1/auth/token/"): _credentials,
    ("POST", "/api/v1/auth/token/refresh/"): lambda w: {"refresh": w.owner_pair["refresh"]},
    ("POST", "/api/v1/auth/token/verify/"): lambda w: {"token": w.owner_pair["access"]},
    ("POST", "/api/v1/auth/logout/"): lambda w: {"refresh": w.owner_pair["refresh"]},
    ("POST", "/api/v1/auth/api-token/"): _credentials,
    ("POST", "/api/v1/auth/cookie/login/"): _credentials,
    ("POST", "/api/v1/auth/password-reset/"): lambda w: {"email": w.owner.email},
    ("POST", "/api/v1/auth/password-reset/confirm/"): lambda w: {
        **w.reset_link(),
        "new_password": NEW_PASSWORD,
    },
    ("PATCH", "/api/v1/users/me/"): lambda w: {"bio": "A new bio"},
    ("DELETE", "/api/v1/users/me/"): lambda w: {"current_password": DEFAULT_PASSWORD},
    ("POST", "/api/v1/users/me/password/"): lambda w: {
        "current_password": DEFAULT_PASSWORD,
        "new_password": NEW_PASSWORD,
    },
    # Catalog
    ("POST", "/api/v1/genres/"): lambda w: {"name": "Jazz", "slug": "jazz"},
    ("PUT", "/api/v1/genres/{slug}/"): lambda w: {"name": "Hard Rock", "slug": "hard-rock"},
    ("PATCH", "/api/v1/genres/{slug}/"): lambda w: {"name": "Hard Rock"},
    ("POST", "/api/v1/artists/"): lambda w: {"name": "New Artist"},
    ("PUT", "/api/v1/artists/{pk}/"): lambda w: {"name": "Renamed Artist"},
    ("PATCH", "/api/v1/artists/{pk}/"): lambda w: {"name": "Renamed Artist"},
    ("POST", "/api/v1/albums/"): lambda w: {"title": "New Album", "artist_id": w.artist.pk},
    ("PUT", "/api/v1/albums/{pk}/"): lambda w: {"title": "Renamed", "artist_id": w.artist.pk},
    ("PATCH", "/api/v1/albums/{pk}/"): lambda w: {"title": "Renamed"},
    ("POST", "/api/v1/songs/"): lambda w: {
        "title": "New Song",
        "album_id": w.album.pk,
        "duration_ms": 200_000,
    },
    ("PUT", "/api/v1/songs/{pk}/"): lambda w: {
        "title": "Renamed Song",
        "album_id": w.album.pk,
        "duration_ms": 200_000,
    },
    ("PATCH", "/api/v1/songs/{pk}/"): lambda w: {"title": "Renamed Song"},
    # Library
    ("POST", "/api/v1/playlists/"): lambda w: {"name": "New mix"},
    ("PUT", "/api/v1/playlists/{playlist_id}/"): lambda w: {"name": "Renamed mix"},
    ("PATCH", "/api/v1/playlists/{playlist_id}/"): lambda w: {"name": "Renamed mix"},
    ("POST", "/api/v1/playlists/{playlist_id}/songs/"): lambda w: {"song_id": w.song.pk},
    ("POST", "/api/v1/playlists/{playlist_id}/songs/move/"): lambda w: {
        "from_position": 0,
        "to_position": 1,
    },
    # Journal
    ("POST", "/api/v1/posts/"): lambda w: {
        "title": "A new post",
        "description": "About it",
        "body": "The body.",
    },
    ("PUT", "/api/v1/posts/{slug}/"): lambda w: {
        "title": "Owner's post, edited",
        "description": "Edited",
        "body": "The edited body.",
    },
    ("PATCH", "/api/v1/posts/{slug}/"): lambda w: {"body": "The edited body."},
    ("POST", "/api/v1/posts/{slug}/comments/"): lambda w: {"body": "A new comment"},
    # Conduit
    ("POST", "/conduit/api/users"): lambda w: {
        "user": {"username": "newcomer", "email": "newcomer@example.com", "password": NEW_PASSWORD}
    },
    ("POST", "/conduit/api/users/login"): lambda w: {
        "user": {"email": w.owner.email, "password": DEFAULT_PASSWORD}
    },
    ("PUT", "/conduit/api/user"): lambda w: {"user": {"bio": "A new bio"}},
    ("POST", "/conduit/api/articles"): lambda w: {
        "article": {"title": "A new article", "description": "About it", "body": "The body."}
    },
    ("PUT", "/conduit/api/articles/{slug}"): lambda w: {"article": {"body": "The edited body."}},
    ("POST", "/conduit/api/articles/{slug}/comments"): lambda w: {
        "comment": {"body": "A new comment"}
    },
}


def body_for(method: str, template: str, world):
    """The valid body of this request, or None when it takes none."""
    make = VALID_BODIES.get((method, template))
    return make(world) if make else None
