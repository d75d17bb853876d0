"""Helpers for the few statements written as SQL: names taken from the models, quoted, and
model instances made from what such a statement wrote or read."""

from django.db import connection, models


def quoted_name(model: type[models.Model], field: str | None = None) -> str:
    """A model's table, or one of its field's columns, quoted for the current database."""
    name = model._meta.db_table if field is None else model._meta.get_field(field).column
    return connection.ops.quote_name(name)


def as_stored(instance: models.Model) -> models.Model:
    """`instance`, built from a row a statement wrote or read, marked as stored in the
    database (as the ORM marks what it saves or loads)."""
    instance._state.adding, instance._state.db = False, connection.alias
    return instance
