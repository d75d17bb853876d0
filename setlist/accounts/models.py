"""The user, and what Setlist remembers about a user's signed-in devices."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken


class User(AbstractUser):
    """A member. Usernames and emails are unique regardless of case."""

    email = models.EmailField("email address", blank=True)
    # Null rather than "" when unset: the RealWorld API reports a missing bio as null.
    bio = models.TextField(blank=True, null=True)  # noqa: DJ001
    image = models.URLField(max_length=500, blank=True, null=True)  # noqa: DJ001

    class Meta:
        constraints = [
            # The messages and codes match `services.user_create`, so the admin's model
            # validation reports a clash exactly as the API does.
            models.UniqueConstraint(
                Lower("username"),
                name="accounts_user_username_ci_unique",
                violation_error_code="unique",
                violation_error_message="A user with that username already exists.",
            ),
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                condition=~models.Q(email=""),
                violation_error_code="unique",
                violation_error_message="A user with that email already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.username


class RefreshTokenDevice(models.Model):
    """The device (user agent) a refresh token was issued to, for the sessions list."""

    token = models.OneToOneField(
        OutstandingToken, on_delete=models.CASCADE, related_name="device", primary_key=True
    )
    user_agent = models.CharField(max_length=255, blank=True)

    def __str__(self) -> str:
        return self.user_agent or f"token {self.token_id}"


class MailDelivery(models.Model):
    """A mail that reaches a member once per kind (the welcome mail): its durable marker.

    Mail tasks are delivered at least once (late acks), so the task claims this row with a
    row lock, sends, and stamps `sent_at` in the same transaction. A redelivered task finds
    the stamp and does nothing; a worker killed mid-send never commits the stamp, so the
    redelivery sends the mail instead of losing it.
    """

    class Kind(models.TextChoices):
        WELCOME = "welcome", "Welcome"

    kind = models.CharField(max_length=32, choices=Kind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_deliveries"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "user"], name="accounts_mail_delivery_unique"),
        ]
        verbose_name_plural = "mail deliveries"

    def __str__(self) -> str:
        state = "sent" if self.sent_at else "pending"
        return f"{self.kind} mail to user {self.user_id} ({state})"
