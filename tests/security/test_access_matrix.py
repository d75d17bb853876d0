"""Role x endpoint matrix (issue #7): every route and method of the URL conf, as each role.

The expected status of every cell is declared once, in `MATRIX` below. A route or method
that the URL conf serves without a declaration fails `test_every_route_and_method_is_declared`,
and a declaration that no longer matches a route fails `test_no_stale_declarations`, so a
new endpoint cannot slip through undeclared. Each cell runs as its own test against a
fresh world (see `world.py` for the roles and what each owns) with a valid body, so the
status says whether the role may make the request.

Rules the numbers follow (API.md): anonymous on a member-only endpoint is 401; an object
the caller may not see (someone else's private playlist, an unpublished album or song
without `catalog.view_unpublished`, another member's session) is 404; an authenticated
caller without the right on a visible object is 403.
"""

import pytest

from .bodies import body_for
from .routes import all_routes, route_methods
from .world import ROLES, VARIANTS, client_for, session_client_for, url_for

pytestmark = pytest.mark.django_db

# fmt: off
# route: {"METHOD [variant]": (anonymous, user, other, editor, staff)}
MATRIX = {
    # Service endpoints
    "/healthz":                                     {"GET":    (200, 200, 200, 200, 200)},
    "/readyz":                                      {"GET":    (200, 200, 200, 200, 200)},
    "/api/schema/":                                 {"GET":    (200, 200, 200, 200, 200)},
    "/api/docs/":                                   {"GET":    (200, 200, 200, 200, 200)},
    "/api/redoc/":                                  {"GET":    (200, 200, 200, 200, 200)},
    # Accounts: credentials come in the body, so every role gets the same answer
    "/api/v1/auth/register/":                       {"POST":   (201, 201, 201, 201, 201)},
    "/api/v1/auth/token/":                          {"POST":   (200, 200, 200, 200, 200)},
    "/api/v1/auth/token/refresh/":                  {"POST":   (200, 200, 200, 200, 200)},
    "/api/v1/auth/token/verify/":                   {"POST":   (200, 200, 200, 200, 200)},
    "/api/v1/auth/logout/":                         {"POST":   (204, 204, 204, 204, 204)},
    "/api/v1/auth/cookie/login/":                   {"POST":   (204, 204, 204, 204, 204)},
    # No role carries the refresh cookie: refreshing without it is 401 for everyone.
    "/api/v1/auth/cookie/refresh/":                 {"POST":   (401, 401, 401, 401, 401)},
    "/api/v1/auth/cookie/logout/":                  {"POST":   (204, 204, 204, 204, 204)},
    "/api/v1/auth/password-reset/":                 {"POST":   (202, 202, 202, 202, 202)},
    "/api/v1/auth/password-reset/confirm/":         {"POST":   (204, 204, 204, 204, 204)},
    "/api/v1/auth/api-token/": {
        "POST":                                                (200, 200, 200, 200, 200),
        "DELETE":                                              (401, 204, 204, 204, 204),
    },
    # Accounts: the caller's own (the session belongs to the world's user)
    "/api/v1/auth/logout-all/":                     {"POST":   (401, 204, 204, 204, 204)},
    "/api/v1/auth/sessions/":                       {"GET":    (401, 200, 200, 200, 200)},
    "/api/v1/auth/sessions/{pk}/":                  {"DELETE": (401, 204, 404, 404, 404)},
    "/api/v1/users/me/": {
        "GET":                                                 (401, 200, 200, 200, 200),
        "PATCH":                                               (401, 200, 200, 200, 200),
        "DELETE":                                              (401, 204, 204, 204, 204),
    },
    "/api/v1/users/me/password/":                   {"POST":   (401, 204, 204, 204, 204)},
    "/api/v1/users/{username}/":                    {"GET":    (200, 200, 200, 200, 200)},
    # Catalog: anyone reads; Editors add and change; staff with the permission delete
    "/api/v1/search/":                              {"GET":    (200, 200, 200, 200, 200)},
    "/api/v1/genres/": {
        "GET":                                                 (200, 200, 200, 200, 200),
        "POST":                                                (401, 403, 403, 201, 201),
    },
    "/api/v1/genres/{slug}/": {
        "GET":                                                 (200, 200, 200, 200, 200),
        "PUT":                                                 (401, 403, 403, 200, 200),
        "PATCH":                                               (401, 403, 403, 200, 200),
        "DELETE":                                              (401, 403, 403, 403, 409),
        "DELETE unused":                                       (401, 403, 403, 403, 204),
    },
    "/api/v1/artists/": {
        "GET":                                                 (200, 200, 200, 200, 200),
        "POST":                                                (401, 403, 403, 201, 201),
    },
    "/api/v1/artists/{pk}/": {
        "GET":                                                 (200, 200, 200, 200, 200),
        "PUT":                                                 (401, 403, 403, 200, 200),
        "PATCH":                                               (401, 403, 403, 200, 200),
        "DELETE":                                              (401, 403, 403, 403, 409),
        "DELETE cascade":                                      (401, 403, 403, 403, 204),
    },
    "/api/v1/albums/": {
        "GET":                                                 (200, 200, 200, 200, 200),
        "POST":                                                (401, 403, 403, 201, 201),
    },
    "/api/v1/albums/{pk}/": {
        "GET":                                                 (200, 200, 200, 200, 200),
        "GET unpublished":                                     (404, 404, 404, 200, 200),
        "PUT":                                                 (401, 403, 403, 200, 200),
        "PUT unpublished":                                     (401, 403, 403, 200, 200),
        "PATCH":                                               (401, 403, 403, 200, 200),
        "PATCH unpublished":                                   (401, 403, 403, 200, 200),
        "DELETE":                                              (401, 403, 403, 403, 409),
        "DELETE cascade":                                      (401, 403, 403, 403, 204),
    },
    "/api/v1/albums/{pk}/publish/":                 {"POST unpublished": (401, 403, 403, 200, 200)},
    "/api/v1/albums/{pk}/unpublish/":               {"POST":   (401, 403, 403, 200, 200)},
    "/api/v1/songs/": {
        "GET":                                                 (200, 200, 200, 200, 200),
        "POST":                                                (401, 403, 403, 201, 201),
    },
    "/api/v1/songs/{pk}/": {
        "GET":                                                 (200, 200, 200, 200, 200),
        "GET unpublished":                                     (404, 404, 404, 200, 200),
        "PUT":                                                 (401, 403, 403, 200, 200),
        "PATCH":                                               (401, 403, 403, 200, 200),
        "PATCH unpublished":                                   (401, 403, 403, 200, 200),
        "DELETE":                                              (401, 403, 403, 403, 204),
    },
    # Library: likes (the world's user already likes the song, its album and artist)
    "/api/v1/me/likes/":                            {"GET":    (401, 200, 200, 200, 200)},
    "/api/v1/me/likes/contains/":                   {"GET":    (401, 200, 200, 200, 200)},
    "/api/v1/me/likes/{song_id}/": {
        "PUT":                                                 (401, 200, 201, 201, 201),
        "PUT unpublished":                                     (401, 404, 404, 201, 201),
        "DELETE":                                              (401, 204, 204, 204, 204),
    },
    "/api/v1/me/liked-albums/":                     {"GET":    (401, 200, 200, 200, 200)},
    "/api/v1/me/liked-albums/{album_id}/": {
        "PUT":                                                 (401, 200, 201, 201, 201),
        "PUT unpublished":                                     (401, 404, 404, 201, 201),
        "DELETE":                                              (401, 204, 204, 204, 204),
    },
    "/api/v1/me/liked-artists/":                    {"GET":    (401, 200, 200, 200, 200)},
    "/api/v1/me/liked-artists/{artist_id}/": {
        "PUT":                                                 (401, 200, 201, 201, 201),
        "DELETE":                                              (401, 204, 204, 204, 204),
    },
    # Library: listening
    "/api/v1/songs/{song_id}/plays/": {
        "POST":                                                (201, 201, 201, 201, 201),
        "POST unpublished":                                    (404, 404, 404, 201, 201),
    },
    "/api/v1/me/history/":                          {"GET":    (401, 200, 200, 200, 200)},
    "/api/v1/me/stats/":                            {"GET":    (401, 200, 200, 200, 200)},
    # Library: playlists (the world's user owns both; for others private is 404 and
    # public is read-only)
    "/api/v1/playlists/": {
        "GET":                                                 (200, 200, 200, 200, 200),
        "POST":                                                (401, 201, 201, 201, 201),
    },
    "/api/v1/playlists/{playlist_id}/": {
        "GET private":                                         (404, 200, 404, 404, 404),
        "GET public":                                          (200, 200, 200, 200, 200),
        "PUT private":                                         (401, 200, 404, 404, 404),
        "PUT public":                                          (401, 200, 403, 403, 403),
        "PATCH private":                                       (401, 200, 404, 404, 404),
        "PATCH public":                                        (401, 200, 403, 403, 403),
        "DELETE private":                                      (401, 204, 404, 404, 404),
        "DELETE public":                                       (401, 204, 403, 403, 403),
    },
    "/api/v1/playlists/{playlist_id}/songs/": {
        "GET private":                                         (404, 200, 404, 404, 404),
        "GET public":                                          (200, 200, 200, 200, 200),
        "POST private":                                        (401, 201, 404, 404, 404),
        "POST public":                                         (401, 201, 403, 403, 403),
    },
    "/api/v1/playlists/{playlist_id}/songs/move/": {
        "POST private":                                        (401, 200, 404, 404, 404),
        "POST public":                                         (401, 200, 403, 403, 403),
    },
    "/api/v1/playlists/{playlist_id}/songs/{position}/": {
        "DELETE private":                                      (401, 204, 404, 404, 404),
        "DELETE public":                                       (401, 204, 403, 403, 403),
    },
    "/api/v1/playlists/{playlist_id}/export.m3u": {
        "GET private":                                         (404, 200, 404, 404, 404),
        "GET public":                                          (200, 200, 200, 200, 200),
    },
    # Journal: members write; the author (or staff) edits and deletes
    "/api/v1/posts/": {
        "GET":                                                 (200, 200, 200, 200, 200),
        "POST":                                                (401, 201, 201, 201, 201),
    },
    "/api/v1/posts/{slug}/": {
        "GET":                                                 (200, 200, 200, 200, 200),
        "PUT":                                                 (401, 200, 403, 403, 200),
        "PATCH":                                               (401, 200, 403, 403, 200),
        "DELETE":                                              (401, 204, 403, 403, 204),
    },
    "/api/v1/posts/{slug}/comments/": {
        "GET":                                                 (200, 200, 200, 200, 200),
        "POST":                                                (401, 201, 201, 201, 201),
    },
    # A comment goes at the hand of its author, the post's author or staff.
    "/api/v1/posts/{slug}/comments/{comment_id}/": {
        "DELETE":                                              (401, 204, 403, 403, 204),
        "DELETE others-comment":                               (401, 204, 204, 403, 204),
    },
    "/api/v1/posts/{slug}/favorite/": {
        "PUT":                                                 (401, 200, 200, 200, 200),
        "DELETE":                                              (401, 204, 204, 204, 204),
    },
    "/api/v1/feed/":                                {"GET":    (401, 200, 200, 200, 200)},
    # Following the world's user, which the user itself cannot do (400).
    "/api/v1/users/{username}/follow/": {
        "PUT":                                                 (401, 400, 200, 200, 200),
        "DELETE":                                              (401, 204, 204, 204, 204),
    },
    "/api/v1/tags/":                                {"GET":    (200, 200, 200, 200, 200)},
    # Conduit (RealWorld): the same rules in RealWorld's codes (422 for invalid input)
    "/conduit/api/users":                           {"POST":   (201, 201, 201, 201, 201)},
    "/conduit/api/users/login":                     {"POST":   (200, 200, 200, 200, 200)},
    "/conduit/api/user": {
        "GET":                                                 (401, 200, 200, 200, 200),
        "PUT":                                                 (401, 200, 200, 200, 200),
    },
    "/conduit/api/profiles/{username}":             {"GET":    (200, 200, 200, 200, 200)},
    "/conduit/api/profiles/{username}/follow": {
        "POST":                                                (401, 422, 200, 200, 200),
        "DELETE":                                              (401, 200, 200, 200, 200),
    },
    "/conduit/api/articles": {
        "GET":                                                 (200, 200, 200, 200, 200),
        "POST":                                                (401, 201, 201, 201, 201),
    },
    "/conduit/api/articles/feed":                   {"GET":    (401, 200, 200, 200, 200)},
    "/conduit/api/articles/{slug}": {
        "GET":                                                 (200, 200, 200, 200, 200),
        "PUT":                                                 (401, 200, 403, 403, 200),
        "DELETE":                                              (401, 204, 403, 403, 204),
    },
    "/conduit/api/articles/{slug}/comments": {
        "GET":                                                 (200, 200, 200, 200, 200),
        "POST":                                                (401, 201, 201, 201, 201),
    },
    "/conduit/api/articles/{slug}/comments/{comment_id}": {
        "DELETE":                                              (401, 204, 403, 403, 204),
        "DELETE others-comment":                               (401, 204, 204, 403, 204),
    },
    "/conduit/api/articles/{slug}/favorite": {
        "POST":                                                (401, 200, 200, 200, 200),
        "DELETE":                                              (401, 200, 200, 200, 200),
    },
    "/conduit/api/tags":                            {"GET":    (200, 200, 200, 200, 200)},
    # Conduit's catch-all: every other path under the prefix is RealWorld's 404.
    "/conduit/api/":                                {"GET":    (404, 404, 404, 404, 404)},
}

