"""Settings for Setlist, read from the environment (and an optional `.env` file).

Zero variables give a working local service: SQLite under `var/`, local-memory cache,
eager Celery tasks, console mail. Production (`DJANGO_ENV=production`) refuses to start
without `DJANGO_SECRET_KEY` and `DJANGO_ALLOWED_HOSTS`. Every variable is listed, with
its meaning, in `.env.example`.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

ENVIRONMENT = env.str("DJANGO_ENV", default="development")
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env.bool("DJANGO_DEBUG", default=False)

# --- Secrets and hosts -------------------------------------------------------------------

if PRODUCTION:
    for required in ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"):
        if not env.str(required, default=""):
            raise ImproperlyConfigured(f"{required} must be set when DJANGO_ENV=production.")
    SECRET_KEY = env.str("DJANGO_SECRET_KEY")
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
else:
    # A fixed key is fine outside production: nothing signed with it leaves the laptop.
    SECRET_KEY = env.str(
        "DJANGO_SECRET_KEY", default="insecure-local-only-key-9c1e6f0a4b2d47e8a3f5b7c9d1e3f5a7"
    )
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=[])
CORS_ALLOW_CREDENTIALS = True
CORS_URLS_REGEX = r"^/(api|conduit/api)/.*$"

# --- Applications ------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "rest_framework.authtoken",
    "rest_framework_simplejwt.token_blacklist",
    "django_filters",
    "drf_spectacular",
    "drf_standardized_errors",
    "setlist.core",
    "setlist.accounts",
    "setlist.catalog",
    "setlist.library",
    "setlist.journal",
    "setlist.conduit",
]

MIDDLEWARE = [
    "setlist.core.middleware.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "setlist.core.middleware.MaintenanceModeMiddleware",
    "setlist.core.middleware.RequestBodyLimitMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "setlist.core.middleware.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["setlist.accounts.backends.ModelBackend"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- Database ----------------------------------------------------------------------------

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'setlist.sqlite3'}")
}
# Lets parallel test runs against one server use separate test databases.
if env.str("DATABASE_TEST_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env.str("DATABASE_TEST_NAME")}
if DATABASES["default"]["ENGINE"].endswith("postgresql"):
    # Persistent connections, checked before reuse: a database restart costs no request
    # once the server is back. The backend checks without a round trip (see its module).
    DATABASES["default"]["ENGINE"] = "setlist.core.postgresql"
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DATABASE_CONNECT_TIMEOUT", default=3
    )
    # No Memoize nodes: PostgreSQL 15 sizes their hash table by the rows it expects without
    # the LIMIT, and building it took 8 of the 9 ms of a page of likes or history at a
    # million rows (0.9 ms without). Measured neutral or better for every other query.
    session = DATABASES["default"]["OPTIONS"].get("options", "")
    DATABASES["default"]["OPTIONS"]["options"] = f"{session} -c enable_memoize=off".strip()
else:
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        # WAL and a busy timeout let a local server and a management command share the file.
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
# The hottest reads by primary key as prepared statements (setlist/core/prepared.py). Turn
# off behind a pooler that shares server connections per transaction (PgBouncer).
DATABASE_PREPARED_STATEMENTS = env.bool("DATABASE_PREPARED_STATEMENTS", default=True)

# --- Cache, throttles, Celery ------------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env.str("CACHE_KEY_PREFIX", default="setlist"),
            "OPTIONS": {
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        },
    }
    # Shared state (maintenance switch) lives in Redis too: every app server sees it.
    CACHES["state"] = {
        **CACHES["default"],
        "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"] + "-state",
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Without Redis, shared state is kept in files so that `manage.py maintenance`
        # reaches a server running in another process on the same machine.
        "state": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "state"),
        },
    }

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A task whose worker died unacknowledged goes to another worker after this many seconds
# (kombu's default is an hour). Keep it above the longest task, or a running task is
# handed out twice.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=600),
}

# Longest time (seconds) a cached anonymous catalog response may live. Invalidation is
# immediate on every change; this bounds staleness if an invalidation cannot reach Redis.
CATALOG_CACHE_TIMEOUT = env.int("CATALOG_CACHE_TIMEOUT", default=300)
# Where the catalog's generation tokens live: a cache every process shares. With Redis that
# is the default cache, so one round trip reads a token and a cached response together.
CATALOG_GENERATION_CACHE = "default" if REDIS_URL else "state"
# Users' permission sets are kept in a cache every process shares (Redis), invalidated on
# every change; without Redis they are read from the database on each request.
PERMISSIONS_CACHE = "default" if REDIS_URL else None
PERMISSIONS_CACHE_TIMEOUT = env.int("PERMISSIONS_CACHE_TIMEOUT", default=300)

# --- Mail --------------------------------------------------------------------------------

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Setlist <no-reply@setlist.local>")
PASSWORD_RESET_URL = env.str(
    "PASSWORD_RESET_URL", default="http://127.0.0.1:8000/reset-password?uid={uid}&token={token}"
)
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60 * 3)

# --- Passwords ---------------------------------------------------------------------------

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Internationalisation, static files --------------------------------------------------

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# collectstatic target in production; outside it whitenoise serves from the apps.
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles") if PRODUCTION else None
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Outside production whitenoise serves straight from the apps: no collectstatic needed.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = DEBUG

# --- Request limits ----------------------------------------------------------------------

DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("REQUEST_BODY_MAX_BYTES", default=1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000

# --- Security ----------------------------------------------------------------------------

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # Health probes come over plain HTTP from the load balancer.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# --- Django REST framework ---------------------------------------------------------------

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "setlist.accounts.authentication.BearerJWTAuthentication",
        "setlist.accounts.authentication.TokenOrJWTAuthentication",
        "setlist.accounts.authentication.CookieJWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "setlist.core.negotiation.StrictContentNegotiation",
    "DEFAULT_THROTTLE_CLASSES": ["setlist.core.throttling.RateLimits"],
    "DEFAULT_THROTTLE_RATES": {
        scope: env.str(f"THROTTLE_RATE_{scope.upper()}", default=rate)
        for scope, rate in {
            "anon": "600/min",
            "user": "1200/min",
            "login": "10/min",
            "register": "10/hour",
            "password_reset": "5/hour",
            "plays": "120/min",
            "search": "120/min",
            # RealWorld clients and their conformance suite register many users at once.
            "conduit_register": "300/hour",
        }.items()
    },
    "NUM_PROXIES": env.int("NUM_PROXIES", default=0),
    "DEFAULT_PAGINATION_CLASS": "setlist.core.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "setlist.core.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # JSON only: with form encodings an empty field of a partial update reads as "not
    # sent", and characters a form cannot carry vanish silently. Anything else is a 415.
    "DEFAULT_PARSER_CLASSES": ["setlist.core.parsers.ORJSONParser"],
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "setlist.core.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "setlist.core.exception_handler.SetlistExceptionHandler",
    # 503 can answer any operation (maintenance, database down); 409/412/413 are named by
    # the operations that raise them (setlist/core/openapi.py).
    "ALLOWED_ERROR_STATUS_CODES": [
        "400",
        "401",
        "403",
        "404",
        "405",
        "406",
        "415",
        "429",
        "500",
        "503",
    ],
    "ERROR_SCHEMAS": {"503": "setlist.core.openapi.ErrorResponse503Serializer"},
}

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=5)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    "UPDATE_LAST_LOGIN": False,
    "SIGNING_KEY": env.str("JWT_SIGNING_KEY", default="") or SECRET_KEY,
    "AUTH_HEADER_TYPES": ("Bearer",),
    # Access tokens carry a digest of the password hash: a password change revokes them.
    "CHECK_REVOKE_TOKEN": True,
}
if PRODUCTION and not env.str("JWT_SIGNING_KEY", default=""):
    raise ImproperlyConfigured("JWT_SIGNING_KEY must be set when DJANGO_ENV=production.")

# Lifetime of the JWT that RealWorld (Conduit) clients keep for a whole session.
CONDUIT_TOKEN_HOURS = env.int("CONDUIT_TOKEN_HOURS", default=24)

JWT_COOKIE_ACCESS_NAME = "setlist_access"
JWT_COOKIE_REFRESH_NAME = "setlist_refresh"
JWT_COOKIE_SAMESITE = env.str("JWT_COOKIE_SAMESITE", default="Lax")
JWT_COOKIE_SECURE = PRODUCTION

_ERRORS = "drf_standardized_errors.openapi_serializers."
SPECTACULAR_SETTINGS = {
    "TITLE": "Setlist API",
    "DESCRIPTION": (
        "A music community: catalog, the listener's library, a journal, and a "
        "RealWorld-compatible face on that journal."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SCHEMA_PATH_PREFIX": r"/(api/v1|conduit/api)",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ValidationErrorEnum": _ERRORS + "ValidationErrorEnum.choices",
        "ClientErrorEnum": _ERRORS + "ClientErrorEnum.choices",
        "ServerErrorEnum": _ERRORS + "ServerErrorEnum.choices",
        "ErrorCode401Enum": _ERRORS + "ErrorCode401Enum.choices",
        "ErrorCode403Enum": _ERRORS + "ErrorCode403Enum.choices",
        "ErrorCode404Enum": _ERRORS + "ErrorCode404Enum.choices",
        "ErrorCode405Enum": _ERRORS + "ErrorCode405Enum.choices",
        "ErrorCode406Enum": _ERRORS + "ErrorCode406Enum.choices",
        "ErrorCode415Enum": _ERRORS + "ErrorCode415Enum.choices",
        "ErrorCode429Enum": _ERRORS + "ErrorCode429Enum.choices",
        "ErrorCode500Enum": _ERRORS + "ErrorCode500Enum.choices",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_standardized_errors.openapi_hooks.postprocess_schema_enums",
    ],
}

# --- Maintenance switch ------------------------------------------------------------------

MAINTENANCE_RETRY_AFTER = env.int("MAINTENANCE_RETRY_AFTER", default=120)

# --- Logging -----------------------------------------------------------------------------

LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "setlist.core.logging.RequestIdFilter"}},
    "formatters": {
        "json": {"()": "setlist.core.logging.JSONFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Setlist's own access log replaces the server's.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
    },
}
