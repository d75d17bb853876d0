"""Authentication backend: Django's `ModelBackend`, with permissions read in one query
and kept in the shared cache (see permissions_cache.py)."""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Group, Permission
from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import User
from .permissions_cache import cached_permissions

# Where Django's backend keeps a user's permissions for the request (`get_all_permissions`,
# `get_user_permissions`, `get_group_permissions`).
_REQUEST_CACHES = ("_perm_cache", "_user_perm_cache", "_group_perm_cache")


class ModelBackend(DjangoModelBackend):
    """Reads a user's own and group permissions together.

    Django's backend asks twice (user permissions, then group permissions), and every
    signed-in catalog read asks whether the caller may see unpublished albums: one round
    trip to the database saved on each. The answer is the same set, kept on the user
    object for the request as Django does, and in the shared cache across requests.
    """

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            user_obj._perm_cache = cached_permissions(user_obj, lambda: _load(user_obj))
        return user_obj._perm_cache


def _held(user_ref) -> tuple[QuerySet, QuerySet]:
    """The grants that give the user `user_ref` names (an id or an `OuterRef`) a
    permission: their own, and their groups'. Each row has a `permission_id`."""
    own = User.user_permissions.through.objects.filter(user_id=user_ref)
    from_groups = Group.permissions.through.objects.filter(group__user=user_ref)
    return own, from_groups


def _load(user) -> set[str]:
    permissions = Permission.objects.all()
    if not user.is_superuser:
        own, from_groups = _held(user.pk)
        permissions = permissions.filter(
            Q(pk__in=own.values("permission_id")) | Q(pk__in=from_groups.values("permission_id"))
        )
    pairs = permissions.values_list("content_type__app_label", "codename")
    return {f"{app}.{codename}" for app, codename in pairs.order_by()}


def holds_permissions() -> Q:
    """Whether the user holds any permission, their own or a group's: an annotation for a
    query of users."""
    own, from_groups = _held(OuterRef("pk"))
    return Exists(own) | Exists(from_groups)


def known_to_hold_none(user: User) -> None:
    """Records on `user`, for the request, that they hold no permission: what a query of
    theirs annotated with `holds_permissions` found. Their permission checks then need
    neither the database nor the cache. A superuser holds every permission, whatever the
    tables say, and is left alone."""
    if not user.is_superuser:
        for name in _REQUEST_CACHES:
            setattr(user, name, set())
