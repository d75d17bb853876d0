"""Account reads shaped for the API."""

from django.db.models import QuerySet, prefetch_related_objects
from django.utils import timezone
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from .models import User


def session_list(*, user: User) -> QuerySet[OutstandingToken]:
    """The user's live refresh tokens (neither blacklisted nor expired), newest first."""
    return (
        OutstandingToken.objects.filter(
            user=user, blacklistedtoken__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("device")
        .order_by("-created_at", "-id")
    )


def user_me(*, user: User) -> User:
    """The caller, with what the `users/me/` representation needs (groups) prefetched."""
    prefetch_related_objects([user], "groups")
    return user
