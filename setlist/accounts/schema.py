"""OpenAPI descriptions of Setlist's own authentication classes (drf-spectacular).

`TokenOrJWTAuthentication` subclasses DRF's `TokenAuthentication`, which drf-spectacular
already describes; the two JWT classes need their own.
"""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework_simplejwt.settings import api_settings


class BearerJWTScheme(OpenApiAuthenticationExtension):
    target_class = "setlist.accounts.authentication.BearerJWTAuthentication"
    name = "jwtAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="HTTP_AUTHORIZATION",
            token_prefix=api_settings.AUTH_HEADER_TYPES[0],
            bearer_format="JWT",
        )


class CookieJWTScheme(OpenApiAuthenticationExtension):
    target_class = "setlist.accounts.authentication.CookieJWTAuthentication"
    name = "jwtCookieAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "cookie", "name": settings.JWT_COOKIE_ACCESS_NAME}
