"""Account mail, sent in the background. Tasks take ids and re-read the user.

Delivery is at least once (late acks, retries on mail-server errors). A task whose user
is gone, inactive or has no email does nothing. The welcome mail is sent once per member:
its `MailDelivery` row is claimed, the mail sent and the row stamped in one transaction
(see `_deliver_once`).

Mails are queued after the request that asks for them has committed; `MailTask` makes
sure an unreachable broker then costs the request neither a 500 nor a long wait.
"""

import logging
from smtplib import SMTPException

from celery import Task, shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from kombu.exceptions import OperationalError as BrokerUnavailable

from .models import MailDelivery, User

logger = logging.getLogger(__name__)

# One quick reconnect (a connection left stale by a broker restart), then give up.
PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}


class MailTask(Task):
    """A mail task whose queueing never fails the request that asked for the mail.

    The request's own work (a sign-up, a reset request) has already committed when the
    mail is queued (`transaction.on_commit`). If the broker is unreachable then, raising
    would answer 500 for a sign-up that happened, after the client waited through
    kombu's default publish retries. Instead the publish is tried quickly and a failure
    is logged as an error; the caller gets None instead of an AsyncResult.
    """

    def apply_async(self, args=None, kwargs=None, **options):
        options.setdefault("retry_policy", PUBLISH_RETRY_POLICY)
        try:
            return super().apply_async(args, kwargs, **options)
        except BrokerUnavailable as exc:
            logger.error("%s not queued: broker unavailable", self.name, exc_info=exc)
            return None


_RETRY = {
    "base": MailTask,
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "retry_kwargs": {"max_retries": 5},
}


def _recipient(user_id: int) -> User | None:
    user = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if user is None:
        logger.info("account mail skipped: no active user with an email", extra={"user": user_id})
    return user


def _send(user: User, template: str, context: dict) -> None:
    context = {"user": user, **context}
    subject = render_to_string(f"accounts/email/{template}_subject.txt", context)
    body = render_to_string(f"accounts/email/{template}_body.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email])


@transaction.atomic
def _deliver_once(user: User, kind: str, template: str) -> bool:
    """Send `template` to `user` unless this kind of mail already reached them.

    The row lock makes a concurrent delivery of the same message wait, then skip. The
    stamp commits only after the mail server took the mail: a failed send rolls it back
    (the retry sends), and so does a worker killed mid-send (its connection drops and the
    redelivered message sends). The one remaining window, a crash between the mail
    server's answer and the commit, repeats a mail rather than losing it.
    """
    # Concurrent first deliveries meet on the unique (kind, user) constraint.
    MailDelivery.objects.get_or_create(kind=kind, user=user)
    delivery = MailDelivery.objects.select_for_update().get(kind=kind, user=user)
    if delivery.sent_at is not None:
        logger.info("%s mail already sent; skipped", kind, extra={"user": user.pk})
        return False
    _send(user, template, {})
    delivery.sent_at = timezone.now()
    delivery.save(update_fields=["sent_at"])
    return True


@shared_task(**_RETRY)
def send_welcome_email(user_id: int) -> None:
    """Greet a new member, once however often the message is delivered."""
    user = _recipient(user_id)
    if user is None:
        return
    _deliver_once(user, MailDelivery.Kind.WELCOME, "welcome")


@shared_task(**_RETRY)
def send_password_reset_email(user_id: int) -> None:
    """Mail a one-time password reset link built from `settings.PASSWORD_RESET_URL`.

    The token is made here, from the user as they are now, so a link is never older
    than its mail.
    """
    user = _recipient(user_id)
    if user is None:
        return
    reset_url = settings.PASSWORD_RESET_URL.format(
        uid=urlsafe_base64_encode(force_bytes(user.pk)),
        token=default_token_generator.make_token(user),
    )
    _send(user, "password_reset", {"reset_url": reset_url})
