"""Account events other apps react to, and the welcome mail."""

from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import Signal, receiver

from .permissions_cache import permissions_changed

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


def _permissions_changed(sender, action: str = "post_", **kwargs) -> None:
    if action.startswith("post_"):
        permissions_changed()


# Cached permission sets (permissions_cache.py) go stale on every change of who holds
# what: memberships, grants, groups and permissions saved or deleted, migrations.
_User = get_user_model()
for _through in (_User.groups.through, _User.user_permissions.through, Group.permissions.through):
    m2m_changed.connect(_permissions_changed, sender=_through, dispatch_uid="permissions")
for _model in (Group, Permission):
    post_save.connect(_permissions_changed, sender=_model, dispatch_uid="permissions")
    post_delete.connect(_permissions_changed, sender=_model, dispatch_uid="permissions")
post_migrate.connect(_permissions_changed, dispatch_uid="permissions")
