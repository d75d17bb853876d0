"""Cursor pages read by compiled statements answer as the queryset would."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from setlist.accounts.models import User
from setlist.accounts.tests.factories import UserFactory
from setlist.core.keyset import KeysetList, arranged

pytestmark = pytest.mark.django_db


def _users_from(pk):
    return User.objects.filter(pk__gte=pk).values("id", "date_joined", "username")


USERS = KeysetList("test_users", _users_from)


@pytest.fixture
def users():
    now = timezone.now()
    joined = [now, now, now - timedelta(1), now - timedelta(1), now - timedelta(2), now]
    return [UserFactory(date_joined=moment) for moment in joined]


@pytest.mark.parametrize("descending", [True, False])
@pytest.mark.parametrize("bound_at", [None, 0, 2, 3])
@pytest.mark.parametrize("limit", [1, 3, 100])
def test_pages_are_the_querysets(users, descending, bound_at, limit):
    first, columns = users[0].pk, ("date_joined", "id")
    bound = None
    if bound_at is not None:
        bound = [users[bound_at].date_joined, users[bound_at].pk]
    rows = arranged(_users_from(first), columns, bound, descending=descending)

    page = USERS.rows(first).page(columns, bound, descending=descending, limit=limit)

    assert page == list(rows[:limit])
    assert bound is None or page  # each bound keeps at least its own row


def test_a_bound_keeps_the_rows_up_to_it_inclusive(users):
    columns, moment = ("date_joined", "id"), users[2].date_joined
    rows = USERS.rows(users[0].pk)
    newest_first = sorted(users, key=lambda user: (user.date_joined, user.pk), reverse=True)
    expected = [u.pk for u in newest_first if (u.date_joined, u.pk) <= (moment, users[2].pk)]

    page = rows.page(columns, [moment, users[2].pk], descending=True, limit=100)

    assert [row["id"] for row in page] == expected


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_on_postgresql_a_page_is_one_prepared_statement(users):
    columns, rows = ("date_joined", "id"), USERS.rows(users[0].pk)
    bound = [users[2].date_joined, users[2].pk]
    rows.page(columns, bound, descending=True, limit=2)

    with CaptureQueriesContext(connection) as captured:
        assert len(rows.page(columns, bound, descending=True, limit=2)) == 2

    assert [q["sql"].split(" ")[0] for q in captured.captured_queries] == ["EXECUTE"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="compiled on PostgreSQL only")
def test_compiled_positions_are_times_or_integers_only():
    names = KeysetList("test_names", lambda pk: User.objects.filter(pk=pk).values("id"))

    with pytest.raises(TypeError):
        names.rows(1).page(("username", "id"), ["someone", 1], descending=True, limit=1)
