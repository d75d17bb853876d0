"""Account reads shaped for the API."""

from collections.abc import Callable

from django.db import connection
from django.db.models import Exists, OuterRef, QuerySet, prefetch_related_objects
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


def _user_row(pk, **questions):
    """The user with id `pk`: their columns, whether they hold any permission, then the
    answer to each of `questions` (annotations)."""
    return (
        User._default_manager.filter(pk=pk)
        .annotate(holds_permissions=holds_permissions(), **questions)
        .values_list(*_USER_COLUMNS, "holds_permissions", *questions)
    )


_USER_BY_ID = CompiledQuery("user_by_id", _user_row, prepare=True)


class CallerQuestion:
    """A yes-or-no question about the signed-in caller and one id that a view asks with
    the caller's own row, in the same statement, instead of in a round trip of its own.

    `exists(user, value)` gives the queryset whose existence answers it, for the user
    (an `OuterRef`) and the id `value`. A view names the question for its request with
    `caller_question()` (see `authentication.py`); the answer is kept on the user object
    for that request only and read back with `answer()`.
    """

    def __init__(self, name: str, exists: Callable[[OuterRef, int], QuerySet]):
        self.name = name
        self._query = CompiledQuery(
            f"user_by_id_{name}",
            lambda pk, value: _user_row(pk, answer=Exists(exists(OuterRef("pk"), value))),
            markers=(-1, -2),
            prepare=True,
        )

    def rows(self, pk: int, value: int) -> list[tuple]:
        return self._query.rows(pk, value)

    def answer(self, user, value: int) -> bool | None:
        """What the caller's row said for `value`; None if it was not asked for `value`."""
        name, asked_for, said = getattr(user, "_caller_answer", (None, None, None))
        return said if (name, asked_for) == (self.name, value) else None


def user_by_id(pk: int, question: tuple[CallerQuestion, int] | None = None) -> User | None:
    """The user with this id, or None: what `User.objects.get(pk=pk)` reads, for the
    lookup every signed-in request makes (see `setlist.core.prepared`).

    The same statement asks whether they hold any permission. Most callers are listeners
    who hold none, and their permission checks (every signed-in catalog read makes one)
    then cost nothing more. It also answers `question` (a `CallerQuestion` and its id).
    """
    rows = _USER_BY_ID.rows(pk) if question is None else question[0].rows(pk, question[1])
    if not rows:
        return None
    row = rows[0]
    user = User.from_db(connection.alias, _USER_COLUMNS, row[: len(_USER_COLUMNS)])
    if not row[len(_USER_COLUMNS)]:  # holds_permissions
        known_to_hold_none(user)
    if question is not None:
        asked, value = question
        user._caller_answer = (asked.name, value, bool(row[-1]))
    return user
