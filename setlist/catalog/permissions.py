"""Who may do what in the catalog (API.md, "Catalog"): anyone reads, Editors write and
publish, only staff holding the model's delete permission delete.

Anonymous callers of a write get 401 (DRF turns a refusal of an unauthenticated request
into `NotAuthenticated`), signed-in callers without the permission 403.
"""

from rest_framework import permissions

from .models import PUBLISH_ALBUM


class CatalogModelPermission(permissions.DjangoModelPermissions):
    """Reads for everyone; add/change by model permission; delete by staff with permission."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": [],
        "HEAD": [],
        "OPTIONS": [],
    }

    def has_permission(self, request, view) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        if request.method == "DELETE" and not (request.user and request.user.is_staff):
            return False
        return super().has_permission(request, view)


class CanPublishAlbums(permissions.BasePermission):
    """`catalog.publish_album`: publish and unpublish."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm(PUBLISH_ALBUM))
