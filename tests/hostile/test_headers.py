"""Security headers on every kind of response, a Content-Security-Policy on HTML pages
that the docs pages work under, HSTS in production, and CORS only for configured origins.
"""

import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

pytestmark = [pytest.mark.django_db, pytest.mark.urls("setlist.core.tests.urls")]

# One request for each kind of response the service gives.
RESPONSES = {
    "json_200": ("get", "/api/v1/genres/", {}),
    "json_400": ("get", "/api/v1/numbers/?page_size=abc", {}),
    "json_401": ("get", "/api/v1/users/me/", {}),
    "json_404_unknown_url": ("get", "/api/v1/no-such-thing/", {}),
    "json_405": ("delete", "/api/v1/tags/", {}),
    "json_413": ("post", "/api/v1/echo/", {"CONTENT_LENGTH": str(10**9)}),
    "json_400_bad_content_length": ("post", "/api/v1/echo/", {"CONTENT_LENGTH": "x"}),
    "json_500_drf_view": ("get", "/api/v1/crash/", {}),
    "json_500_plain_view": ("get", "/api/v1/plain-crash/", {}),
    "json_503_database_down": ("get", "/api/v1/db-down/", {}),
    "conduit_json": ("get", "/conduit/api/tags", {}),
    "schema": ("get", "/api/schema/", {}),
    "healthz": ("get", "/healthz", {}),
    "html_admin_login": ("get", "/admin/login/", {}),
    "html_admin_redirect": ("get", "/admin/", {}),
    "html_swagger_ui": ("get", "/api/docs/", {}),
    "html_redoc": ("get", "/api/redoc/", {}),
    "html_browsable_api": ("get", "/api/v1/genres/", {"HTTP_ACCEPT": "text/html"}),
    "html_drf_login": ("get", "/api-auth/login/", {}),
    "html_404": ("get", "/no-such-page/", {}),
    "html_500": ("get", "/elsewhere/crash/", {}),
}
HTML_PAGES = [
    name for name in RESPONSES if name.startswith("html_") and name != "html_admin_redirect"
]


def fetch(name: str):
    method, path, extra = RESPONSES[name]
    client = APIClient()
    client.raise_request_exception = False
    return getattr(client, method)(path, **extra)


@pytest.mark.parametrize("name", list(RESPONSES))
def test_every_response_carries_the_security_headers(name):
    response = fetch(name)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    framing = response.get("X-Frame-Options") == "DENY" or "frame-ancestors 'none'" in response.get(
        "Content-Security-Policy", ""
    )
    assert framing
    assert response["X-Request-ID"]


def test_the_responses_are_of_the_kinds_they_are_named_after():
    """Keeps the table above honest: each entry is the status and type it claims."""
    for name in RESPONSES:
        response = fetch(name)
        kind = response.get("Content-Type", "")
        if name.startswith("html_") and name != "html_admin_redirect":
            assert kind.startswith("text/html"), name
        code = name.split("_")[1] if "_" in name else ""
        if code.isdigit():
            assert response.status_code == int(code), name


@pytest.mark.parametrize("name", HTML_PAGES)
def test_html_pages_carry_a_content_security_policy(name):
    policy = parse_policy(fetch(name)["Content-Security-Policy"])
    assert policy["default-src"] == {"'self'"}
    assert policy["frame-ancestors"] == {"'none'"}
    assert policy["base-uri"] == {"'self'"}
    assert "'unsafe-eval'" not in policy["script-src"]
    assert not any("*" in source for sources in policy.values() for source in sources)


@pytest.mark.parametrize("name", ["json_200", "schema", "healthz", "json_500_drf_view"])
def test_json_responses_need_no_policy(name):
    assert "Content-Security-Policy" not in fetch(name)


def parse_policy(header: str) -> dict[str, set[str]]:
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: set(sources) for name, *sources in directives}


class Assets(HTMLParser):
    """What a page loads: external scripts, styles, icons, images; inline code."""

    def __init__(self):
        super().__init__()
        self.loads: list[tuple[str, str]] = []  # (directive, url)
        self.inline_script = self.inline_style = False
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            if attrs.get("src"):
                self.loads.append(("script-src", attrs["src"]))
            else:
                self._in_script = True
        elif tag == "link" and attrs.get("href"):
            rel = attrs.get("rel", "")
            if "stylesheet" in rel:
                self.loads.append(("style-src", attrs["href"]))
            elif "icon" in rel:
                self.loads.append(("img-src", attrs["href"]))
        elif tag == "img" and attrs.get("src"):
            self.loads.append(("img-src", attrs["src"]))
        elif tag == "style":
            self.inline_style = True

    def handle_data(self, data):
        if self._in_script and data.strip():
            self.inline_script = True

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False


def _allowed(url: str, sources: set[str]) -> bool:
    parts = urlsplit(url)
    if not parts.netloc:
        return "'self'" in sources
    return f"{parts.scheme}://{parts.netloc}" in sources


