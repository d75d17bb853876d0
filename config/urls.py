"""Root URL configuration: service endpoints, docs, admin and the versioned API."""

from django.contrib import admin
from django.urls import include, path, register_converter
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from setlist.core import health
from setlist.core.converters import IdConverter

# `<id:pk>` in every app's routes: ids that cannot exist are a 404, never a driver error.
register_converter(IdConverter, "id")


class DocsPage:
    """The documentation pages serve GET and HEAD only: OPTIONS would render the page's
    template without the context it needs (a 500 in drf-spectacular's Swagger view)."""

    http_method_names = ["get", "head"]


class SwaggerDocs(DocsPage, SpectacularSwaggerView):
    pass


class RedocDocs(DocsPage, SpectacularRedocView):
    pass


api_v1 = [
    path("", include("setlist.accounts.urls")),
    path("", include("setlist.catalog.urls")),
    path("", include("setlist.library.urls")),
    path("", include("setlist.journal.urls")),
]

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SwaggerDocs.as_view(url_name="schema"), name="swagger-ui"),
    path("api/redoc/", RedocDocs.as_view(url_name="schema"), name="redoc"),
    path("api/v1/", include(api_v1)),
    path("conduit/api/", include("setlist.conduit.urls")),
    path("admin/", admin.site.urls),
    path("api-auth/", include("rest_framework.urls")),
]

handler404 = "setlist.core.errors.page_not_found"
handler500 = "setlist.core.errors.server_error"
handler400 = "setlist.core.errors.bad_request"
handler403 = "setlist.core.errors.permission_denied"
