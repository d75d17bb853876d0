"""The library's migrations reverse cleanly (seed 003's rollback) and match the models."""

import pytest
from django.core.management import call_command
from django.db import connection


@pytest.mark.django_db(transaction=True)
def test_library_migrations_unapply_and_reapply():
    call_command("migrate", "library", "zero", verbosity=0)
    tables = set(connection.introspection.table_names())
    assert not {name for name in tables if name.startswith("library_")}

    call_command("migrate", "library", verbosity=0)
    tables = set(connection.introspection.table_names())
    assert {"library_songlike", "library_playlist", "library_playlistentry"} <= tables


def test_models_and_migrations_agree(db):
    call_command("makemigrations", "library", "--check", "--dry-run", verbosity=0)
