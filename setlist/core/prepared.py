"""Hot reads by primary key as queries compiled once, and on PostgreSQL prepared once.

Django builds the SQL of a queryset each time it runs, and sends it as text with the
parameters merged in, so PostgreSQL parses and plans it afresh too. For the reads every
request makes that is most of their cost, at a million songs: the signed-in caller's user
row took 1.1 ms through `User.objects.get()` where its SQL takes 0.25 ms, and a song's card
(a four-table join) 1.4 ms, of which planning is 1.1 ms.

A `CompiledQuery` is the SQL of a queryset built once per process (the first time it
runs), with a slot for each parameter that changes. With `prepare=True`, each PostgreSQL
connection turns it into a named `PREPARE` the first time it runs it, and sends
`EXECUTE name(...)` from then on (the card then takes 0.3 ms). Prepare only lookups whose
plan cannot depend on the values (by primary key): after five executions PostgreSQL may
keep one generic plan for the statement, and for a skewed parameter (a listener with
100 000 likes) that plan can be far slower than a fresh one.

The `PREPARE` goes to the connection beside Django's cursor wrapper, like the session
settings Django sends when it connects, so query counts see only the `EXECUTE`. Prepared
statements belong to the database session, outlive rollbacks, and go with the connection.
Behind a pooler that hands a server connection to another client after each transaction
(PgBouncer in transaction mode), set `DATABASE_PREPARED_STATEMENTS=false`.
"""

import functools
import hashlib
import re
import weakref
from collections.abc import Callable, Sequence

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet

# Names of the statements each open PostgreSQL connection has prepared.
_prepared: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_PLACEHOLDER = re.compile(r"%([s%])")
_NAMED = re.compile(r"%\((\w+)\)s")


def _numbered(sql: str) -> str:
    """`%s` placeholders as PostgreSQL's `$1, $2, ...` (and `%%` as `%`)."""
    count = 0

    def number(match: re.Match) -> str:
        nonlocal count
        if match.group(1) == "%":
            return "%"
        count += 1
        return f"${count}"

    return _PLACEHOLDER.sub(number, sql)


class CompiledQuery:
    """A queryset's SQL, compiled the first time it runs, with a slot for each changing value.

    `build` returns the queryset given `markers` (by default one: -1) in place of the values,
    and every marker must then appear exactly once among the compiled parameters. `rows()`
    runs the SQL with the values in the markers' slots. `suffix` is SQL appended to the
    queryset's, such as `LIMIT %s` (Django writes a slice as literal numbers);
    its placeholders take the values given after the markers'.
    """

    def __init__(
        self,
        name: str,
        build: Callable[..., QuerySet],
        *,
        markers: Sequence = (-1,),
        prepare: bool = False,
        suffix: str = "",
    ):
        self._label, self._build, self._markers, self.prepare = name, build, markers, prepare
        self._suffix = suffix

    @functools.cached_property
    def _compiled(self) -> tuple[str, str, tuple, tuple[int, ...]]:
        """The statement's name, its SQL, its parameters and the markers' slots among them."""
        sql, params = self._build(*self._markers).query.sql_with_params()
        sql = f"{sql} {self._suffix}" if self._suffix else sql
        slots = []
        for marker in self._markers:
            found = [index for index, param in enumerate(params) if param == marker]
            if len(found) != 1:
                raise RuntimeError(f"cannot find {marker!r} among the parameters of {sql!r}")
            slots.append(found[0])
        digest = hashlib.blake2b(sql.encode(), digest_size=6).hexdigest()
        return f"{self._label}_{digest}", sql, tuple(params), tuple(slots)

    @property
    def name(self) -> str:
        """The prepared statement's name: the given name and a digest of the SQL."""
        return self._compiled[0]

    def rows(self, *values) -> list[tuple]:
        """The rows of the query with `values` in its slots, in the order of the markers."""
        name, sql, params, slots = self._compiled
        if len(values) != len(slots) + self._suffix.count("%s"):
            raise ValueError("rows() takes one value per marker, then one per suffix placeholder")
        params = list(params)
        for slot, value in zip(slots, values, strict=False):
            params[slot] = value
        params.extend(values[len(slots) :])  # the suffix's
        with connection.cursor() as cursor:
            if self.prepare and _may_prepare():
                _prepare_on(connection.connection, name, _numbered(sql))
                placeholders = ", ".join(["%s"] * len(params))
                cursor.execute(f"EXECUTE {name}({placeholders})", params)
            else:
                cursor.execute(sql, params)
            return cursor.fetchall()


class Statement:
    """A statement written as SQL with named parameters (`%(name)s`), for the few hot
    writes that are one statement. With `prepare=True` it is prepared on PostgreSQL like a
    `CompiledQuery`; the same rule holds: only for lookups by key, whose plan cannot
    depend on the values."""

    def __init__(self, name: str, sql: str, *, prepare: bool = False):
        self.sql, self.prepare = sql, prepare
        self._names = list(dict.fromkeys(_NAMED.findall(sql)))  # in order, each once
        digest = hashlib.blake2b(sql.encode(), digest_size=6).hexdigest()
        self.name = f"{name}_{digest}"

    def execute(self, cursor, values: dict) -> None:
        """Runs the statement on `cursor` (a Django cursor) with `values` by name."""
        if not (self.prepare and _may_prepare()):
            cursor.execute(self.sql, values)
            return
        numbered = _NAMED.sub(lambda match: f"${self._names.index(match[1]) + 1}", self.sql)
        _prepare_on(connection.connection, self.name, numbered)
        placeholders = ", ".join(["%s"] * len(self._names))
        cursor.execute(
            f"EXECUTE {self.name}({placeholders})", [values[name] for name in self._names]
        )


def _prepare_on(raw_connection, name: str, numbered_sql: str) -> None:
    names = _prepared.setdefault(raw_connection, set())
    if name not in names:
        raw_connection.execute(f"PREPARE {name} AS {numbered_sql}")
        names.add(name)


def _may_prepare() -> bool:
    return connection.vendor == "postgresql" and settings.DATABASE_PREPARED_STATEMENTS
