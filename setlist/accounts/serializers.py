"""Translation between JSON and the account services. The rules live in `services.py`."""

from django.db import models
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from setlist.core.fields import StrictCharField, StrictEmailField, StrictURLField

from .models import User


def _password_field(**kwargs) -> StrictCharField:
    # Passwords are taken as typed: no trimming, never echoed back.
    return StrictCharField(
        write_only=True, trim_whitespace=False, style={"input_type": "password"}, **kwargs
    )


# --- Sign-up and tokens --------------------------------------------------------------------


class RegisterSerializer(serializers.Serializer):
    """Sign-up input `{username, email, password}` and output `{id, username, email}`."""

    id = serializers.IntegerField(read_only=True)
    username = StrictCharField(max_length=150)
    email = StrictEmailField(max_length=254)
    password = _password_field(max_length=4096)


class CredentialsSerializer(serializers.Serializer):
    username = StrictCharField(max_length=254)
    password = _password_field(max_length=4096)


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class RefreshInputSerializer(serializers.Serializer):
    refresh = StrictCharField(max_length=4096)


class VerifyInputSerializer(serializers.Serializer):
    token = StrictCharField(max_length=4096)


class EmptySerializer(serializers.Serializer):
    """`{}`."""


class ApiTokenSerializer(serializers.Serializer):
    token = serializers.CharField(source="key")


class SessionSerializer(serializers.ModelSerializer):
    """One signed-in device: a live refresh token of the caller."""

    user_agent = serializers.SerializerMethodField()

    class Meta:
        model = OutstandingToken
        fields = ("id", "created_at", "expires_at", "user_agent")
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_user_agent(self, token: OutstandingToken) -> str:
        # Tokens made outside `token_pair_issue` (simplejwt's own helpers) have no device.
        device = getattr(token, "device", None)
        return device.user_agent if device is not None else ""


# --- The caller's account ------------------------------------------------------------------


class MeSerializer(serializers.ModelSerializer):
    """The caller's own account. Writes touch only the profile fields."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.EmailField: StrictEmailField,
    }

    groups = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    bio = StrictCharField(allow_blank=True, allow_null=True, required=False)
    image = StrictURLField(max_length=500, allow_blank=True, allow_null=True, required=False)

    class Meta:
        model = User
        fields = (
            "id",
            "username",
            "email",
            "first_name",
            "last_name",
            "bio",
            "image",
            "date_joined",
            "is_staff",
            "groups",
        )
        read_only_fields = ("id", "username", "date_joined", "is_staff", "groups")
        extra_kwargs = {"email": {"allow_blank": False}}


class CurrentPasswordSerializer(serializers.Serializer):
    current_password = _password_field(max_length=4096)


class PasswordChangeSerializer(serializers.Serializer):
    current_password = _password_field(max_length=4096)
    new_password = _password_field(max_length=4096)


class PasswordResetSerializer(serializers.Serializer):
    email = StrictEmailField(max_length=254)


class PasswordResetConfirmSerializer(serializers.Serializer):
    uid = StrictCharField(max_length=64)
    token = StrictCharField(max_length=128)
    new_password = _password_field(max_length=4096)


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()
