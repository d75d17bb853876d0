"""Mass assignment (issue #7): protected fields sent with a valid body are ignored or refused.

Every write (POST, PUT, PATCH) of the native API and of Conduit is declared once in
`WRITES`: who makes it (a role allowed to), on which variant of the world, and the status
it must get with a valid body plus every protected field (`traces.protected_fields`:
ids, privileges, owners and authors, counters, versions, timestamps, server-made slugs,
passwords, groups). Afterwards no sentinel value may be anywhere in the database or the
response, no privilege, publication or ownership may have changed, and every row the
request created must belong to the caller. The write routes come from the URL-conf walk,
so a new one fails `test_every_write_route_is_declared` until it is declared here.
"""

import pytest
from django.conf import settings

from .bodies import CONDUIT_WRAPPERS, body_for
from .routes import WRITE_METHODS, route_methods
from .traces import DatabaseState, protected_fields, response_traces, sentinel_traces
from .world import client_for, url_for

pytestmark = pytest.mark.django_db

API_PREFIXES = ("/api/v1/", "/conduit/api/")
PASSWORD = frozenset({"password"})  # the endpoint's own credential or new password
NONE = frozenset()
COOKIE = "refresh-cookie"  # the client carries the world's user's refresh cookie

# fmt: off
# (method, route): (actor, variant, status with the hostile body, fields that are its own)
WRITES = {
    # Accounts
    ("POST", "/api/v1/auth/register/"):                   ("anonymous", "", 201, PASSWORD),
    ("POST", "/api/v1/auth/token/"):                      ("user", "", 200, PASSWORD),
    ("POST", "/api/v1/auth/token/refresh/"):              ("user", "", 200, NONE),
    ("POST", "/api/v1/auth/token/verify/"):               ("user", "", 200, NONE),
    ("POST", "/api/v1/auth/logout/"):                     ("user", "", 204, NONE),
    ("POST", "/api/v1/auth/logout-all/"):                 ("user", "", 204, NONE),
    ("POST", "/api/v1/auth/api-token/"):                  ("user", "", 200, PASSWORD),
    ("POST", "/api/v1/auth/cookie/login/"):               ("user", "", 204, PASSWORD),
    ("POST", "/api/v1/auth/cookie/refresh/"):             ("user", COOKIE, 204, NONE),
    ("POST", "/api/v1/auth/cookie/logout/"):              ("user", COOKIE, 204, NONE),
    ("POST", "/api/v1/auth/password-reset/"):             ("anonymous", "", 202, NONE),
    ("POST", "/api/v1/auth/password-reset/confirm/"):     ("anonymous", "", 204, NONE),
    ("PATCH", "/api/v1/users/me/"):                       ("user", "", 200, NONE),
    ("POST", "/api/v1/users/me/password/"):               ("user", "", 204, NONE),
    # Catalog (a genre's slug is the client's; every other slug and id is the server's)
    ("POST", "/api/v1/genres/"):                          ("editor", "", 201, {"slug"}),
    ("PUT", "/api/v1/genres/{slug}/"):                    ("editor", "", 200, {"slug"}),
    ("PATCH", "/api/v1/genres/{slug}/"):                  ("editor", "", 200, {"slug"}),
    ("POST", "/api/v1/artists/"):                         ("editor", "", 201, NONE),
    ("PUT", "/api/v1/artists/{pk}/"):                     ("editor", "", 200, NONE),
    ("PATCH", "/api/v1/artists/{pk}/"):                   ("editor", "", 200, NONE),
    ("POST", "/api/v1/albums/"):                          ("editor", "", 201, NONE),
    ("PUT", "/api/v1/albums/{pk}/"):                      ("editor", "unpublished", 200, NONE),
    ("PATCH", "/api/v1/albums/{pk}/"):                    ("editor", "unpublished", 200, NONE),
    # Publishing what is published and hiding what is hidden: nothing may change.
    ("POST", "/api/v1/albums/{pk}/publish/"):             ("editor", "", 200, NONE),
    ("POST", "/api/v1/albums/{pk}/unpublish/"):           ("editor", "unpublished", 200, NONE),
    ("POST", "/api/v1/songs/"):                           ("editor", "", 201, NONE),
    ("PUT", "/api/v1/songs/{pk}/"):                       ("editor", "", 200, NONE),
    ("PATCH", "/api/v1/songs/{pk}/"):                     ("editor", "", 200, NONE),
    # Library
    ("PUT", "/api/v1/me/likes/{song_id}/"):               ("other", "", 201, NONE),
    ("PUT", "/api/v1/me/liked-albums/{album_id}/"):       ("other", "", 201, NONE),
    ("PUT", "/api/v1/me/liked-artists/{artist_id}/"):     ("other", "", 201, NONE),
    ("POST", "/api/v1/songs/{song_id}/plays/"):           ("other", "", 201, NONE),
    ("POST", "/api/v1/playlists/"):                       ("user", "", 201, NONE),
    ("PUT", "/api/v1/playlists/{playlist_id}/"):          ("user", "private", 200, NONE),
    ("PATCH", "/api/v1/playlists/{playlist_id}/"):        ("user", "private", 200, NONE),
    ("POST", "/api/v1/playlists/{playlist_id}/songs/"):   ("user", "private", 201, NONE),
    ("POST", "/api/v1/playlists/{playlist_id}/songs/move/"): ("user", "private", 200, NONE),
    # Journal
    ("POST", "/api/v1/posts/"):                           ("user", "", 201, NONE),
    ("PUT", "/api/v1/posts/{slug}/"):                     ("user", "", 200, NONE),
    ("PATCH", "/api/v1/posts/{slug}/"):                   ("user", "", 200, NONE),
    ("POST", "/api/v1/posts/{slug}/comments/"):           ("other", "", 201, NONE),
    ("PUT", "/api/v1/posts/{slug}/favorite/"):            ("editor", "", 200, NONE),
    ("PUT", "/api/v1/users/{username}/follow/"):          ("editor", "", 200, NONE),
    # Conduit (protected fields go inside the envelope and beside it)
    ("POST", "/conduit/api/users"):                       ("anonymous", "", 201, PASSWORD),
    ("POST", "/conduit/api/users/login"):                 ("user", "", 200, PASSWORD),
    ("PUT", "/conduit/api/user"):                         ("user", "", 200, PASSWORD),
    ("POST", "/conduit/api/profiles/{username}/follow"):  ("editor", "", 200, NONE),
    ("POST", "/conduit/api/articles"):                    ("user", "", 201, NONE),
    ("PUT", "/conduit/api/articles/{slug}"):              ("user", "", 200, NONE),
    ("POST", "/conduit/api/articles/{slug}/comments"):    ("other", "", 201, NONE),
    ("POST", "/conduit/api/articles/{slug}/favorite"):    ("editor", "", 200, NONE),
}
# fmt: on

