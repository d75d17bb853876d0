"""Cursor pages read by compiled statements answer as the queryset would."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from setlist.accounts.models import User
from setlist.accounts.tests.factories import UserFactory
from setlist.core.keyset import KeysetList

pytestmark = pytest.mark.django_db


def _users_from(pk):
    return User.objects.filter(pk__gte=pk).values("id", "date_joined", "username")


USERS = KeysetList("test_users", _users_from)


@pytest.fixture
def users():
    now = timezone.now()
    joined = [now, now, now - timedelta(1), now - timedelta(1), now - timedelta(2), now]
    return [UserFactory(date_joined=moment) for moment in joined]


@pytest.mark.parametrize("ordering", [("-date_joined", "-id"), ("date_joined", "id")])
@pytest.mark.parametrize("lookup", [None, "date_joined__lt", "date_joined__gt"])
@pytest.mark.parametrize("window", [slice(0, 3), slice(1, 4), slice(2, 100)])
def test_pages_are_the_querysets(users, ordering, lookup, window):
    first = users[0].pk
    expected = _users_from(first).order_by(*ordering)
    rows = USERS.rows(first).order_by(*ordering)
    if lookup is not None:
        position = str(users[2].date_joined)  # as a cursor carries it
        expected = expected.filter(**{lookup: position})
        rows = rows.filter(**{lookup: position})

    assert list(rows[window]) == list(expected[window])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_on_postgresql_a_page_is_one_prepared_statement(users):
    rows = USERS.rows(users[0].pk).order_by("-date_joined", "-id")
    list(rows[0:2])

    with CaptureQueriesContext(connection) as captured:
        assert len(list(rows[0:2])) == 2

    assert [q["sql"].split(" ")[0] for q in captured.captured_queries] == ["EXECUTE"]


def test_a_forged_position_is_refused_as_the_queryset_refuses_it(users):
    rows = USERS.rows(users[0].pk).order_by("-date_joined", "-id")

    with pytest.raises(ValidationError):
        list(rows.filter(date_joined__lt="not a time")[0:2])


def test_rows_are_read_a_bounded_slice_at_a_time(users):
    rows = USERS.rows(users[0].pk).order_by("-date_joined", "-id")

    with pytest.raises(TypeError):
        list(rows)
    with pytest.raises(TypeError):
        rows[2:]
