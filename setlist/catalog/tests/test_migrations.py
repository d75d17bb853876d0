"""The catalog's migrations: the Editors group, PostgreSQL's indexes, a full round trip."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection

from .conftest import SCHEMA_EDITOR, editors_migration

pytestmark = pytest.mark.django_db

EDITOR_PERMISSIONS = {
    f"{action}_{model}"
    for model in ("genre", "artist", "album", "song")
    for action in ("add", "change", "view")
} | {"publish_album", "view_unpublished"}


def _editor_permissions() -> set[str]:
    return set(Group.objects.get(name="Editors").permissions.values_list("codename", flat=True))


def test_the_data_migration_makes_editors_even_before_permissions_exist():
    """On a fresh database the permissions do not exist yet when the migration runs."""
    Group.objects.filter(name="Editors").delete()
    Permission.objects.filter(content_type__app_label="catalog").delete()

    editors_migration.create_editors(apps, SCHEMA_EDITOR)

    assert _editor_permissions() == EDITOR_PERMISSIONS


def test_the_data_migration_reverses():
    editors_migration.create_editors(apps, SCHEMA_EDITOR)
    editors_migration.remove_editors(apps, SCHEMA_EDITOR)

    assert not Group.objects.filter(name="Editors").exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL-only indexes")
def test_postgresql_has_its_own_indexes():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename LIKE 'catalog_%%'")
        names = {row[0] for row in cursor.fetchall()}

    assert {
        "catalog_artist_search_trgm",
        "catalog_album_search_trgm",
        "catalog_song_search_trgm",
        "catalog_album_year_desc_idx",
    } <= names


@pytest.mark.django_db(transaction=True)
def test_the_catalog_migrates_to_zero_and_back():
    call_command("migrate", "catalog", "zero", verbosity=0)
    assert not Group.objects.filter(name="Editors").exists()

    call_command("migrate", verbosity=0)

    assert _editor_permissions() == EDITOR_PERMISSIONS
