"""The journal: posts with tags, comments, favourites and follows.

Favourites and follows are their own tables with unique constraints, so idempotent writes
race safely. `Post.favorite_count` is a counter moved with `F()` in the same transaction
as the favourite row, and only when a row was really inserted or deleted (see services).
Posts go with their author (CASCADE); `signals.py` corrects the counters of other
people's posts when an account and its favourites are deleted.
"""

from django.conf import settings
from django.db import models

from setlist.core.models import TimeStampedModel

TAG_MAX_LENGTH = 64
SLUG_MAX_LENGTH = 255


class Tag(models.Model):
    """A label on posts. Names are kept exactly as written (RealWorld tags are)."""

    name = models.CharField(max_length=TAG_MAX_LENGTH, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Post(TimeStampedModel):
    """A member's article. The body is Markdown, stored exactly as written."""

    slug = models.SlugField(max_length=SLUG_MAX_LENGTH, unique=True)
    title = models.CharField(max_length=200)
    description = models.CharField(max_length=500, blank=True)
    body = models.TextField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    tags = models.ManyToManyField(Tag, related_name="posts", blank=True)
    favorite_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="journal_post_recent_idx"),
            models.Index(
                fields=["author", "-created_at", "-id"], name="journal_post_author_recent_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Comment(TimeStampedModel):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_comments"
    )
    body = models.TextField()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["post", "created_at", "id"], name="journal_comment_post_idx")
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.post_id}"


class Favorite(models.Model):
    """A member's favourite post. One per member and post."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="journal_favorites"
    )
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="favorites")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "post"], name="journal_favorite_unique")
        ]
        indexes = [models.Index(fields=["post"], name="journal_favorite_post_idx")]

    def __str__(self) -> str:
        return f"{self.user_id} favours post {self.post_id}"


class Follow(models.Model):
    """`follower` reads `followee`'s posts in their feed. Nobody follows themselves."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    followee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="journal_follow_unique"),
            models.CheckConstraint(
                condition=~models.Q(follower=models.F("followee")),
                name="journal_follow_not_self",
            ),
        ]
        indexes = [models.Index(fields=["followee"], name="journal_follow_followee_idx")]

    def __str__(self) -> str:
        return f"{self.follower_id} follows {self.followee_id}"
