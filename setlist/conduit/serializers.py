"""RealWorld bodies: wrapped (`{"article": {...}}`), camelCase, errors in RealWorld's words.

Output serializers read the annotated rows of the journal selectors (`favorited`,
`author_following`, `following`). Input serializers only check shape; the accounts and
journal services apply the rules, and `errors.py` words their errors.
"""

from datetime import UTC, datetime

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from setlist.accounts.models import User
from setlist.core.fields import StrictCharField, StrictIntegerField
from setlist.journal.models import TAG_MAX_LENGTH, Comment, Post
from setlist.journal.services import MAX_TAGS_PER_POST

from .errors import CANT_BE_BLANK, PASSWORD_TOO_SHORT

TEXT_MESSAGES = {
    "required": CANT_BE_BLANK,
    "blank": CANT_BE_BLANK,
    "null": CANT_BE_BLANK,
    "invalid": "is invalid",
    "max_length": "is too long (maximum is {max_length} characters)",
    "min_length": PASSWORD_TOO_SHORT,
}
OBJECT_MESSAGES = {"required": CANT_BE_BLANK, "null": CANT_BE_BLANK, "invalid": "is invalid"}
INTEGER_MESSAGES = {
    "invalid": "is not a number",
    "min_value": "must be greater than or equal to {min_value}",
    "max_string_length": "is too large",
}
PASSWORD_MIN_LENGTH = 8
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
MAX_OFFSET = 2**31 - 1


def _text(**kwargs) -> serializers.CharField:
    # A JSON string only: the spec types these as strings, and `12` is a client's bug.
    return StrictCharField(error_messages=TEXT_MESSAGES, **kwargs)


def _optional_text(**kwargs) -> serializers.CharField:
    """`bio` and `image`: optional, and `""` or null both mean "none" (stored as null)."""
    return _text(required=False, allow_blank=True, allow_null=True, **kwargs)


def _post_max(field: str) -> int:
    return Post._meta.get_field(field).max_length


def _user_max(field: str) -> int:
    return User._meta.get_field(field).max_length


# As the accounts API: longer passwords are refused before anything hashes them.
PASSWORD_MAX_LENGTH = 4096


def _tag_list(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=_text(max_length=TAG_MAX_LENGTH),
        max_length=MAX_TAGS_PER_POST,
        error_messages={
            "null": "can't be null",
            "not_a_list": "must be an array of strings",
            "max_length": "has too many tags (maximum is {max_length})",
        },
        **kwargs,
    )


class TimestampField(serializers.DateTimeField):
    """UTC with milliseconds, `2026-01-01T00:00:00.000Z`, the form RealWorld clients parse."""

    def to_representation(self, value: datetime) -> str:
        value = value.astimezone(UTC)
        return f"{value:%Y-%m-%dT%H:%M:%S}.{value.microsecond // 1000:03d}Z"


# --- Output ----------------------------------------------------------------------------


def profile_data(user: User, *, following: bool) -> dict:
    return {
        "username": user.username,
        "bio": user.bio or None,
        "image": user.image or None,
        "following": bool(following),
    }


class ProfileSerializer(serializers.Serializer):
    """A member as others see them; reads a user annotated with `following`."""

    username = serializers.CharField()
    bio = serializers.CharField(allow_null=True)
    image = serializers.CharField(allow_null=True)
    following = serializers.BooleanField()

    class Meta:
        ref_name = "ConduitProfile"

    def to_representation(self, user: User) -> dict:
        return profile_data(user, following=getattr(user, "following", False))


