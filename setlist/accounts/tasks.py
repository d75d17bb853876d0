"""Account mail, sent in the background. Tasks take ids and re-read the user.

Delivery is at least once (late acks, retries on mail-server errors). A task whose user
is gone, inactive or has no email does nothing; the welcome mail also keeps a short-lived
marker in the cache so a redelivered message does not greet the same member twice.
"""

import logging
from smtplib import SMTPException

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User

logger = logging.getLogger(__name__)

_RETRY = {
    "autoretry_for": (SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "retry_kwargs": {"max_retries": 5},
}
WELCOME_MARKER_SECONDS = 60 * 60 * 24


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


@shared_task(**_RETRY)
def send_welcome_email(user_id: int) -> None:
    """Greet a new member."""
    user = _recipient(user_id)
    if user is None:
        return
    marker = f"accounts:welcome-mail:{user_id}"
    if not cache.add(marker, 1, timeout=WELCOME_MARKER_SECONDS):
        return  # already sent (or being sent) by an earlier delivery of this message
    try:
        _send(user, "welcome", {})
    except Exception:
        cache.delete(marker)  # let the retry send it
        raise


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
