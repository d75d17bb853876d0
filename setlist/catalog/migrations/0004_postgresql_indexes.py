"""Indexes only PostgreSQL can build: trigram search and a nulls-last ordering.

- Search and `?search=` filters are `LIKE '%word%'` on the folded `search_*` columns (see
  search.py); a btree cannot serve that, a pg_trgm GIN index can, which keeps search fast
  at a million songs. pg_trgm is a trusted extension (PostgreSQL 13+): the database owner
  may create it.
- `/albums/?ordering=-year` sorts by year descending with undated albums last; only an
  index declared `DESC NULLS LAST` serves that order without sorting every album.

SQLite has neither and does without, which is fine at the sizes it is used for. The
reverse migration drops the indexes but keeps the extension, which other code may use.
"""

from django.db import migrations

INDEXES = {
    "catalog_artist_search_trgm": "catalog_artist USING gin (search_name gin_trgm_ops)",
    "catalog_album_search_trgm": "catalog_album USING gin (search_title gin_trgm_ops)",
    "catalog_song_search_trgm": "catalog_song USING gin (search_title gin_trgm_ops)",
    "catalog_album_year_desc_idx": "catalog_album (year DESC NULLS LAST, title, id)",
}


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("catalog", "0003_editors_group")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
