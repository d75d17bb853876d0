"""The permission backend: Django's answers, in one query."""

import pytest
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission

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
