"""Fixtures of the security tests: one world per module, fresh data for every test.

The world is built once per module inside a transaction that is rolled back at the end;
each test runs in its own nested transaction (pytest-django's `db`), rolled back after
it, so a DELETE in one cell never changes what another cell sees. Building the world
for every one of the ~700 cells instead would spend most of the run in factories.
"""

import pytest
from django.db import transaction
from django.test import override_settings

from setlist.accounts import tokens

from .world import World, build_world

TEST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    # Module fixtures run before the root conftest's per-test settings: hash as tests do.
    hashers = override_settings(PASSWORD_HASHERS=TEST_HASHERS)
    with django_db_blocker.unblock(), hashers, transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(shared_world: World, db) -> World:
    """The shared world, with a refresh/access pair of the owner issued for this test
    (access tokens live minutes; a pair made at module start could expire mid-run)."""
    shared_world.owner_pair = tokens.token_pair_issue(user=shared_world.owner, user_agent="pytest")
    return shared_world
