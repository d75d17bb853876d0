"""JSON parsing with orjson, with a hard cap on the body size.

DRF's parsers read the raw request stream, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE never
applies to them; this parser enforces the same limit itself. orjson also refuses invalid
UTF-8 and nesting deeper than 1024 levels, which DRF turns into a 400.
"""

import orjson
from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from .exceptions import PayloadTooLarge


class ORJSONParser(JSONParser):
    """DRF's JSONParser, parsing with orjson under a size cap.

    Subclassing JSONParser keeps its media type and tells drf-standardized-errors that this
    parser can answer 400 `parse_error`, so the schema documents it.
    """

    def parse(self, stream, media_type=None, parser_context=None):
        if stream is None:
            return None
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise PayloadTooLarge()
        try:
            return orjson.loads(body)
        except orjson.JSONDecodeError as exc:
            raise ParseError(f"JSON parse error: {exc}") from exc
