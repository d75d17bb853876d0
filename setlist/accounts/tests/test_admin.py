"""The admin pages for members, groups and devices."""

import pytest
from django.contrib.auth.models import Group

from setlist.accounts.models import User
from setlist.accounts.tokens import token_pair_issue
from setlist.library.services.likes import song_like_add
from setlist.library.tests.factories import SongFactory

from .factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_user_changelist_searches_and_filters(admin_client):
    UserFactory(username="thelonious", email="monk@example.com", bio="Piano.")

    found = admin_client.get("/admin/accounts/user/", {"q": "monk"})
    filtered = admin_client.get("/admin/accounts/user/", {"is_staff__exact": "1"})

    assert found.status_code == 200
    assert b"thelonious" in found.content
    assert filtered.status_code == 200
    assert b"thelonious" not in filtered.content


def test_user_change_page_shows_the_profile_fields(admin_client):
    user = UserFactory(bio="Piano.")

    response = admin_client.get(f"/admin/accounts/user/{user.pk}/change/")

    assert response.status_code == 200
    assert b'name="bio"' in response.content
    assert b'name="image"' in response.content


def test_the_admin_refuses_a_username_that_differs_only_in_case(admin_client):
    UserFactory(username="Monk")

    response = admin_client.post(
        "/admin/accounts/user/add/",
        {"username": "monk", "email": "", "usable_password": "false"},
    )

    assert response.status_code == 200
    assert b"A user with that username already exists." in response.content


def test_group_changelist_counts_members(admin_client):
    group = Group.objects.create(name="Night Owls")
    group.user_set.add(UserFactory(), UserFactory())

    response = admin_client.get("/admin/auth/group/")

    assert response.status_code == 200
    counts = {g.name: g.member_count for g in response.context["cl"].result_list}
    assert counts["Night Owls"] == 2


def test_devices_are_listed_read_only(admin_client):
    device_owner = UserFactory(username="coltrane")
    token_pair_issue(user=device_owner, user_agent="Setlist-Android/1.0")

    listing = admin_client.get("/admin/accounts/refreshtokendevice/")

    assert listing.status_code == 200
    assert b"Setlist-Android/1.0" in listing.content
    assert admin_client.get("/admin/accounts/refreshtokendevice/add/").status_code == 403


def test_deleting_users_in_the_admin_gives_back_their_likes(admin_client):
    song = SongFactory()
    fans = UserFactory.create_batch(2)
    for fan in fans:
        song_like_add(user=fan, song=song)
    song.refresh_from_db()
    assert song.like_count == 2

    response = admin_client.post(
        "/admin/accounts/user/",
        {"action": "delete_selected", "_selected_action": [f.pk for f in fans], "post": "yes"},
    )
    assert response.status_code == 302
    assert not User.objects.filter(pk__in=[f.pk for f in fans]).exists()
    song.refresh_from_db()
    assert song.like_count == 0
