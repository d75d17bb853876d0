"""Production mode refuses unsafe configuration and passes Django's deployment checklist."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "DJANGO_SECRET_KEY": "test-only-" + "k" * 50,
    "JWT_SIGNING_KEY": "test-only-" + "j" * 50,
    "DJANGO_ALLOWED_HOSTS": "setlist.example.com",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "JWT_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "JWT_SIGNING_KEY"]
)
def test_production_refuses_to_start_without_its_secrets(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_passes_the_deployment_checklist():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr


def test_argon2_hashes_passwords_in_the_real_settings():
    from config import settings as real_settings

    assert real_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_local_mode_needs_no_configuration():
    result = run_manage("check", env={})
    assert result.returncode == 0, result.stderr
