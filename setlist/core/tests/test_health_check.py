"""The PostgreSQL backend's health check: no round trip, and a connection the server
ended is replaced before a request uses it."""

import select

import psycopg
import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the PostgreSQL backend"),
]


def _wait_until_the_server_spoke(raw, seconds: float = 10) -> None:
    """The server ends the session asynchronously; a bound, so that a bug cannot hang."""
    readable, _, _ = select.select([raw.pgconn.socket], [], [], seconds)
    assert readable, "the server did not end the session"


def test_a_healthy_idle_connection_is_usable_without_a_query(monkeypatch):
    connection.ensure_connection()
    sent = []
    monkeypatch.setattr(type(connection.connection), "execute", lambda *a, **k: sent.append(a))
    monkeypatch.setattr(type(connection.connection), "cursor", lambda *a, **k: sent.append(a))

    assert connection.is_usable()
    assert sent == []


def test_a_connection_the_server_ended_is_unusable_and_replaced_before_use():
    connection.ensure_connection()
    ended = connection.connection
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"] or None,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [ended.info.backend_pid])
    _wait_until_the_server_spoke(ended)

    assert not connection.is_usable()
    # What Django does before the first query of each request.
    connection.health_check_done = False
    connection.close_if_health_check_failed()
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
    assert connection.connection is not ended
