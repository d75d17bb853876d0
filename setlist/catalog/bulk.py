"""Fast inserts for bulk loaders (`seed_demo`): COPY on PostgreSQL, `bulk_create` elsewhere.

Rows are plain dicts of column values, so no model instance is built per row and
`save()`/signals never run: callers fill derived columns (`search_*`) themselves and bring
counts and the cache up to date afterwards.

Why COPY: measured on the 2-core development box, inserting 100,000 songs took 10.4 s with
`bulk_create` in batches of 5,000 (3.3 s building model instances, 7 s compiling and
sending the statements) and 1.0 s with COPY; at a million songs only COPY stays near the
one-minute target. For the same reason `deferred_indexes` takes a table's secondary indexes
and foreign keys away for the duration of a large load and puts them back afterwards: one
sort per index instead of a million random index insertions, and one join per foreign key
instead of a million deferred trigger checks (23 s of a 1M-song load before this change).
"""

import operator
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import F
from django.utils import timezone

BATCH_SIZE = 5000
# From this many rows on, PostgreSQL builds indexes once after the load (`worth_deferring`).
DEFER_INDEXES_FROM = 5_000


def _is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def _timestamps(row: dict, now) -> dict:
    return {"created_at": now, "updated_at": now, **row}


def _one(column: str):
    return lambda row: (row[column],)


def worth_deferring(model, adding: int) -> bool:
    """Whether `deferred_indexes` pays off for adding `adding` rows to `model`'s table.

    Rebuilding indexes costs time in proportion to the whole table: worth it only when
    the load is large and at least doubles the table.
    """
    return adding >= DEFER_INDEXES_FROM and adding >= model.objects.count()


class BulkInserter:
    """Inserts rows of `model` as they come; use as a context manager (flushes on exit).

    Every row is a dict with the same keys, the `columns`. With `timestamps` (the
    default, for `TimeStampedModel`s) `created_at` and `updated_at` are added here.
    """

    def __init__(self, model, columns: list[str], *, timestamps: bool = True):
        self.model = model
        self.timestamps = timestamps
        self.columns = [*columns, "created_at", "updated_at"] if timestamps else list(columns)
        self.now = timezone.now()
        self._values = operator.itemgetter(*columns) if len(columns) > 1 else _one(columns[0])
        self.count = 0
        self._pending: list[dict] = []
        self._copy = None
        self._stack = None

    def __enter__(self) -> "BulkInserter":
        if _is_postgresql():
            quote = connection.ops.quote_name
            table = quote(self.model._meta.db_table)
            columns = ", ".join(quote(column) for column in self.columns)
            self._cursor = connection.cursor()
            self._copy_context = self._cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN")
            self._copy = self._copy_context.__enter__()
        return self

    def add(self, row: dict) -> None:
        self.count += 1
        if self._copy is not None:
            values = self._values(row)
            self._copy.write_row((*values, self.now, self.now) if self.timestamps else values)
            return
        self._pending.append(_timestamps(row, self.now) if self.timestamps else row)
        if len(self._pending) >= BATCH_SIZE:
            self._flush()

    def _flush(self) -> None:
        self.model.objects.bulk_create([self.model(**row) for row in self._pending])
        self._pending = []

    def __exit__(self, exc_type, exc, traceback) -> None:
        if self._copy is not None:
            self._copy_context.__exit__(exc_type, exc, traceback)
            self._cursor.close()
        elif exc_type is None and self._pending:
            self._flush()


def insert_returning_ids(model, rows: list[dict]) -> list[int]:
    """Inserts `rows` and returns their new primary keys, in order."""
    if not rows:
        return []
    if _is_postgresql():
        # Take the ids from the table's own sequence, then COPY the rows with them.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [model._meta.db_table, len(rows)],
            )
            ids = [row[0] for row in cursor.fetchall()]
        with BulkInserter(model, ["id", *rows[0]]) as inserter:
            for pk, row in zip(ids, rows, strict=True):
                inserter.add({"id": pk, **row})
        return ids
    now = timezone.now()
    created = []
    for start in range(0, len(rows), BATCH_SIZE):
        batch = [model(**_timestamps(row, now)) for row in rows[start : start + BATCH_SIZE]]
        created.extend(obj.pk for obj in model.objects.bulk_create(batch))
    return created


@contextmanager
def deferred_indexes(model, *, enabled: bool = True) -> Iterator[None]:
    """On PostgreSQL, takes `model`'s secondary indexes and foreign keys away for the block.

    The primary key and unique constraints stay (their indexes enforce them); foreign keys
    are validated again when they are put back. Must run inside a transaction, so that a
    failure restores everything; other sessions wait for the table meanwhile, which is why
    only bulk loads do this.
    """
    if not (enabled and _is_postgresql()):
        yield
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
            " WHERE conrelid = %s::regclass AND contype = 'f'",
            [model._meta.db_table],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = %s
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)
            """,
            [model._meta.db_table],
        )
        indexes = cursor.fetchall()
        # Rows inserted earlier in this transaction (albums, artists) leave deferred
        # foreign-key checks pending, and PostgreSQL refuses to alter a table they touch:
        # run those checks now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {quote(name)}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {quote(name)} {definition}")


def refresh_statistics(*models) -> None:
    """Updates the planner's statistics after a bulk load (PostgreSQL; elsewhere a no-op).

    Without them the planner guesses: a freshly loaded million songs made `?album=`
    walk the whole title index (1.7 s) instead of the album index (a few ms).
    """
    if not _is_postgresql():
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


def add_to_counters(model, columns: dict[str, dict[int, int]]) -> None:
    """Adds counts to counter columns of `model`: `{column: {pk: n}}`, all in one pass.

    On PostgreSQL one UPDATE joins the table to the counts sent as arrays, with the
    table's indexes set aside while it runs when it touches many rows (the counters are
    indexed, so otherwise every row changed is a new entry in every index, trigram ones
    included). Elsewhere, one `F()` UPDATE per column and distinct count.
    """
    pks = sorted(set().union(*columns.values()))
    if not pks:
        return
    if not _is_postgresql():
        for column, counts in columns.items():
            by_count: dict[int, list[int]] = {}
            for pk, n in counts.items():
                by_count.setdefault(n, []).append(pk)
            for n, ids in by_count.items():
                for start in range(0, len(ids), 500):  # within SQLite's parameter limit
                    model.objects.filter(pk__in=ids[start : start + 500]).update(
                        **{column: F(column) + n}
                    )
        return
    quote = connection.ops.quote_name
    names = list(columns)
    assignments = ", ".join(f"{quote(c)} = t.{quote(c)} + v.n{i}" for i, c in enumerate(names))
    arrays = ", ".join(f"unnest(%s::bigint[]) AS n{i}" for i in range(len(names)))
    many = len(pks) >= DEFER_INDEXES_FROM and len(pks) * 2 >= model.objects.count()
    # Identifiers come from the model, quoted; every value is a parameter.
    statement = (
        f"UPDATE {quote(model._meta.db_table)} AS t SET {assignments} "  # noqa: S608
        f"FROM (SELECT unnest(%s::bigint[]) AS pk, {arrays}) AS v WHERE t.id = v.pk"
    )
    with deferred_indexes(model, enabled=many), connection.cursor() as cursor:
        cursor.execute(
            statement,
            [pks, *([counts.get(pk, 0) for pk in pks] for counts in columns.values())],
        )
