"""Request ids, the access log, maintenance mode and security headers."""

import json
import logging

import pytest
from django.core.management import call_command

from setlist.core.logging import JSONFormatter
from setlist.core.maintenance import is_maintenance_on, set_maintenance

pytestmark = [pytest.mark.urls("setlist.core.tests.urls"), pytest.mark.django_db]


def test_a_sane_client_request_id_is_echoed(api_client):
    response = api_client.get("/healthz", HTTP_X_REQUEST_ID="abc-123.DEF_4")
    assert response["X-Request-ID"] == "abc-123.DEF_4"


@pytest.mark.parametrize("offered", ["", "has spaces", "x" * 200, "evil\r\nInjected: yes"])
def test_an_unusable_request_id_is_replaced(api_client, offered):
    response = api_client.get("/healthz", HTTP_X_REQUEST_ID=offered)
    assert response["X-Request-ID"] != offered
    assert len(response["X-Request-ID"]) == 32


def test_each_request_logs_one_structured_access_line(api_client, user, caplog):
    api_client.force_authenticate(user)
    with caplog.at_level(logging.INFO, logger="setlist.access"):
        response = api_client.post(
            "/api/v1/echo/", {"name": "x"}, format="json", HTTP_X_REQUEST_ID="req-1"
        )
    lines = [r for r in caplog.records if r.name == "setlist.access"]
    assert len(lines) == 1
    record = lines[0]
    assert (record.method, record.path, record.status) == ("POST", "/api/v1/echo/", 200)
    assert record.user_id == user.pk
    assert record.request_id == response["X-Request-ID"] == "req-1"
    assert record.duration_ms >= 0
    line = json.loads(JSONFormatter().format(record))
    assert line["status"] == 200
    assert line["request_id"] == "req-1"


def test_maintenance_mode_short_circuits_the_api_only(api_client, admin_client):
    set_maintenance(True)
    response = api_client.post("/api/v1/echo/", {"name": "x"}, format="json")
    assert response.status_code == 503
    assert response.json()["errors"][0]["code"] == "maintenance"
    assert int(response["Retry-After"]) > 0
    assert api_client.get("/healthz").status_code == 200
    assert api_client.get("/readyz").status_code == 200
    assert admin_client.get("/admin/").status_code == 200
    set_maintenance(False)
    assert api_client.post("/api/v1/echo/", {"name": "x"}, format="json").status_code == 200


def test_maintenance_command_flips_the_shared_switch(capsys):
    call_command("maintenance", "on")
    assert is_maintenance_on()
    assert "on" in capsys.readouterr().out
    call_command("maintenance", "off")
    assert not is_maintenance_on()


def test_security_headers_on_api_responses(api_client):
    response = api_client.get("/healthz")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_html_pages_get_a_content_security_policy(client):
    response = client.get("/admin/login/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_cors_only_for_configured_origins(api_client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
    allowed = api_client.get("/api/v1/numbers/", HTTP_ORIGIN="https://app.example.com")
    refused = api_client.get("/api/v1/numbers/", HTTP_ORIGIN="https://evil.example.net")
    assert allowed["Access-Control-Allow-Origin"] == "https://app.example.com"
    assert "Access-Control-Allow-Origin" not in refused
