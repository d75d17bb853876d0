"""Account reads shaped for the API."""

from django.db import connection
from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from setlist.core.prepared import CompiledQuery

from .backends import holds_permissions, known_to_hold_none
from .models import User


def session_list(*, user: User) -> QuerySet[OutstandingToken]:
    """The user's live refresh tokens (neither blacklisted nor expired), newest first."""
    return (
        OutstandingToken.objects.filter(
            user=user, blacklistedtoken__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("device")
        .order_by("-created_at", "-id")
    )


def user_me(*, user: User) -> User:
    """The caller, with what the `users/me/` representation needs (groups) prefetched."""
    prefetch_related_objects([user], "groups")
    return user


_USER_COLUMNS = [field.attname for field in User._meta.concrete_fields]
_USER_BY_ID = CompiledQuery(
    "user_by_id",
    lambda pk: (
        User._default_manager.filter(pk=pk)
        .annotate(holds_permissions=holds_permissions())
        .values_list(*_USER_COLUMNS, "holds_permissions")
    ),
    prepare=True,
)


def user_by_id(pk: int) -> User | None:
    """The user with this id, or None: what `User.objects.get(pk=pk)` reads, for the
    lookup every signed-in request makes (see `setlist.core.prepared`).

    The same statement asks whether they hold any permission. Most callers are listeners
    who hold none, and their permission checks (every signed-in catalog read makes one)
    then cost nothing more.
    """
    rows = _USER_BY_ID.rows(pk)
    if not rows:
        return None
    *columns, holds_any = rows[0]
    user = User.from_db(connection.alias, _USER_COLUMNS, columns)
    if not holds_any:
        known_to_hold_none(user)
    return user
