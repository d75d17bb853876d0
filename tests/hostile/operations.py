"""The API's operations, walked from its OpenAPI schema, and a valid request for each.

drf-spectacular builds the schema by walking the URL conf, so every route a client can
reach is here with its method, path template, accepted media types, request fields and
query parameters. The hostile tests mutate the valid requests declared below; a test
checks that the declarations and the schema name the same operations, so a new write
endpoint cannot escape the hostile suite unnoticed.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace
from typing import Any

from drf_spectacular.generators import SchemaGenerator

from setlist.accounts.tests.factories import DEFAULT_PASSWORD

WRITE_METHODS = ("post", "put", "patch", "delete")
NEW_PASSWORD = "Another-long-passw0rd-42"


@cache
def openapi_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def resolve(node: dict) -> dict:
    """Follow `$ref`s (and drf-spectacular's single-item `allOf`) to the schema itself."""
    while True:
        if "$ref" in node:
            node = openapi_schema()["components"]["schemas"][node["$ref"].rsplit("/", 1)[1]]
        elif "allOf" in node and len(node["allOf"]) == 1:
            node = node["allOf"][0]
        else:
            return node


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    media_types: tuple[str, ...]
    spec: Any  # the schema's operation object (a dict; kept out of eq/hash below)

    def __hash__(self) -> int:
        return hash((self.method, self.path))

    def __eq__(self, other) -> bool:
        return (self.method, self.path) == (other.method, other.path)

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.path}"

    def request_schema(self) -> dict:
        content = (self.spec.get("requestBody") or {}).get("content", {})
        return resolve(content["application/json"]["schema"]) if content else {}

    def query_parameters(self) -> list[str]:
        return [p["name"] for p in self.spec.get("parameters", []) if p["in"] == "query"]

    def is_paginated_list(self) -> bool:
        ok = self.spec.get("responses", {}).get("200", {})
        schema = ok.get("content", {}).get("application/json", {}).get("schema", {})
        return self.method == "get" and "results" in resolve(schema).get("properties", {})


def operations() -> Iterator[Operation]:
    for path, methods in openapi_schema()["paths"].items():
        for method, spec in methods.items():
            content = (spec.get("requestBody") or {}).get("content", {})
            yield Operation(method, path, spec["operationId"], tuple(content), spec)


def write_operations() -> list[Operation]:
    return [op for op in operations() if op.method in WRITE_METHODS]


def get_operations() -> list[Operation]:
    return [op for op in operations() if op.method == "get"]


def field_schema(op: Operation, path: tuple) -> dict:
    """The schema of the request field at `path` (keys; list indexes step into items)."""
    node = op.request_schema()
    if not node:
        return {}  # a body the schema does not show (DELETE /users/me/)
    for step in path:
        node = resolve(node.get("items", {}) if isinstance(step, int) else node["properties"][step])
    return node


def concrete_path(template: str, world: SimpleNamespace) -> str:
    """Fill each `{param}` from the world, chosen by the collection segment before it."""
    segments = template.split("/")
    for index, segment in enumerate(segments):
        if segment.startswith("{"):
            segments[index] = str(_param_value(segments[index - 1], segment[1:-1], world))
    return "/".join(segments)


def _param_value(collection: str, name: str, world: SimpleNamespace) -> Any:
    if name == "position":
        return 0
    return {
        "albums": world.album.pk,
        "liked-albums": world.album.pk,
        "artists": world.artist.pk,
        "liked-artists": world.artist.pk,
        "songs": world.song.pk,
        "likes": world.song.pk,
        "genres": world.genre.slug,
        "playlists": world.playlist.pk,
        "posts": world.post.slug,
        "articles": world.post.slug,
        "comments": world.comment.pk,
        "users": world.other.username,
        "profiles": world.other.username,
        "sessions": world.session_id,
    }[collection]


def _album(w):
    return {"title": "Hostile sessions", "artist_id": w.artist.pk, "release_date": "2001-02-03"}


def _song(w):
    return {
        "title": "Hostile song",
        "album_id": w.album.pk,
        "track_number": 9,
        "duration_ms": 1000,
        "composer": "Somebody",
        "genre_slug": w.genre.slug,
    }


def _playlist(w):
    return {"name": "Road trip", "description": "Loud.", "is_public": True}


def _post(w):
    return {
        "title": "A new post",
        "description": "About it",
        "body": "Body *text*",
        "tags": ["rock"],
    }


def _credentials(w):
    return {"username": w.admin.username, "password": DEFAULT_PASSWORD}


def _conduit_user(w):
    return {
        "user": {
            "username": "newcomer",
            "email": "newcomer@example.com",
            "password": NEW_PASSWORD,
            "bio": "Hi",
            "image": "https://example.com/me.png",
        }
    }


