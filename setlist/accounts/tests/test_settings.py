"""Account settings that only the real settings module can show (tests swap hashers)."""

import importlib


def test_passwords_are_hashed_with_argon2_first():
    real = importlib.import_module("config.settings")

    assert real.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_the_password_validators_are_configured():
    real = importlib.import_module("config.settings")

    names = {validator["NAME"].rsplit(".", 1)[-1] for validator in real.AUTH_PASSWORD_VALIDATORS}
    assert names == {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    }
