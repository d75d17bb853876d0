"""HEAD and OPTIONS on every route, as every role: the methods the matrix leaves out.

HEAD must answer exactly as the declared GET of the same cell does (and be refused where
the route serves no GET). OPTIONS is DRF's metadata: 200, or the view's own refusal (401 to
anonymous callers of member-only views, 403 without the permission), never a server error.
Routes come from the same URL-conf walk, so a new route is covered as soon as it exists.
"""

import pytest
from django.core.cache import cache

from .routes import all_routes
from .test_access_matrix import in_group, matrix_rows
from .world import ROLES, client_for, url_for

pytestmark = pytest.mark.django_db

# Plain pages that serve GET and HEAD only: OPTIONS is 405 (the probes use `require_safe`;
# the docs pages refuse it because drf-spectacular's Swagger view rendered it as a 500).
GET_AND_HEAD_ONLY = {"/healthz", "/readyz", "/api/docs/", "/api/redoc/"}


def _get_rows() -> dict[str, tuple[str, tuple[int, ...]]]:
    """The first declared GET row of each route (its variant and statuses)."""
    rows = {}
    for method, template, variant, statuses in matrix_rows():
        if method == "GET" and template not in rows:
            rows[template] = (variant, statuses)
    return rows


GET_ROWS = _get_rows()
ROUTES = [route for route in all_routes() if not in_group(route.template)]


def _answers(client, method: str, url: str) -> int:
    cache.clear()  # each request starts with fresh throttle counters
    client.raise_request_exception = False  # a crash is a 500 to report, not a test error
    return client.generic(method, url).status_code


@pytest.mark.parametrize("route", ROUTES, ids=[route.template for route in ROUTES])
def test_head_answers_as_get(world, route):
    variant, statuses = GET_ROWS.get(route.template, ("", None))
    url = url_for(route.template, world, variant)

    got = {role: _answers(client_for(role, world), "HEAD", url) for role in ROLES}

    if statuses is None:
        # No GET here: refused, by authentication or permission first (DRF checks them
        # before the method) or as not allowed.
        assert got.pop("anonymous") in (401, 405)
        assert set(got.values()) <= {403, 405}, got
    else:
        assert got == dict(zip(ROLES, statuses, strict=True))


@pytest.mark.parametrize("route", ROUTES, ids=[route.template for route in ROUTES])
def test_options_never_fails(world, route):
    variant = GET_ROWS.get(route.template, ("",))[0]
    url = url_for(route.template, world, variant)

    got = {role: _answers(client_for(role, world), "OPTIONS", url) for role in ROLES}

    if route.view.endswith("UnknownPathView"):
        assert set(got.values()) == {404}  # Conduit's catch-all: 404 for any method
    elif route.template in GET_AND_HEAD_ONLY:
        assert set(got.values()) == {405}
    else:
        # Metadata, or the view's own refusal (anonymous on member-only views, plain
        # members on publish), which DRF applies to OPTIONS too.
        assert got.pop("anonymous") in (200, 401)
        assert set(got.values()) <= {200, 403}, got


def test_get_and_head_only_pages_are_still_routes():
    """An entry for a route that is gone must be removed."""
    templates = {route.template for route in ROUTES}

    assert templates >= GET_AND_HEAD_ONLY


def test_options_describes_playlist_writes_to_the_owner_only(world):
    url = url_for("/api/v1/playlists/{playlist_id}/", world, "public")

    owner = client_for("user", world).options(url)
    other = client_for("other", world).options(url)

    assert owner.status_code == other.status_code == 200
    assert set(owner.json()["actions"]) == {"PUT"}
    assert "actions" not in other.json()
