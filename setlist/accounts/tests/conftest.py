"""Fixtures for the account tests."""

import pytest

from .helpers import obtain_pair


@pytest.fixture
def pair(api_client, user) -> dict:
    """A token pair for `user`, obtained through the API."""
    return obtain_pair(api_client, user.username)
