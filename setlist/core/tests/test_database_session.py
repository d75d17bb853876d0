"""The PostgreSQL session settings Setlist's connections start with."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL session settings"),
]


def test_the_planner_does_not_memoize_joins():
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_memoize")
        assert cursor.fetchone() == ("off",)