# Groups declared with one rule each, sent with a Django session (how browsers use them).
# Every route under the prefix counts as declared. The admin lets staff in and applies
# model permissions inside: this staff holds catalog rights but none on accounts.
# prefix        method  concrete URL                     anon user other editor staff
GROUPS = [
    ("/admin/",     "GET", "/admin/",                        302, 302, 302, 302, 200),
    ("/admin/",     "GET", "/admin/catalog/album/",          302, 302, 302, 302, 200),
    ("/admin/",     "GET", "/admin/accounts/user/",          302, 302, 302, 302, 403),
    ("/api-auth/",  "GET", "/api-auth/login/",               200, 200, 200, 200, 200),
]
# fmt: on


def matrix_rows() -> list[tuple[str, str, str, tuple[int, ...]]]:
    """MATRIX flattened: (method, template, variant, statuses), in declaration order."""
    rows = []
    for template, cells in MATRIX.items():
        for key, statuses in cells.items():
            method, _, variant = key.partition(" ")
            rows.append((method, template, variant, statuses))
    return rows


def _cells() -> list:
    cells = []
    for method, template, variant, statuses in matrix_rows():
        for role, status in zip(ROLES, statuses, strict=True):
            label = f"{method} {template}{f' [{variant}]' if variant else ''} as {role}"
            cells.append(pytest.param(method, template, variant, role, status, id=label))
    return cells


