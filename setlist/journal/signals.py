"""Reactions to account events: a deleted member's favourites leave the counters."""

from django.dispatch import receiver

from setlist.accounts.signals import user_deleting

from . import services


@receiver(user_deleting, dispatch_uid="journal_favorites_on_user_delete")
def withdraw_favorites(sender, user, **kwargs) -> None:
    """The cascade would drop the member's favourites without touching `favorite_count`
    on other people's posts; withdraw them through the service, which does."""
    services.favorites_remove_all(user=user)
