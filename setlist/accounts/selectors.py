"""Account reads shaped for the API."""

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.db.models import OuterRef, QuerySet, prefetch_related_objects
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


NOT_ASKED = object()  # what `CallerQuestion.answer` gives when its question was not asked


class CallerQuestion:
    """A question about the signed-in caller that a view asks with the caller's own row, in
    the same statement, instead of in a round trip of its own: whether they like the song
    shown, say, or which play is their newest.

    `ask(user, value)` gives the expression that answers it (an `Exists`, or a `Subquery`
    of one value) for the user (an `OuterRef`) and the id `value` it is about; with
    `about_an_id=False`, `ask(user)` for the user alone. `read` turns the column into the
    answer (`bool` for an `Exists`: SQLite says 1 or 0). A view names the question for its
    request with `caller_question()` (see `authentication.py`); the answer is kept on the
    user object for that request only and read back with `answer()`.
    """

    def __init__(
        self,
        name: str,
        ask: Callable[..., Any],
        *,
        about_an_id: bool = True,
        read: Callable[[Any], Any] = lambda column: column,
    ):
        self.name, self.about_an_id, self.read = name, about_an_id, read
        if about_an_id:
            markers = (-1, -2)
            build = lambda pk, value: _user_row(pk, answer=ask(OuterRef("pk"), value))  # noqa: E731
        else:
            markers = (-1,)
            build = lambda pk: _user_row(pk, answer=ask(OuterRef("pk")))  # noqa: E731
        self._query = CompiledQuery(f"user_by_id_{name}", build, markers=markers, prepare=True)

    def rows(self, pk: int, value: int | None) -> list[tuple]:
        return self._query.rows(pk, value) if self.about_an_id else self._query.rows(pk)

    def answer(self, user, value: int | None = None):
        """What the caller's row said (for `value`); `NOT_ASKED` if it was not asked (for
        `value`)."""
        name, asked_for, said = getattr(user, "_caller_answer", (None, None, NOT_ASKED))
        return said if (name, asked_for) == (self.name, value) else NOT_ASKED


def user_by_id(pk: int, question: tuple[CallerQuestion, int | None] | None = None) -> User | None:
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
        user._caller_answer = (asked.name, value, asked.read(row[-1]))
    return user
