"""The permission backend: Django's answers, in one query."""

import pytest
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission

from setlist.accounts import permissions_cache
from setlist.accounts.selectors import user_by_id

from .factories import UserFactory

pytestmark = pytest.mark.django_db

PERMISSION = "catalog.view_unpublished"


def view_unpublished() -> Permission:
    return Permission.objects.get(content_type__app_label="catalog", codename="view_unpublished")


def test_permissions_come_from_groups_and_the_user_in_one_query(django_assert_num_queries):
    from_group, direct, neither = UserFactory(), UserFactory(), UserFactory()
    group = Group.objects.create(name="Listeners with a peek")
    group.permissions.add(view_unpublished())
    from_group.groups.add(group)
    direct.user_permissions.add(view_unpublished())

    for user, expected in ((from_group, True), (direct, True), (neither, False)):
        with django_assert_num_queries(1):
            assert user.has_perm(PERMISSION) is expected
            assert user.has_perm(PERMISSION) is expected  # cached for the request


def test_superusers_have_every_permission_and_inactive_users_none():
    superuser = UserFactory(is_superuser=True)
    inactive = UserFactory(is_active=False)
    inactive.user_permissions.add(view_unpublished())

    assert superuser.has_perm(PERMISSION)
    assert superuser.has_perm("auth.delete_group")
    assert not inactive.has_perm(PERMISSION)


def test_the_set_is_the_one_djangos_backend_gives():
    user = UserFactory()
    group = Group.objects.create(name="Editors of a kind")
    group.permissions.add(*Permission.objects.filter(content_type__app_label="catalog")[:3])
    user.groups.add(group)
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="journal")[:2])
    fresh = type(user).objects.get(pk=user.pk)
    fresh_again = type(user).objects.get(pk=user.pk)

    ours = fresh.get_all_permissions()
    assert ours == DjangoModelBackend().get_all_permissions(fresh_again)
    assert len(ours) == 5


# --- The shared cache of permission sets (permissions_cache.py) --------------------------


@pytest.fixture
def shared_cache(settings):
    """The test cache stands in for Redis (one process here, so it is shared)."""
    settings.PERMISSIONS_CACHE = "default"


def fresh(user):
    """The user as the next request loads it: nothing kept on the object."""
    return type(user).objects.get(pk=user.pk)


def test_a_cached_set_costs_no_query_on_later_requests(shared_cache, django_assert_num_queries):
    user = UserFactory()
    user.user_permissions.add(view_unpublished())
    assert fresh(user).has_perm(PERMISSION)
    again = fresh(user)

    with django_assert_num_queries(0):
        assert again.has_perm(PERMISSION)


@pytest.mark.parametrize(
    "revoke",
    [
        lambda user, group: user.groups.remove(group),
        lambda user, group: user.groups.clear(),
        lambda user, group: group.permissions.remove(view_unpublished()),
        lambda user, group: group.permissions.clear(),
        lambda user, group: group.delete(),
    ],
    ids=["leave group", "clear groups", "group loses it", "group cleared", "group deleted"],
)
def test_every_way_of_losing_a_permission_shows_on_the_next_request(shared_cache, revoke):
    user = UserFactory()
    group = Group.objects.create(name="Peekers")
    group.permissions.add(view_unpublished())
    user.groups.add(group)
    assert fresh(user).has_perm(PERMISSION)

    revoke(user, group)

    assert not fresh(user).has_perm(PERMISSION)


def test_grants_show_on_the_next_request(shared_cache):
    user = UserFactory()
    group = Group.objects.create(name="Peekers")
    user.groups.add(group)
    assert not fresh(user).has_perm(PERMISSION)

    group.permissions.add(view_unpublished())
    assert fresh(user).has_perm(PERMISSION)

    group.permissions.clear()
    user.user_permissions.add(view_unpublished())
    assert fresh(user).has_perm(PERMISSION)


def test_a_demoted_superuser_keeps_nothing(shared_cache):
    user = UserFactory(is_superuser=True)
    assert fresh(user).has_perm(PERMISSION)

    type(user).objects.filter(pk=user.pk).update(is_superuser=False)  # no signal at all

    assert not fresh(user).has_perm(PERMISSION)


def test_a_change_inside_a_transaction_is_seen_after_it_commits(
    shared_cache, django_capture_on_commit_callbacks
):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        user.user_permissions.add(view_unpublished())
        # A concurrent request, not seeing the uncommitted grant, stores the old set.
        permissions_cache.cached_permissions(fresh(user), set)
    assert fresh(user).get_all_permissions() == set()  # the stale set, before the commit
    for callback in callbacks:
        callback()

    assert fresh(user).has_perm(PERMISSION)


class BrokenCache:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("cache is down")

        return fail


def test_permissions_are_read_from_the_database_when_the_cache_is_down(shared_cache, monkeypatch):
    user = UserFactory()
    user.user_permissions.add(view_unpublished())
    monkeypatch.setattr(permissions_cache, "_cache", BrokenCache)

    assert fresh(user).has_perm(PERMISSION)


# --- The signed-in caller's row says whether they hold any permission (selectors) -------


def signed_in(user):
    """The user as a token-authenticated request loads them."""
    return user_by_id(user.pk)


def test_a_caller_who_holds_no_permission_is_answered_without_a_lookup(
    shared_cache, monkeypatch, django_assert_num_queries
):
    user = UserFactory()
    user.groups.add(Group.objects.create(name="A group that grants nothing"))
    monkeypatch.setattr(permissions_cache, "_cache", BrokenCache)  # any use would fail

    with django_assert_num_queries(1):
        caller = signed_in(user)
    with django_assert_num_queries(0):
        assert not caller.has_perm(PERMISSION)
        assert caller.get_all_permissions() == set()
        assert caller.get_user_permissions() == set()
        assert caller.get_group_permissions() == set()


@pytest.mark.parametrize("through", ["own", "group"])
def test_a_caller_who_holds_one_has_it(through):
    user = UserFactory()
    if through == "own":
        user.user_permissions.add(view_unpublished())
    else:
        group = Group.objects.create(name="Peekers")
        group.permissions.add(view_unpublished())
        user.groups.add(group)

    caller = signed_in(user)

    assert caller.has_perm(PERMISSION)
    assert caller.get_all_permissions() == {PERMISSION}


def test_a_superuser_holds_every_permission_without_any_row():
    caller = signed_in(UserFactory(is_superuser=True))

    assert caller.has_perm(PERMISSION)
    assert caller.get_all_permissions() == DjangoModelBackend().get_all_permissions(caller)
    assert len(caller.get_all_permissions()) == Permission.objects.count()


def test_a_permission_granted_since_the_last_request_counts_on_the_next(shared_cache):
    user = UserFactory()
    assert not signed_in(user).has_perm(PERMISSION)

    user.user_permissions.add(view_unpublished())

    assert signed_in(user).has_perm(PERMISSION)


def test_an_unknown_id_is_no_user():
    assert user_by_id(2**62) is None
