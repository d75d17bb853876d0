"""Journal reads, shaped for the serializers of both APIs (native and RealWorld).

Every query that returns posts, comments or profiles carries the caller's view as
annotations (`favorited`, `author_following`, `following`), computed in the same SQL
statement, so a page costs the same number of queries whatever its size: one for the
rows, one for their tags, and one for the count where the list has one.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Value

from setlist.accounts.models import User

from .models import Comment, Favorite, Follow, Post, Tag


def _viewer(user: User | None) -> User | None:
    return user if user is not None and user.is_authenticated else None


def _following(viewer: User | None, followee_ref: str) -> Exists | Value:
    if viewer is None:
        return Value(False)
    return Exists(Follow.objects.filter(follower=viewer, followee=OuterRef(followee_ref)))


def _posts(viewer: User | None) -> QuerySet[Post]:
    viewer = _viewer(viewer)
    favorited = (
        Exists(Favorite.objects.filter(user=viewer, post=OuterRef("pk")))
        if viewer is not None
        else Value(False)
    )
    return (
        Post.objects.select_related("author")
        .prefetch_related(Prefetch("tags", queryset=Tag.objects.order_by("name")))
        .annotate(favorited=favorited, author_following=_following(viewer, "author_id"))
        .order_by("-created_at", "-id")
    )


def post_list(
    *,
    viewer: User | None,
    author: str | None = None,
    tag: str | None = None,
    favorited_by: str | None = None,
    search: str | None = None,
) -> QuerySet[Post]:
    """Posts newest first, without their bodies, filtered by what is given.

    `author` and `favorited_by` are usernames (case-insensitive), `tag` a tag name, and
    `search` words looked for in the title, description and body.
    """
    posts = _posts(viewer).defer("body")
    if author:
        posts = posts.filter(author__username__iexact=author)
    if tag:
        posts = posts.filter(tags__name=tag)
    if favorited_by:
        posts = posts.filter(favorites__user__username__iexact=favorited_by)
    for word in (search or "").split():
        posts = posts.filter(
            Q(title__icontains=word) | Q(description__icontains=word) | Q(body__icontains=word)
        )
    return posts


def post_feed(*, viewer: User) -> QuerySet[Post]:
    """Posts by the people `viewer` follows, newest first, without their bodies."""
    return _posts(viewer).defer("body").filter(author__followed_by__follower=viewer)


def post_detail(*, slug: str, viewer: User | None) -> Post:
    """One post with its body. Raises `Post.DoesNotExist`."""
    return _posts(viewer).get(slug=slug)


def post_for_update(*, slug: str) -> Post:
    """The post to change or delete, with its author (for the ownership check)."""
    return Post.objects.select_related("author").get(slug=slug)


def _comments(viewer: User | None) -> QuerySet[Comment]:
    return (
        Comment.objects.select_related("author")
        .annotate(author_following=_following(_viewer(viewer), "author_id"))
        .order_by("created_at", "id")
    )


def comment_list(*, post: Post, viewer: User | None) -> QuerySet[Comment]:
    """A post's comments, oldest first."""
    return _comments(viewer).filter(post=post)


def comment_detail(*, comment_id: int, viewer: User | None) -> Comment:
    """One comment as the lists show it. Raises `Comment.DoesNotExist`."""
    return _comments(viewer).get(pk=comment_id)


def profile_detail(*, username: str, viewer: User | None) -> User:
    """A member by username (case-insensitive), with `following` for the caller.

    Raises `User.DoesNotExist`.
    """
    return User.objects.annotate(following=_following(_viewer(viewer), "pk")).get(
        username__iexact=username
    )


def tag_list() -> QuerySet[Tag]:
    """Tags on at least one post, most used first (ties by name)."""
    return (
        Tag.objects.annotate(post_count=Count("posts"))
        .filter(post_count__gt=0)
        .order_by("-post_count", "name")
    )
