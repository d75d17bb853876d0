"""WSGI entry point (granian serves it: `granian --interface wsgi config.wsgi:application`).

Each worker process loads the whole application here, before its first request, and then
hides what it loaded from the cyclic garbage collector (`gc.freeze()`): those objects live
as long as the process, yet every full collection walked all of them (about 115 000, 70 ms
on the development machine, holding the GIL and so stalling every thread of the worker).
After the freeze a full collection walks only what requests left behind.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - imports every URL conf and view now, not on a request
gc.freeze()
