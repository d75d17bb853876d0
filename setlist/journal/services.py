"""Journal writes: posts and their tags, comments, favourites and follows.

Rules raise `django.core.exceptions.ValidationError` keyed by field, each error with a code
(`blank`, `max_length`, `self_follow`), so the native API and the RealWorld adapter report
the same thing in their own words.
"""

import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F

from setlist.accounts.models import User

from .models import TAG_MAX_LENGTH, Comment, Favorite, Follow, Post, Tag
from .slugs import slug_base

MAX_TAGS_PER_POST = 20
# A clash on the plain slug is expected (same title); one on a random suffix almost never.
_SLUG_SUFFIX_ATTEMPTS = 5
_POST_FIELDS = ("title", "description", "body")


class _Errors:
    """Collects errors per field and raises them together."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, code: str) -> None:
        self.by_field.setdefault(field, []).append(ValidationError(message, code=code))

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _check_text(errors: _Errors, field: str, value: str, *, required: bool) -> None:
    if required and not value.strip():
        errors.add(field, "This field may not be blank.", "blank")
        return
    limit = Post._meta.get_field(field).max_length
    if limit and len(value) > limit:
        errors.add(field, f"Ensure this field has no more than {limit} characters.", "max_length")


def tag_names_clean(names: Iterable[str]) -> list[str]:
    """Tag names stripped, without repeats, sorted. Raises for blank or overlong names."""
    cleaned = sorted({name.strip() for name in names})
    errors = _Errors()
    if any(not name for name in cleaned):
        errors.add("tags", "Tags may not be blank.", "blank")
    if any(len(name) > TAG_MAX_LENGTH for name in cleaned):
        errors.add("tags", f"Tags have at most {TAG_MAX_LENGTH} characters.", "max_length")
    if len(cleaned) > MAX_TAGS_PER_POST:
        errors.add("tags", f"A post has at most {MAX_TAGS_PER_POST} tags.", "max_length")
    errors.raise_if_any()
    return cleaned


def _tags_get_or_create(names: list[str]) -> list[Tag]:
    """The tags with these names, creating the missing ones (race-safe: two statements)."""
    if not names:
        return []
    Tag.objects.bulk_create([Tag(name=name) for name in names], ignore_conflicts=True)
    return list(Tag.objects.filter(name__in=names))


def _slug_candidates(base: str):
    yield base
    for _ in range(_SLUG_SUFFIX_ATTEMPTS):
        yield f"{base}-{secrets.token_hex(4)}"


def _save_with_free_slug(post: Post, *, title: str, update_fields: list[str] | None) -> None:
    """Save `post` under a slug made from `title` that no other post has.

    The plain slug is tried first, then random suffixes. The unique index is the judge:
    two posts with one title created at the same instant both try the plain slug, one
    insert fails inside its savepoint and that post moves on to a suffixed slug.
    """
    base = slug_base(title)
    error: IntegrityError | None = None
    for candidate in _slug_candidates(base):
        taken = Post.objects.filter(slug=candidate).exclude(pk=post.pk)
        if candidate == base and taken.exists():
            continue
        post.slug = candidate
        try:
            with transaction.atomic():
                post.save(update_fields=update_fields)
            return
        except IntegrityError as exc:
            error = exc
    raise error or IntegrityError(f"no free slug for {base!r}")


@transaction.atomic
def post_create(
    *, author: User, title: str, body: str, description: str = "", tags: Iterable[str] = ()
) -> Post:
    """Publish a post. The body is kept exactly as written (Markdown, never rendered here)."""
    title, description = title.strip(), description.strip()
    errors = _Errors()
    _check_text(errors, "title", title, required=True)
    _check_text(errors, "description", description, required=False)
    _check_text(errors, "body", body, required=True)
    errors.raise_if_any()
    names = tag_names_clean(tags)
    post = Post(author=author, title=title, description=description, body=body)
    _save_with_free_slug(post, title=title, update_fields=None)
    post.tags.set(_tags_get_or_create(names))
    return post


@transaction.atomic
def post_update(
    *,
    post: Post,
    title: str | None = None,
    description: str | None = None,
    body: str | None = None,
    tags: Iterable[str] | None = None,
) -> Post:
    """Change what is given (None keeps a field). A new title gives the post a new slug.

    `favorite_count` is never written here: a full save could put back a stale count.
    """
    changes = {
        "title": title.strip() if title is not None else None,
        "description": description.strip() if description is not None else None,
        "body": body,
    }
    changes = {field: value for field, value in changes.items() if value is not None}
    errors = _Errors()
    for field, value in changes.items():
        _check_text(errors, field, value, required=field != "description")
    errors.raise_if_any()
    names = tag_names_clean(tags) if tags is not None else None

    new_slug = "title" in changes and slug_base(changes["title"]) != slug_base(post.title)
    for field, value in changes.items():
        setattr(post, field, value)
    update_fields = [*changes, "updated_at"]
    if new_slug:
        _save_with_free_slug(post, title=post.title, update_fields=[*update_fields, "slug"])
    else:
        post.save(update_fields=update_fields)
    if names is not None:
        post.tags.set(_tags_get_or_create(names))
    return post


@transaction.atomic
def post_delete(*, post: Post) -> None:
    """Delete a post with its comments and favourites (the counter goes with the post)."""
    post.delete()


@transaction.atomic
def comment_create(*, post: Post, author: User, body: str) -> Comment:
    if not body.strip():
        raise ValidationError({"body": [ValidationError("This field may not be blank.", "blank")]})
    return Comment.objects.create(post=post, author=author, body=body)


@transaction.atomic
def comment_delete(*, comment: Comment) -> None:
    comment.delete()


@transaction.atomic
def favorite_add(*, user: User, post: Post) -> bool:
    """Favour a post; True if it was not favoured before. Idempotent and race-safe.

    Concurrent calls for one user and post all reach `get_or_create`; the unique
    constraint lets one insert through, and only that one moves the counter.
    """
    _, created = Favorite.objects.get_or_create(user=user, post=post)
    if created:
        Post.objects.filter(pk=post.pk).update(favorite_count=F("favorite_count") + 1)
    return created


@transaction.atomic
def favorite_remove(*, user: User, post: Post) -> bool:
    """Stop favouring a post; True if it was favoured. Idempotent and race-safe.

    The DELETE's row count says whether this call removed the row: of concurrent
    calls, only the one that did moves the counter.
    """
    deleted, _ = Favorite.objects.filter(user=user, post=post).delete()
    if deleted:
        Post.objects.filter(pk=post.pk).update(favorite_count=F("favorite_count") - 1)
    return bool(deleted)


@transaction.atomic
def favorites_remove_all(*, user: User) -> None:
    """Withdraw every favourite of `user` (their account is going), counters included.

    The rows are locked first, so an unfavourite racing the account deletion either
    finished before (its row is gone and not counted again) or finds nothing to delete.
    """
    list(Favorite.objects.select_for_update().filter(user=user).values_list("pk", flat=True))
    Post.objects.filter(favorites__user=user).update(favorite_count=F("favorite_count") - 1)
    Favorite.objects.filter(user=user).delete()


def _check_not_self(follower: User, followee: User) -> None:
    if follower.pk == followee.pk:
        raise ValidationError(
            {"username": [ValidationError("You cannot follow yourself.", code="self_follow")]}
        )


@transaction.atomic
def follow_add(*, follower: User, followee: User) -> bool:
    """Follow someone; True if not followed before. Idempotent; yourself is refused."""
    _check_not_self(follower, followee)
    _, created = Follow.objects.get_or_create(follower=follower, followee=followee)
    return created


@transaction.atomic
def follow_remove(*, follower: User, followee: User) -> bool:
    """Stop following someone; True if they were followed. Idempotent."""
    deleted, _ = Follow.objects.filter(follower=follower, followee=followee).delete()
    return bool(deleted)