# A request each operation accepts (2xx), by operationId. Operations without a request
# body map to None. DELETE /users/me/ reads `current_password` although the schema does
# not show a body for DELETE.
VALID_BODIES: dict[str, Callable[[SimpleNamespace], dict] | None] = {
    "albums_create": _album,
    "albums_update": _album,
    "albums_partial_update": _album,
    "albums_destroy": None,
    "albums_publish_create": None,
    "albums_unpublish_create": None,
    "artists_create": lambda w: {"name": "New artist"},
    "artists_update": lambda w: {"name": "New artist"},
    "artists_partial_update": lambda w: {"name": "New artist"},
    "artists_destroy": None,
    "auth_api_token_create": _credentials,
    "auth_api_token_destroy": None,
    "auth_cookie_login_create": _credentials,
    "auth_cookie_logout_create": None,
    "auth_cookie_refresh_create": None,
    "auth_logout_create": lambda w: {"refresh": w.refresh},
    "auth_logout_all_create": None,
    "auth_password_reset_create": lambda w: {"email": w.admin.email},
    "auth_password_reset_confirm_create": lambda w: {
        "uid": w.reset_uid,
        "token": w.reset_token,
        "new_password": NEW_PASSWORD,
    },
    "auth_register_create": lambda w: {
        "username": "newcomer",
        "email": "newcomer@example.com",
        "password": NEW_PASSWORD,
    },
    "auth_sessions_destroy": None,
    "auth_token_create": _credentials,
    "auth_token_refresh_create": lambda w: {"refresh": w.refresh},
    "auth_token_verify_create": lambda w: {"token": w.access},
    "genres_create": lambda w: {"name": "New genre", "slug": "new-genre"},
    "genres_update": lambda w: {"name": "New genre", "slug": "new-genre"},
    "genres_partial_update": lambda w: {"name": "New genre", "slug": "new-genre"},
    "genres_destroy": None,
    "me_liked_albums_update": None,
    "me_liked_albums_destroy": None,
    "me_liked_artists_update": None,
    "me_liked_artists_destroy": None,
    "me_likes_update": None,
    "me_likes_destroy": None,
    "playlists_create": _playlist,
    "playlists_update": _playlist,
    "playlists_partial_update": _playlist,
    "playlists_destroy": None,
    "playlists_songs_create": lambda w: {"song_id": w.song.pk, "position": 0},
    "playlists_songs_destroy": None,
    "playlists_songs_move_create": lambda w: {"from_position": 0, "to_position": 1},
    "posts_create": _post,
    "posts_update": _post,
    "posts_partial_update": _post,
    "posts_destroy": None,
    "posts_comments_create": lambda w: {"body": "Nice one"},
    "posts_comments_destroy": None,
    "posts_favorite_update": None,
    "posts_favorite_destroy": None,
    "songs_create": _song,
    "songs_update": _song,
    "songs_partial_update": _song,
    "songs_destroy": None,
    "songs_plays_create": None,
    "users_follow_update": None,
    "users_follow_destroy": None,
    "users_me_partial_update": lambda w: {
        "email": "curator@example.org",
        "first_name": "Cu",
        "last_name": "Rator",
        "bio": "Listens a lot",
        "image": "https://example.com/me.png",
    },
    "users_me_destroy": lambda w: {"current_password": DEFAULT_PASSWORD},
    "users_me_password_create": lambda w: {
        "current_password": DEFAULT_PASSWORD,
        "new_password": NEW_PASSWORD,
    },
    "CreateArticle": lambda w: {
        "article": {
            "title": "A new article",
            "description": "About it",
            "body": "Body *text*",
            "tagList": ["rock"],
        }
    },
    "UpdateArticle": lambda w: {
        "article": {"title": "A new title", "description": "About", "body": "Body"}
    },
    "DeleteArticle": None,
    "CreateArticleComment": lambda w: {"comment": {"body": "Nice one"}},
    "DeleteArticleComment": None,
    "CreateArticleFavorite": None,
    "DeleteArticleFavorite": None,
    "FollowUserByUsername": None,
    "UnfollowUserByUsername": None,
    "UpdateCurrentUser": lambda w: {
        "user": {
            "email": "curator@example.org",
            "username": "curator2",
            "password": NEW_PASSWORD,
            "bio": "Listens",
            "image": "https://example.com/me.png",
        }
    },
    "CreateUser": _conduit_user,
    "Login": lambda w: {"user": {"email": w.admin.email, "password": DEFAULT_PASSWORD}},
}


def valid_body(op: Operation, world: SimpleNamespace) -> dict | None:
    factory = VALID_BODIES[op.operation_id]
    return factory(world) if factory else None


def leaves(value: Any, path: tuple = ()) -> Iterator[tuple[tuple, Any]]:
    """Every scalar in a JSON document with the path that reaches it."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path, value


def replaced(document: Any, path: tuple, value: Any) -> Any:
    """A copy of `document` with the value at `path` replaced."""
    if not path:
        return value
    head, rest = path[0], path[1:]
    if isinstance(document, list):
        return [
            replaced(item, rest, value) if i == head else item for i, item in enumerate(document)
        ]
    return {
        key: replaced(item, rest, value) if key == head else item for key, item in document.items()
    }


def dig(document: Any, path: tuple) -> Any:
    """The value at `path`, or KeyError."""
    for step in path:
        if isinstance(document, list | dict):
            document = document[step]
        else:
            raise KeyError(step)
    return document
