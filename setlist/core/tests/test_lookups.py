"""`__any_of`: membership in a list sent as one parameter (an array on PostgreSQL)."""

import pytest
from django.db import connection

from setlist.accounts.models import User

pytestmark = pytest.mark.django_db


def test_any_of_finds_the_rows_in_the_list(user, other_user):
    found = User.objects.filter(pk__any_of=[user.pk, 10**12]).values_list("pk", flat=True)

    assert list(found) == [user.pk]
    assert set(User.objects.filter(pk__any_of=[user.pk, other_user.pk])) == {user, other_user}


def test_any_of_sends_one_parameter_for_the_whole_list_on_postgresql(user):
    sql, params = User.objects.filter(pk__any_of=[1, 2, 3]).query.sql_with_params()

    if connection.vendor == "postgresql":
        assert "= ANY(%s)" in sql
        assert params == ([1, 2, 3],)
    else:
        assert params == (1, 2, 3)
