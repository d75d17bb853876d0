"""Account events other apps react to, and the welcome mail."""

from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import Signal, receiver

# Sent by `accounts.services.user_delete` inside its transaction, just before the user row
# is deleted (keyword argument `user`). Apps whose rows go with the user (likes, plays,
# favourites) correct the counters those rows moved, so every count stays exact.
user_deleting = Signal()


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="accounts_welcome_mail")
def queue_welcome_mail(sender, instance, created: bool, raw: bool = False, **kwargs) -> None:
    """Every new account, however it was made (API, admin, createsuperuser), is greeted.

    The task is queued after commit: a sign-up that rolls back sends nothing, and the
    worker never looks for a row it cannot see yet.
    """
    if not created or raw:
        return
    from .tasks import send_welcome_email  # tasks import models; keep signals import-light

    transaction.on_commit(partial(send_welcome_email.delay, instance.pk))
