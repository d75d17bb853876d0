"""Fixtures for the journal tests: an author with a post, and clients for anyone."""

import pytest
from rest_framework.test import APIClient

from setlist.accounts.tests.factories import UserFactory

from .factories import PostFactory


@pytest.fixture
def client_for():
    """`client_for(user)`: an API client signed in as `user`."""

    def make(user) -> APIClient:
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


@pytest.fixture
def author(db):
    return UserFactory(username="writer", bio="Writes about records.")


@pytest.fixture
def post(author):
    return PostFactory(
        author=author,
        title="Blue Train",
        slug="blue-train",
        body="# Blue\n\nTrain",
        tags=["jazz", "bop"],
    )
