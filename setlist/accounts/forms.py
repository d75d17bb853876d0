"""Admin forms bound to Setlist's user model (Django's defaults name `auth.User`)."""

from django.contrib.auth import forms as auth_forms
from django.db import models

from .models import User


def formfield_for(model_field: models.Field, **kwargs):
    # Profile image URLs typed without a scheme are taken as https (Django 6's default).
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class UserCreationForm(auth_forms.AdminUserCreationForm):
    """The admin's add form: username, email, and a password (or none, for SSO users)."""

    class Meta(auth_forms.AdminUserCreationForm.Meta):
        model = User
        fields = ("username", "email")
        formfield_callback = formfield_for


class UserChangeForm(auth_forms.UserChangeForm):
    class Meta(auth_forms.UserChangeForm.Meta):
        model = User
        formfield_callback = formfield_for
