"""Names for the few statements written as SQL: taken from the models, quoted."""

from django.db import connection, models


def quoted_name(model: type[models.Model], field: str | None = None) -> str:
    """A model's table, or one of its field's columns, quoted for the current database."""
    name = model._meta.db_table if field is None else model._meta.get_field(field).column
    return connection.ops.quote_name(name)