def _group_cells() -> list:
    return [
        pytest.param(prefix, method, url, role, status, id=f"{method} {url} as {role}")
        for prefix, method, url, *statuses in GROUPS
        for role, status in zip(ROLES, statuses, strict=True)
    ]


def _declared() -> set[tuple[str, str]]:
    return {(method, template) for method, template, *_ in matrix_rows()}


def _group_prefixes() -> set[str]:
    return {prefix for prefix, *_ in GROUPS}


def in_group(template: str) -> bool:
    return any(template.startswith(prefix) for prefix in _group_prefixes())


def _served() -> set[tuple[str, str]]:
    return {(method, template) for method, template in route_methods() if not in_group(template)}


def send(client, method: str, url: str, body):
    if body is None:
        return client.generic(method, url)
    return getattr(client, method.lower())(url, body, format="json")


@pytest.mark.parametrize(("method", "template", "variant", "role", "expected"), _cells())
def test_role_gets_declared_status(world, method, template, variant, role, expected):
    url = url_for(template, world, variant)

    response = send(client_for(role, world), method, url, body_for(method, template, world))

    assert response.status_code == expected, response.content[:500]
    if expected == 401:  # API.md: a challenge in the API's scheme, never a bare 401
        scheme = "Token" if template.startswith("/conduit/") else "Bearer"
        assert response.headers["WWW-Authenticate"].startswith(scheme)
    if expected >= 400 and template.startswith("/api/"):  # one error shape everywhere
        assert set(response.json()) == {"type", "errors"}