# Read-only fields of one endpoint that are not protected everywhere.
EXTRA_PROTECTED = {
    ("PATCH", "/api/v1/users/me/"): {"username": "hijacked_name"},  # API.md: read-only
}


def _served_writes() -> set[tuple[str, str]]:
    return {
        (method, template)
        for method, template in route_methods()
        if method in WRITE_METHODS and template.startswith(API_PREFIXES)
    }


def _declared() -> set[tuple[str, str]]:
    return set(WRITES)


def hostile_body(method: str, template: str, world, legit: set[str]) -> dict:
    """The valid body, with every protected field beside it and inside any envelope."""
    protected = {
        name: value for name, value in protected_fields(world).items() if name not in legit
    }
    protected |= EXTRA_PROTECTED.get((method, template), {})
    valid = body_for(method, template, world) or {}
    body = {**protected, **valid}
    for wrapper in CONDUIT_WRAPPERS & set(valid):
        body[wrapper] = {**protected, **valid[wrapper]}
    return body


def _cases() -> list:
    return [
        pytest.param(method, template, *case, id=f"{method} {template}")
        for (method, template), case in WRITES.items()
    ]


@pytest.mark.parametrize(("method", "template", "actor", "variant", "status", "legit"), _cases())
def test_write_takes_no_protected_field(world, method, template, actor, variant, status, legit):
    client = client_for(actor, world)
    if variant == COOKIE:
        client.cookies[settings.JWT_COOKIE_REFRESH_NAME] = world.owner_pair["refresh"]
        variant = ""
    body = hostile_body(method, template, world, legit)
    actor_pk = world.users[actor].pk if actor != "anonymous" else None
    before = DatabaseState.capture()

    response = getattr(client, method.lower())(
        url_for(template, world, variant), body, format="json"
    )

    assert response.status_code == status, response.content[:500]
    assert sentinel_traces() == []
    assert DatabaseState.capture().changes_since(before, actor_pk) == []
    assert response_traces(response.json() if response.content else None) == []


def test_every_write_route_is_declared():
    undeclared = sorted(_served_writes() - _declared())

    assert not undeclared, f"write routes without a mass-assignment case in WRITES: {undeclared}"


def test_no_stale_write_declarations():
    stale = sorted(_declared() - _served_writes())

    assert not stale, f"WRITES rows that match no write route: {stale}"


def test_every_write_expects_a_success_or_a_refusal():
    # Ignored (2xx) or refused as invalid (400, or RealWorld's 422); nothing else.
    assert {status for _, _, status, _ in WRITES.values()} <= {200, 201, 202, 204, 400, 422}


def test_sentinels_are_found_where_a_write_took_them(world):
    """The detector itself: a row that took protected values is reported."""
    from setlist.library.models import Playlist

    from .traces import HIJACK_PASSWORD, SENTINEL_COUNT, SENTINEL_VERSION

    before = DatabaseState.capture()
    playlist = world.private_playlist
    Playlist.objects.filter(pk=playlist.pk).update(
        version=SENTINEL_VERSION, owner=world.users["other"]
    )
    world.album.__class__.objects.filter(pk=world.hidden_album.pk).update(is_published=True)
    world.song.__class__.objects.filter(pk=world.song.pk).update(num_streams=SENTINEL_COUNT)
    editor = world.users["editor"]
    editor.set_password(HIJACK_PASSWORD)
    editor.save(update_fields=["password"])

    assert set(sentinel_traces()) == {
        "library.playlist.version",
        "catalog.song.num_streams",
        "password of editor",
    }
    changes = DatabaseState.capture().changes_since(before, world.owner.pk)
    assert any("is_published" in change for change in changes)
    assert any("library.playlist.owner_id" in change for change in changes)