@extend_schema_field(ProfileSerializer)
class AuthorField(serializers.Field):
    """The author of an article or comment, with `following` from the row's annotation."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, obj: Post | Comment) -> dict:
        return profile_data(obj.author, following=getattr(obj, "author_following", False))


class ArticleListItemSerializer(serializers.ModelSerializer):
    """An article as lists show it: everything but the body."""

    tagList = serializers.SlugRelatedField(
        source="tags", many=True, read_only=True, slug_field="name"
    )
    createdAt = TimestampField(source="created_at", read_only=True)
    updatedAt = TimestampField(source="updated_at", read_only=True)
    favorited = serializers.BooleanField(read_only=True)
    favoritesCount = serializers.IntegerField(source="favorite_count", read_only=True)
    author = AuthorField()

    class Meta:
        model = Post
        ref_name = "ConduitArticleListItem"
        fields = [
            "slug",
            "title",
            "description",
            "tagList",
            "createdAt",
            "updatedAt",
            "favorited",
            "favoritesCount",
            "author",
        ]
        read_only_fields = fields


class ArticleSerializer(ArticleListItemSerializer):
    class Meta(ArticleListItemSerializer.Meta):
        ref_name = "ConduitArticle"
        fields = [
            *ArticleListItemSerializer.Meta.fields[:3],
            "body",
            *ArticleListItemSerializer.Meta.fields[3:],
        ]
        read_only_fields = fields


class CommentSerializer(serializers.ModelSerializer):
    createdAt = TimestampField(source="created_at", read_only=True)
    updatedAt = TimestampField(source="updated_at", read_only=True)
    author = AuthorField()

    class Meta:
        model = Comment
        ref_name = "ConduitComment"
        fields = ["id", "createdAt", "updatedAt", "body", "author"]
        read_only_fields = fields


class UserSerializer(serializers.Serializer):
    """The signed-in member with the token to send as `Authorization: Token <token>`."""

    email = serializers.CharField()
    token = serializers.CharField()
    username = serializers.CharField()
    bio = serializers.CharField(allow_null=True)
    image = serializers.CharField(allow_null=True)

    class Meta:
        ref_name = "ConduitUser"

    def to_representation(self, user: User) -> dict:
        return {
            "email": user.email,
            "token": self.context["token"],
            "username": user.username,
            "bio": user.bio or None,
            "image": user.image or None,
        }


# Envelopes, for the schema: the views wrap the serializers above in these keys.


class UserEnvelopeSerializer(serializers.Serializer):
    user = UserSerializer()

    class Meta:
        ref_name = "ConduitUserResponse"


class ProfileEnvelopeSerializer(serializers.Serializer):
    profile = ProfileSerializer()

    class Meta:
        ref_name = "ConduitProfileResponse"


class ArticleEnvelopeSerializer(serializers.Serializer):
    article = ArticleSerializer()

    class Meta:
        ref_name = "ConduitSingleArticleResponse"


class ArticlesEnvelopeSerializer(serializers.Serializer):
    articles = ArticleListItemSerializer(many=True)
    articlesCount = serializers.IntegerField()

    class Meta:
        ref_name = "ConduitMultipleArticlesResponse"


class CommentEnvelopeSerializer(serializers.Serializer):
    comment = CommentSerializer()

    class Meta:
        ref_name = "ConduitSingleCommentResponse"


class CommentsEnvelopeSerializer(serializers.Serializer):
    comments = CommentSerializer(many=True)

    class Meta:
        ref_name = "ConduitMultipleCommentsResponse"


class TagsEnvelopeSerializer(serializers.Serializer):
    tags = serializers.ListField(child=serializers.CharField())

    class Meta:
        ref_name = "ConduitTagsResponse"


class GenericErrorSerializer(serializers.Serializer):
    """`{"errors": {"<field>": ["<message>", ...]}}`."""

    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))

    class Meta:
        ref_name = "ConduitGenericError"


# --- Input -----------------------------------------------------------------------------


class LoginUserSerializer(serializers.Serializer):
    email = _text(max_length=_user_max("email"))
    password = _text(trim_whitespace=False, max_length=PASSWORD_MAX_LENGTH)

    class Meta:
        ref_name = "ConduitLoginUser"


class NewUserSerializer(serializers.Serializer):
    username = _text(max_length=_user_max("username"))
    email = _text(max_length=_user_max("email"))
    password = _text(
        trim_whitespace=False, min_length=PASSWORD_MIN_LENGTH, max_length=PASSWORD_MAX_LENGTH
    )
    bio = _optional_text()
    image = _optional_text(max_length=_user_max("image"))

    class Meta:
        ref_name = "ConduitNewUser"


class UpdateUserSerializer(serializers.Serializer):
    """Every field optional; what is absent stays as it is."""

    email = _text(required=False, max_length=_user_max("email"))
    username = _text(required=False, max_length=_user_max("username"))
    password = _text(
        required=False,
        trim_whitespace=False,
        min_length=PASSWORD_MIN_LENGTH,
        max_length=PASSWORD_MAX_LENGTH,
    )
    bio = _optional_text()
    image = _optional_text(max_length=_user_max("image"))

    class Meta:
        ref_name = "ConduitUpdateUser"


class NewArticleSerializer(serializers.Serializer):
    title = _text(max_length=_post_max("title"))
    description = _text(max_length=_post_max("description"))
    body = _text(trim_whitespace=False)
    tagList = _tag_list(required=False)

    class Meta:
        ref_name = "ConduitNewArticle"


class UpdateArticleSerializer(serializers.Serializer):
    """Absent fields stay; `tagList: []` clears the tags, `tagList: null` is refused."""

    title = _text(required=False, max_length=_post_max("title"))
    description = _text(required=False, max_length=_post_max("description"))
    body = _text(required=False, trim_whitespace=False)
    tagList = _tag_list(required=False)

    class Meta:
        ref_name = "ConduitUpdateArticle"


class NewCommentSerializer(serializers.Serializer):
    body = _text(trim_whitespace=False)

    class Meta:
        ref_name = "ConduitNewComment"


def _envelope(key: str, inner: type[serializers.Serializer], ref_name: str):
    """A request body wrapping `inner` under `key`: a missing key reads "can't be blank"."""
    return type(
        f"{ref_name}Serializer",
        (serializers.Serializer,),
        {
            key: inner(error_messages=OBJECT_MESSAGES),
            "Meta": type("Meta", (), {"ref_name": ref_name}),
        },
    )


LoginRequestSerializer = _envelope("user", LoginUserSerializer, "ConduitLoginUserBody")
NewUserRequestSerializer = _envelope("user", NewUserSerializer, "ConduitNewUserBody")
UpdateUserRequestSerializer = _envelope("user", UpdateUserSerializer, "ConduitUpdateUserBody")
NewArticleRequestSerializer = _envelope("article", NewArticleSerializer, "ConduitNewArticleBody")
UpdateArticleRequestSerializer = _envelope(
    "article", UpdateArticleSerializer, "ConduitUpdateArticleBody"
)
NewCommentRequestSerializer = _envelope("comment", NewCommentSerializer, "ConduitNewCommentBody")


class ArticleListQuerySerializer(serializers.Serializer):
    """`?limit=&offset=` (and the filters of the global list). `limit` is capped at 100."""

    tag = serializers.CharField(required=False, help_text="Filter by tag.")
    author = serializers.CharField(required=False, help_text="Filter by author (username).")
    favorited = serializers.CharField(
        required=False, help_text="Filter by favorites of a user (username)."
    )
    limit = StrictIntegerField(
        required=False, min_value=1, default=DEFAULT_LIMIT, error_messages=INTEGER_MESSAGES
    )
    offset = StrictIntegerField(
        required=False, min_value=0, default=0, error_messages=INTEGER_MESSAGES
    )

    class Meta:
        ref_name = "ConduitArticleListQuery"

    def validate_limit(self, value: int) -> int:
        return min(value, MAX_LIMIT)

    def validate_offset(self, value: int) -> int:
        # Past the last article the page is empty either way; a clamped offset keeps the
        # SQL OFFSET within a 64-bit integer (a larger one is a driver error, not a page).
        return min(value, MAX_OFFSET)


class FeedQuerySerializer(ArticleListQuerySerializer):
    tag = author = favorited = None
