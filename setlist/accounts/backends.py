"""Authentication backend: Django's `ModelBackend`, with permissions read in one query."""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.models import Permission
from django.db.models import Q


class ModelBackend(DjangoModelBackend):
    """Reads a user's own and group permissions together.

    Django's backend asks twice (user permissions, then group permissions), and every
    signed-in catalog read asks whether the caller may see unpublished albums: one round
    trip to the database saved on each. The answer is the same set, cached on the user
    object for the request as Django does.
    """

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            permissions = Permission.objects.all()
            if not user_obj.is_superuser:
                permissions = permissions.filter(Q(user=user_obj) | Q(group__user=user_obj))
            pairs = permissions.values_list("content_type__app_label", "codename").distinct()
            user_obj._perm_cache = {f"{app}.{codename}" for app, codename in pairs.order_by()}
        return user_obj._perm_cache