@pytest.mark.parametrize(("prefix", "method", "url", "role", "expected"), _group_cells())
def test_group_route_gets_declared_status(world, prefix, method, url, role, expected):
    assert url.startswith(prefix)

    response = session_client_for(role, world).generic(method, url)

    assert response.status_code == expected


def test_every_route_and_method_is_declared():
    undeclared = sorted(_served() - _declared())

    assert not undeclared, f"routes without an access declaration in MATRIX: {undeclared}"


def test_no_stale_declarations():
    templates = {route.template for route in all_routes()}

    stale = sorted(_declared() - route_methods())
    stale_groups = sorted(
        prefix for prefix in _group_prefixes() if not any(t.startswith(prefix) for t in templates)
    )

    assert not stale, f"declarations that match no route and method: {stale}"
    assert not stale_groups, f"groups that match no route: {stale_groups}"


def test_every_declaration_is_well_formed():
    # Duplicate keys in the MATRIX literal are caught by ruff (F601) before this runs.
    for method, template, variant, statuses in matrix_rows():
        assert method in ("GET", "POST", "PUT", "PATCH", "DELETE"), (template, method)
        assert variant in VARIANTS, (template, variant)
        assert len(statuses) == len(ROLES), (template, method, variant)
    for prefix, method, url, *statuses in GROUPS:
        assert method == "GET", url
        assert url.startswith(prefix)
        assert len(statuses) == len(ROLES), url


def test_cells_checked_cover_every_route_method_and_role(capsys):
    rows = matrix_rows()
    cells = (len(rows) + len(GROUPS)) * len(ROLES)

    assert _declared() == _served()
    assert len(_cells()) + len(_group_cells()) == cells
    with capsys.disabled():
        print(
            f"\naccess matrix: {len(_served())} (route, method) pairs + {len(GROUPS)} admin/"
            f"api-auth group rules, {len(rows)} declared rows, {len(ROLES)} roles: "
            f"cells checked {cells}"
        )
