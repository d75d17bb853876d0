"""The user, and what Setlist remembers about a user's signed-in devices."""

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
