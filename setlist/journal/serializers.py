"""Journal serializers for the native API: translation only.

Output serializers read the annotated querysets of `selectors.py` (`favorited`,
`author_following`, `following`); input serializers validate shape and lengths, and the
services apply the rules.
"""

from rest_framework import serializers

from setlist.accounts.models import User
from setlist.core.fields import ItemListField, StrictCharField, StrictModelSerializer

from .models import TAG_MAX_LENGTH, Comment, Post, Tag
from .services import MAX_TAGS_PER_POST


class AuthorSerializer(serializers.Serializer):
    """The author of a post or comment, read from that object (`source="*"`)."""

    username = serializers.CharField(source="author.username", read_only=True)
    bio = serializers.CharField(source="author.bio", read_only=True, allow_null=True)
    following = serializers.BooleanField(source="author_following", read_only=True)


class PostListSerializer(serializers.ModelSerializer):
    """A post as lists show it: everything but the body."""

    tags = serializers.SlugRelatedField(many=True, read_only=True, slug_field="name")
    author = AuthorSerializer(source="*", read_only=True)
    favorited = serializers.BooleanField(read_only=True)

    class Meta:
        model = Post
        fields = [
            "slug",
            "title",
            "description",
            "tags",
            "author",
            "created_at",
            "updated_at",
            "favorited",
            "favorite_count",
        ]
        read_only_fields = fields


class PostSerializer(PostListSerializer):
    """A post with its Markdown body, exactly as written."""

    class Meta(PostListSerializer.Meta):
        fields = [*PostListSerializer.Meta.fields[:3], "body", *PostListSerializer.Meta.fields[3:]]
        read_only_fields = fields


class PostWriteSerializer(serializers.Serializer):
    """Input of POST, PUT and PATCH. `tags` replaces the post's tags when given."""

    title = StrictCharField(max_length=Post._meta.get_field("title").max_length)
    description = StrictCharField(
        max_length=Post._meta.get_field("description").max_length,
        allow_blank=True,
        required=False,
    )
    body = StrictCharField(trim_whitespace=False)
    tags = ItemListField(
        child=StrictCharField(max_length=TAG_MAX_LENGTH),
        max_length=MAX_TAGS_PER_POST,
        required=False,
    )


class CommentSerializer(StrictModelSerializer):
    author = AuthorSerializer(source="*", read_only=True)

    class Meta:
        model = Comment
        fields = ["id", "body", "author", "created_at"]
        read_only_fields = ["id", "author", "created_at"]
        extra_kwargs = {"body": {"trim_whitespace": False}}


class ProfileSerializer(serializers.ModelSerializer):
    """A member as the follow endpoints answer: `following` is the caller's."""

    following = serializers.BooleanField(read_only=True)

    class Meta:
        model = User
        fields = ["username", "bio", "following"]
        read_only_fields = fields


class TagSerializer(serializers.ModelSerializer):
    post_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Tag
        fields = ["name", "post_count"]
        read_only_fields = fields
