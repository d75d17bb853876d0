"""Content negotiation that refuses an empty format override instead of ignoring it."""

from django.http import Http404
from rest_framework.negotiation import DefaultContentNegotiation


class StrictContentNegotiation(DefaultContentNegotiation):
    """DRF answers 404 for `?format=xml` but serves the default for `?format=`.

    The schema documents `format` as an enum, so an empty value is an unknown format like
    any other and gets the same 404.
    """

    def select_renderer(self, request, renderers, format_suffix=None):
        override = self.settings.URL_FORMAT_OVERRIDE
        if not format_suffix and override and request.query_params.get(override) == "":
            raise Http404
        return super().select_renderer(request, renderers, format_suffix)
