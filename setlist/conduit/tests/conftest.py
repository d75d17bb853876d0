"""Fixtures for the Conduit tests: members with RealWorld tokens and clients using them."""

import pytest
from rest_framework.test import APIClient

from setlist.accounts.tests.factories import UserFactory
from setlist.conduit.views.base import conduit_token_for

API = "/conduit/api"


@pytest.fixture
def token_client():
    """`token_client(user)`: a client sending `Authorization: Token <jwt>` for `user`."""

    def make(user) -> APIClient:
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {conduit_token_for(user)}")
        return client

    return make


@pytest.fixture
def jake(db):
    return UserFactory(username="jake", email="jake@example.com", bio="I work at statefarm")


@pytest.fixture
def jake_client(jake, token_client):
    return token_client(jake)
