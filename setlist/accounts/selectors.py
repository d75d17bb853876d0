"""Account reads shaped for the API."""

import functools

from django.db import connection
from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from setlist.core.prepared import CompiledQuery

from .models import User

_MARKER_ID = -1  # stands for the id while the SQL is compiled


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


@functools.cache
def _user_by_id_query() -> tuple[CompiledQuery, list[str]]:
    columns = [field.attname for field in User._meta.concrete_fields]
    users = User._default_manager.filter(pk=_MARKER_ID).values_list(*columns)
    return CompiledQuery.of(users, name="user_by_id", markers=[_MARKER_ID], prepare=True), columns


def user_by_id(pk: int) -> User | None:
    """The user with this id, or None: what `User.objects.get(pk=pk)` reads, for the
    lookup every signed-in request makes (see `setlist.core.prepared`)."""
    query, columns = _user_by_id_query()
    rows = query.rows(pk)
    return User.from_db(connection.alias, columns, rows[0]) if rows else None
