from unittest import mock

import pytest


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: pytest-django makes any database access here an error.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_is_ok_when_database_and_cache_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


@pytest.mark.django_db
def test_readyz_names_the_cache_when_it_is_down(client):
    with mock.patch("setlist.core.health.cache.set", side_effect=ConnectionError("down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "unavailable"}


@pytest.mark.django_db
def test_readyz_names_the_database_when_it_is_down(client):
    with mock.patch("setlist.core.health.connection.cursor", side_effect=OSError("down")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "unavailable", "cache": "ok"}
