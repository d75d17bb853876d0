"""WSGI entry points for the references: `bench.refs_wsgi:application` and `:floor`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_refs"

application = get_wsgi_application()

from bench.references import floor_app as floor  # noqa: E402

__all__ = ["application", "floor"]
