"""GET, PATCH and DELETE /api/v1/users/me/."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from drf_spectacular.generators import SchemaGenerator
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from setlist.accounts.models import User
from setlist.accounts.signals import user_deleting
from setlist.accounts.tokens import access_token_for
from setlist.catalog.models import Album, Artist, Song
from setlist.journal.models import Post
from setlist.library.models import Play, Playlist, SongLike

from .factories import DEFAULT_PASSWORD, UserFactory
from .helpers import bearer_client, error_codes, obtain_pair

URL = "/api/v1/users/me/"

pytestmark = pytest.mark.django_db


def test_me_shows_the_callers_account(user_client, user):
    user.groups.add(Group.objects.create(name="Night Owls"))

    response = user_client.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body == {
        "id": user.pk,
        "username": user.username,
        "email": user.email,
        "first_name": "",
        "last_name": "",
        "bio": None,
        "image": None,
        "date_joined": body["date_joined"],
        "is_staff": False,
        "groups": ["Night Owls"],
    }
    assert body["date_joined"].endswith("Z")


def test_me_needs_a_signed_in_user(api_client):
    for method in ("get", "patch", "delete"):
        response = getattr(api_client, method)(URL)
        assert response.status_code == 401
        assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_patch_updates_the_profile(user_client, user):
    response = user_client.patch(
        URL,
        {
            "first_name": "Ella",
            "last_name": "Fitzgerald",
            "bio": "Scat.",
            "image": "https://img.example.com/ella.png",
            "email": "ella@example.com",
        },
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.first_name, user.last_name, user.bio) == ("Ella", "Fitzgerald", "Scat.")
    assert user.email == "ella@example.com"
    assert response.json()["image"] == "https://img.example.com/ella.png"


def test_patch_ignores_read_only_fields(user_client, user):
    group = Group.objects.create(name="Night Owls")

    response = user_client.patch(
        URL,
        {
            "username": "hijack",
            "is_staff": True,
            "groups": [group.pk],
            "date_joined": "2000-01-01T00:00:00Z",
            "id": 999,
            "first_name": "Kept",
        },
    )

    assert response.status_code == 200
    user.refresh_from_db()
    assert user.username != "hijack"
    assert not user.is_staff
    assert not user.groups.exists()
    assert user.date_joined.year != 2000
    assert user.first_name == "Kept"


def test_patch_stores_an_empty_bio_or_image_as_null(user_client, user):
    user.bio, user.image = "old", "https://example.com/old.png"
    user.save()

    response = user_client.patch(URL, {"bio": "", "image": ""})

    assert response.status_code == 200
    assert response.json()["bio"] is None
    user.refresh_from_db()
    assert user.bio is None
    assert user.image is None


def test_patch_refuses_an_email_someone_else_uses(user_client, user):
    UserFactory(email="taken@example.com")

    response = user_client.patch(URL, {"email": "TAKEN@example.com"})

    assert response.status_code == 400
    assert error_codes(response) == {("email", "unique")}


def test_patch_keeps_ones_own_email_in_another_case(user_client, user):
    response = user_client.patch(URL, {"email": user.email.upper()})

    assert response.status_code == 200


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"email": "nope"}, ("email", "invalid")),
        ({"email": ""}, ("email", "blank")),
        ({"image": "not a url"}, ("image", "invalid")),
        ({"first_name": "x" * 151}, ("first_name", "max_length")),
        ({"first_name": 7}, ("first_name", "invalid")),
        ({"bio": 0}, ("bio", "invalid")),
        ({"email": 5}, ("email", "invalid")),
    ],
)
def test_patch_reports_bad_fields(user_client, body, expected):
    response = user_client.patch(URL, body)

    assert response.status_code == 400
    assert expected in error_codes(response)


def test_put_is_not_allowed(user_client):
    assert user_client.put(URL, {"first_name": "x"}).status_code == 405


def test_delete_removes_the_account_and_its_tokens_once_the_password_is_confirmed(api_client, user):
    user_id = user.pk
    pair = obtain_pair(api_client, user.username)
    client = bearer_client(pair["access"])

    response = client.delete(URL, {"current_password": DEFAULT_PASSWORD})

    assert response.status_code == 204
    assert not User.objects.filter(pk=user_id).exists()
    assert not OutstandingToken.objects.exists()
    assert client.get(URL).status_code == 401
    assert (
        api_client.post("/api/v1/auth/token/refresh/", {"refresh": pair["refresh"]}).status_code
        == 401
    )


def test_delete_with_a_wrong_password_keeps_the_account(user_client, user):
    response = user_client.delete(URL, {"current_password": "not-my-password"})

    assert response.status_code == 400
    assert error_codes(response) == {("current_password", "invalid")}
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_without_a_password_is_a_validation_error(user_client, user):
    response = user_client.delete(URL)

    assert response.status_code == 400
    assert error_codes(response) == {("current_password", "required")}
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_with_a_json_null_body_is_the_documented_validation_error(user_client, user):
    response = user_client.delete(URL, "null", content_type="application/json")

    assert response.status_code == 400
    assert error_codes(response) == {("non_field_errors", "null")}
    assert User.objects.filter(pk=user.pk).exists()


def test_delete_announces_user_deleting_while_the_row_still_exists(user_client, user):
    user_id = user.pk
    seen = []

    def receiver(sender, user, **kwargs):
        seen.append((user.pk, User.objects.filter(pk=user.pk).exists(), connection.in_atomic_block))

    user_deleting.connect(receiver)
    try:
        user_client.delete(URL, {"current_password": DEFAULT_PASSWORD})
    finally:
        user_deleting.disconnect(receiver)

    assert seen == [(user_id, True, True)]


def test_delete_takes_likes_plays_playlists_and_posts_with_the_account(user_client, user):
    artist = Artist.objects.create(name="Nina Simone")
    album = Album.objects.create(title="Pastel Blues", artist=artist, is_published=True)
    # Counters as the library services would have left them for one like and two plays.
    song = Song.objects.create(
        title="Sinnerman", album=album, duration_ms=620_000, like_count=1, num_streams=2
    )
    SongLike.objects.create(user=user, song=song)
    Play.objects.create(user=user, song=song)
    Playlist.objects.create(owner=user, name="Late")
    Post.objects.create(author=user, slug="on-sinnerman", title="On Sinnerman", body="Ten minutes.")
    stranger_play = Play.objects.create(user=None, song=song)

    response = user_client.delete(URL, {"current_password": DEFAULT_PASSWORD})

    assert response.status_code == 204
    assert not SongLike.objects.exists()
    assert list(Play.objects.all()) == [stranger_play]
    assert not Playlist.objects.exists()
    assert not Post.objects.exists()
    song.refresh_from_db()
    assert song.like_count == 0  # corrected through `user_deleting`


def test_me_costs_a_fixed_number_of_queries(user, django_assert_max_num_queries):
    user.groups.add(*(Group.objects.create(name=f"Circle {n}") for n in range(5)))
    client = bearer_client(access_token_for(user))

    with django_assert_max_num_queries(2):  # the token's user, then the groups
        assert client.get(URL).status_code == 200


def test_every_error_of_account_deletion_is_documented(user_client):
    """DELETE reads a body: its validation and parse errors are both in the schema."""
    schema = SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]
    documented = {
        (component["properties"]["attr"]["enum"][0], code)
        for name, component in schema.items()
        if name.startswith("UsersMeDestroy") and name.endswith("ErrorComponent")
        for code in component["properties"]["code"]["enum"]
    }
    seen = set()
    for body in ({}, {"current_password": 1}, {"current_password": "wrong-one"}, []):
        response = user_client.delete("/api/v1/users/me/", body, format="json")
        assert response.status_code == 400, body
        seen |= {(error["attr"], error["code"]) for error in response.json()["errors"]}
    malformed = user_client.delete("/api/v1/users/me/", b"\x00", content_type="application/json")

    assert seen <= documented
    assert malformed.status_code == 400
    assert malformed.json()["errors"][0]["code"] == "parse_error"