@pytest.mark.parametrize("name", HTML_PAGES)
def test_the_policy_allows_everything_the_page_loads(name):
    response = fetch(name)
    policy = parse_policy(response["Content-Security-Policy"])
    page = Assets()
    page.feed(response.content.decode())
    for directive, url in page.loads:
        assert _allowed(urljoin("/", url), policy[directive]), (directive, url)
    if page.inline_script:
        assert "'unsafe-inline'" in policy["script-src"]
    if page.inline_style:
        assert "'unsafe-inline'" in policy["style-src"]


def test_the_policy_allows_exactly_the_script_and_style_hosts_the_docs_load():
    """No host in script-src or style-src that no page needs."""
    needed: dict[str, set[str]] = {"script-src": set(), "style-src": set()}
    policy = parse_policy(fetch("html_swagger_ui")["Content-Security-Policy"])
    for name in HTML_PAGES:
        page = Assets()
        page.feed(fetch(name).content.decode())
        for directive, url in page.loads:
            parts = urlsplit(url)
            if directive in needed and parts.netloc:
                needed[directive].add(f"{parts.scheme}://{parts.netloc}")
    for directive, hosts in needed.items():
        assert {s for s in policy[directive] if "://" in s} == hosts, directive
    # Redoc pulls its web fonts from Google; Swagger UI's favicon comes from the CDN.
    assert policy["font-src"] == {"'self'", "https://fonts.gstatic.com"}
    assert policy["worker-src"] == {"'self'", "blob:"}  # Redoc builds its search worker
    assert policy["connect-src"] == {"'self'"}  # both fetch the schema from this origin


def test_the_docs_use_the_cdn_the_policy_names():
    spectacular = django_settings.SPECTACULAR_SETTINGS
    from drf_spectacular.settings import spectacular_settings

    assert "SWAGGER_UI_DIST" not in spectacular
    assert "REDOC_DIST" not in spectacular
    for dist in (spectacular_settings.SWAGGER_UI_DIST, spectacular_settings.REDOC_DIST):
        assert dist.startswith("https://cdn.jsdelivr.net/")


# --- HSTS in production -------------------------------------------------------------------

PRODUCTION_PROBE = """
import json, django
django.setup()
from django.test import Client
client = Client()
secure = client.get("/healthz", secure=True, HTTP_HOST="setlist.example.com")
plain = client.get("/api/v1/genres/", HTTP_HOST="setlist.example.com")
print(json.dumps({
    "hsts": secure.get("Strict-Transport-Security"),
    "nosniff": secure.get("X-Content-Type-Options"),
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
}))
"""


def test_production_sends_hsts_and_redirects_plain_http():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JWT_"))}
    env.update(
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY="test-only-" + "k" * 50,
        JWT_SIGNING_KEY="test-only-" + "j" * 50,
        DJANGO_ALLOWED_HOSTS="setlist.example.com",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    result = subprocess.run(
        [sys.executable, "-c", PRODUCTION_PROBE],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["nosniff"] == "nosniff"
    assert seen["plain_status"] == 301
    assert seen["plain_location"].startswith("https://setlist.example.com/")


def test_development_sends_no_hsts():
    assert "Strict-Transport-Security" not in fetch("json_200")


# --- CORS ---------------------------------------------------------------------------------

APP = "https://app.example.com"


def preflight(client, origin: str, path: str = "/api/v1/genres/"):
    return client.options(
        path,
        HTTP_ORIGIN=origin,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization, content-type",
    )


@pytest.fixture
def app_origin(settings):
    settings.CORS_ALLOWED_ORIGINS = [APP]


def test_a_configured_origin_passes_preflight(app_origin, api_client):
    response = preflight(api_client, APP)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == APP
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "authorization" in response["Access-Control-Allow-Headers"]


@pytest.mark.parametrize("path", ["/api/v1/genres/", "/conduit/api/tags"])
def test_a_configured_origin_may_read_simple_responses(app_origin, api_client, path):
    response = api_client.get(path, HTTP_ORIGIN=APP)
    assert response["Access-Control-Allow-Origin"] == APP
    assert response["Access-Control-Allow-Credentials"] == "true"


@pytest.mark.parametrize(
    "origin",
    [
        "https://evil.example",
        "https://app.example.com.evil.example",
        "http://app.example.com",
        "null",
    ],
)
def test_an_unconfigured_origin_gets_no_cors_headers(app_origin, api_client, origin):
    assert "Access-Control-Allow-Origin" not in preflight(api_client, origin)
    assert "Access-Control-Allow-Origin" not in api_client.get(
        "/api/v1/genres/", HTTP_ORIGIN=origin
    )


def test_pages_outside_the_api_get_no_cors_headers(app_origin, api_client):
    assert "Access-Control-Allow-Origin" not in api_client.get("/admin/login/", HTTP_ORIGIN=APP)


def test_by_default_no_origin_is_allowed(api_client):
    assert django_settings.CORS_ALLOWED_ORIGINS == []
    assert not getattr(django_settings, "CORS_ALLOW_ALL_ORIGINS", False)
    assert not getattr(django_settings, "CORS_ALLOWED_ORIGIN_REGEXES", [])
    assert "Access-Control-Allow-Origin" not in preflight(api_client, APP)
    assert "Access-Control-Allow-Origin" not in api_client.get("/api/v1/genres/", HTTP_ORIGIN=APP)
