"""Every error under /api/ has one JSON shape; pages elsewhere keep Django's HTML."""

import logging

import pytest

pytestmark = [pytest.mark.urls("setlist.core.tests.urls"), pytest.mark.django_db]


def assert_error_shape(body: dict, error_type: str, code: str | None = None) -> None:
    assert body["type"] == error_type
    assert isinstance(body["errors"], list)
    assert body["errors"]
    for error in body["errors"]:
        assert set(error) == {"code", "detail", "attr"}
    if code is not None:
        assert body["errors"][0]["code"] == code


def test_unknown_api_url_is_a_json_404(api_client):
    response = api_client.get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert_error_shape(response.json(), "client_error", "not_found")


def test_unknown_url_outside_the_api_keeps_the_html_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_wrong_method_is_a_json_405(api_client):
    response = api_client.delete("/api/v1/echo/")
    assert response.status_code == 405
    assert_error_shape(response.json(), "client_error", "method_not_allowed")


def test_validation_error_names_the_field(api_client):
    response = api_client.post("/api/v1/echo/", {"name": "x" * 51}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert_error_shape(body, "validation_error", "max_length")
    assert body["errors"][0]["attr"] == "name"


def test_unhandled_exception_in_a_view_is_a_json_500_logged_with_the_request_id(api_client, caplog):
    api_client.raise_request_exception = False
    with caplog.at_level(logging.ERROR):
        response = api_client.get("/api/v1/crash/", HTTP_X_REQUEST_ID="crash-123")
    assert response.status_code == 500
    assert_error_shape(response.json(), "server_error")
    assert "boom" not in response.content.decode()  # no internals leak to the client
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors
    assert any(getattr(r, "request_id", None) == "crash-123" for r in errors)


def test_crash_outside_drf_under_the_api_is_json_too(client):
    client.raise_request_exception = False
    response = client.get("/api/v1/plain-crash/")
    assert response.status_code == 500
    assert_error_shape(response.json(), "server_error")


def test_crash_outside_the_api_is_an_html_500(client):
    client.raise_request_exception = False
    response = client.get("/elsewhere/crash/")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("text/html")


def test_django_validation_error_from_a_service_becomes_a_400_keeping_its_code(api_client):
    response = api_client.get("/api/v1/rule/")
    assert response.status_code == 400
    body = response.json()
    assert_error_shape(body, "validation_error", "unique")
    assert body["errors"][0]["attr"] == "name"
    assert body["errors"][0]["detail"] == "That name is taken."


def test_unreachable_database_is_a_fast_503_not_a_500(api_client):
    api_client.raise_request_exception = False
    response = api_client.get("/api/v1/db-down/")
    assert response.status_code == 503
    assert_error_shape(response.json(), "server_error", "service_unavailable")


@pytest.mark.parametrize(
    "path", ["/api/v1/auth/sessions/{}/", "/api/v1/me/likes/{}/", "/api/v1/posts/x/comments/{}/"]
)
def test_ids_too_long_for_the_database_match_no_route(user_client, path):
    response = user_client.delete(path.format("9" * 30))
    assert response.status_code == 404
    assert_error_shape(response.json(), "client_error", "not_found")
