"""Catalog fixtures: the roles of API.md (editor, staff with delete rights), clients, and
a song in a genre that every kind of catalog read can show."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.cache.backends.locmem import LocMemCache
from django.db import connection
from rest_framework.test import APIClient

from setlist.accounts.tests.factories import UserFactory
from setlist.catalog import caching

from .factories import GenreFactory, SongFactory

editors_migration = importlib.import_module("setlist.catalog.migrations.0003_editors_group")
# All the data migration reads from its schema editor is the connection.
SCHEMA_EDITOR = SimpleNamespace(connection=connection)


def editors_group() -> Group:
    """The Editors group, as the data migration makes it.

    Made again here (the migration's own function is idempotent) because a transactional
    test elsewhere in the suite may have flushed the tables since the migrations ran.
    """
    editors_migration.create_editors(apps, SCHEMA_EDITOR)
    return Group.objects.get(name=editors_migration.EDITORS)


@pytest.fixture(autouse=True)
def _private_generation_tokens(settings, monkeypatch):
    """Keeps the cache generation tokens in this process during tests.

    Without Redis the tokens live in the file cache under var/state, which every process
    on the machine shares, so a concurrent test run clearing it would make a cached read
    here miss at random.
    """
    if settings.CACHES["state"]["BACKEND"].endswith("FileBasedCache"):
        tokens = LocMemCache("catalog-generation-tokens", {})
        monkeypatch.setattr(caching, "_generations_cache", lambda: tokens)


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def editor(db):
    """A member of the Editors group that the data migration creates."""
    user = UserFactory(username="editor")
    user.groups.add(editors_group())
    return user


@pytest.fixture
def curator(db):
    """Staff holding every catalog delete permission, besides the Editors' rights."""
    user = UserFactory(username="curator", is_staff=True)
    user.groups.add(editors_group())
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="catalog", codename__startswith="delete_"
        )
    )
    return user


@pytest.fixture
def editor_client(editor) -> APIClient:
    return client_for(editor)


@pytest.fixture
def curator_client(curator) -> APIClient:
    return client_for(curator)


@pytest.fixture
def song():
    """A song in the genre `jazz`: `helpers.detail_reads` names its reads."""
    return SongFactory(title="Song One", genre=GenreFactory(name="Jazz", slug="jazz"))
