"""Settings for the reference servers: Setlist's settings with no middleware.

The references show what the same hardware, database and data can do with less machinery,
so the benchmark reports Setlist as ratios that hold on any machine.
"""

from config.settings import *  # noqa: F403

MIDDLEWARE: list[str] = []
ROOT_URLCONF = "bench.refs_urls"
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    # The tutorial's way: DRF's defaults, nothing tuned.
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": [],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
}
