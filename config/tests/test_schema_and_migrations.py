"""The OpenAPI schema validates, models and migrations agree, and every migration reverses."""

import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor


def test_openapi_schema_validates_without_warnings(tmp_path):
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "openapi.yml")
    )
    assert (tmp_path / "openapi.yml").read_text().startswith("openapi: 3")


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


SETLIST_APPS = [c.label for c in apps.get_app_configs() if c.name.startswith("setlist.")]


@pytest.mark.django_db(transaction=True)
def test_every_setlist_migration_reverses_to_zero_and_back():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    with_migrations = [label for label in SETLIST_APPS if any(a == label for a, _ in leaves)]
    assert "accounts" in with_migrations
    # Unapply in reverse dependency order (dependants first), then apply everything again.
    for label in reversed(with_migrations):
        call_command("migrate", label, "zero", verbosity=0)
    call_command("migrate", verbosity=0)
    executor = MigrationExecutor(connection)
    assert executor.migration_plan(executor.loader.graph.leaf_nodes()) == []
