"""The environment the benchmark and the fault run serve Setlist with: production
settings on loopback, fresh secrets, plain HTTP, long-lived access tokens, and throttles
too high to be reached (neither measures the limiter's limits)."""

import os
import secrets
from urllib.parse import urlsplit

# Every scope of DEFAULT_THROTTLE_RATES (a test keeps them equal); scripts/schemathesis.sh
# raises the same ones.
THROTTLED_SCOPES = (
    "ANON",
    "USER",
    "LOGIN",
    "REGISTER",
    "CONDUIT_REGISTER",
    "PASSWORD_RESET",
    "PLAYS",
    "SEARCH",
)


def production_env(*, database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "THROTTLE_"))}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DJANGO_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        JWT_SIGNING_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",  # plain HTTP on loopback
        JWT_ACCESS_MINUTES="600",
        LOG_LEVEL="WARNING",
        **extra,
    )
    for scope in THROTTLED_SCOPES:
        env[f"THROTTLE_RATE_{scope}"] = "100000000/min"
    return env


def require_loopback(url: str) -> None:
    """Refuses any target but this machine's loopback: benchmarks never load another host."""
    host = urlsplit(url).hostname or ""
    if not (host == "localhost" or host.startswith("127.") or host == "::1"):
        raise ValueError(f"refusing to load {host}: benchmarks target loopback only")
