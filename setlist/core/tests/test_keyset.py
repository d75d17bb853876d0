"""Cursor pages read by compiled statements answer as the queryset would."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import F
from django.db.models.fields.tuple_lookups import (
    Tuple,
    TupleGreaterThanOrEqual,
    TupleLessThanOrEqual,
)
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from setlist.accounts.models import User
from setlist.accounts.tests.factories import UserFactory
from setlist.core.keyset import KeysetList

pytestmark = pytest.mark.django_db


def _users_from(pk):
    return User.objects.filter(pk__gte=pk).values("id", "date_joined", "username")


USERS = KeysetList("test_users", _users_from)


def _arrangement(ordering: tuple[str, ...]):
    """As `CursorPagination` arranges a page: ordered, up to a position (inclusive)."""
    descending = ordering[0].startswith("-")

    def arrange(rows, bound):
        rows = rows.order_by(*ordering)
        if bound is None:
            return rows
        columns = Tuple(F("date_joined"), F("id"))
        if descending:
            return rows.filter(TupleLessThanOrEqual(columns, bound))
        return rows.filter(TupleGreaterThanOrEqual(columns, bound))

    return arrange


@pytest.fixture
def users():
    now = timezone.now()
    joined = [now, now, now - timedelta(1), now - timedelta(1), now - timedelta(2), now]
    return [UserFactory(date_joined=moment) for moment in joined]


@pytest.mark.parametrize("ordering", [("-date_joined", "-id"), ("date_joined", "id")])
@pytest.mark.parametrize("bound_at", [None, 0, 2, 3])
@pytest.mark.parametrize("limit", [1, 3, 100])
def test_pages_are_the_querysets(users, ordering, bound_at, limit):
    first = users[0].pk
    arrange = _arrangement(ordering)
    bound = None
    if bound_at is not None:
        bound = [users[bound_at].date_joined, users[bound_at].pk]
    expected = list(arrange(_users_from(first), bound)[:limit])

    page = USERS.rows(first).page(arrange, bound, ordering=ordering, limit=limit)

    assert page == expected
    assert bound is None or page  # each bound keeps at least its own row


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_on_postgresql_a_page_is_one_prepared_statement(users):
    ordering = ("-date_joined", "-id")
    rows, arrange = USERS.rows(users[0].pk), _arrangement(ordering)
    bound = [users[2].date_joined, users[2].pk]
    rows.page(arrange, bound, ordering=ordering, limit=2)

    with CaptureQueriesContext(connection) as captured:
        assert len(rows.page(arrange, bound, ordering=ordering, limit=2)) == 2

    assert [q["sql"].split(" ")[0] for q in captured.captured_queries] == ["EXECUTE"]
