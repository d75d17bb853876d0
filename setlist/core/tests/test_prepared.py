"""Compiled queries: the SQL built once, run with new values, prepared on PostgreSQL."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from setlist.accounts.models import User
from setlist.core.prepared import CompiledQuery, Statement, _numbered

pytestmark = pytest.mark.django_db


def _by_id(**options) -> CompiledQuery:
    return CompiledQuery(
        "test_user", lambda pk: User.objects.filter(pk=pk).values_list("pk", "username"), **options
    )


def _prepared_names() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


def test_placeholders_are_numbered_and_literal_percents_kept():
    assert _numbered("a = %s AND b LIKE '%%x' AND c = %s") == "a = $1 AND b LIKE '%x' AND c = $2"


@pytest.mark.parametrize("prepare", [False, True])
def test_a_compiled_query_answers_as_the_queryset_would(user, other_user, prepare):
    query = _by_id(prepare=prepare)

    assert query.rows(user.pk) == [(user.pk, user.username)]
    assert query.rows(other_user.pk) == [(other_user.pk, other_user.username)]
    assert query.rows(10**12) == []


@pytest.mark.parametrize("prepare", [False, True])
def test_a_suffix_takes_the_values_after_the_markers(user, other_user, prepare):
    query = CompiledQuery(
        "users_from",
        lambda pk: User.objects.filter(pk__gte=pk).order_by("pk").values_list("pk"),
        prepare=prepare,
        suffix="LIMIT %s OFFSET %s",
    )
    first = min(user.pk, other_user.pk)

    assert query.rows(first, 1, 0) == [(first,)]
    assert query.rows(first, 5, 1) == [(max(user.pk, other_user.pk),)]
    with pytest.raises(ValueError, match="one value per marker"):
        query.rows(first, 1)


def test_every_marker_must_be_found_once():
    with pytest.raises(RuntimeError):
        CompiledQuery("t", lambda pk: User.objects.filter(pk=5)).rows(5)
    with pytest.raises(ValueError, match="one value per marker"):
        _by_id().rows(1, 2)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_on_postgresql_each_connection_prepares_once_and_runs_one_statement(user):
    query = _by_id(prepare=True)
    query.rows(user.pk)

    with CaptureQueriesContext(connection) as captured:
        assert query.rows(user.pk) == [(user.pk, user.username)]

    assert [q["sql"].split("(")[0] for q in captured.captured_queries] == [f"EXECUTE {query.name}"]
    assert query.name in _prepared_names()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_prepared_statements_survive_rollbacks_and_are_remade_on_a_new_connection(user):
    query = _by_id(prepare=True)
    connection.close()  # so that the statement is first prepared inside the transaction

    def prepare_then_fail():
        with transaction.atomic():
            query.rows(user.pk)
            raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):
        prepare_then_fail()
    assert query.rows(user.pk) == [(user.pk, user.username)]

    connection.close()

    assert query.name not in _prepared_names()
    assert query.rows(user.pk) == [(user.pk, user.username)]


def test_prepared_statements_can_be_turned_off(settings, user):
    settings.DATABASE_PREPARED_STATEMENTS = False
    query = _by_id(prepare=True)

    with CaptureQueriesContext(connection) as captured:
        assert query.rows(user.pk) == [(user.pk, user.username)]

    assert not captured.captured_queries[0]["sql"].startswith("EXECUTE")


def _rename(**options) -> Statement:
    return Statement(
        "test_rename",
        "UPDATE accounts_user SET first_name = %(name)s"
        " WHERE id = %(id)s AND first_name <> %(name)s",
        **options,
    )


@pytest.mark.parametrize("prepare", [False, True])
def test_a_statement_takes_each_named_value_wherever_it_appears(user, prepare):
    statement = _rename(prepare=prepare)

    for expected in (1, 0):  # the second time the name is already set
        with connection.cursor() as cursor:
            statement.execute(cursor, {"id": user.pk, "name": "Renamed"})
            assert cursor.rowcount == expected

    assert User.objects.get(pk=user.pk).first_name == "Renamed"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements: PostgreSQL")
def test_on_postgresql_a_statement_is_prepared_with_numbered_parameters(user, settings):
    statement = _rename(prepare=True)
    with connection.cursor() as cursor:
        statement.execute(cursor, {"id": user.pk, "name": "A"})
        cursor.execute(
            "SELECT statement FROM pg_prepared_statements WHERE name = %s", [statement.name]
        )
        prepared = cursor.fetchone()[0]

    assert "first_name = $1 WHERE id = $2 AND first_name <> $1" in prepared
    settings.DATABASE_PREPARED_STATEMENTS = False
    with CaptureQueriesContext(connection) as captured, connection.cursor() as cursor:
        statement.execute(cursor, {"id": user.pk, "name": "B"})
    assert captured.captured_queries[0]["sql"].startswith("UPDATE")
