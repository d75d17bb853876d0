"""Articles, favourites, the feed and tags: RealWorld's names for journal posts."""

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response

from setlist.journal import selectors, services
from setlist.journal.models import Post
from setlist.journal.permissions import can_change_post

from ..errors import forbidden, not_found
from ..serializers import (
    ArticleEnvelopeSerializer,
    ArticleListItemSerializer,
    ArticleListQuerySerializer,
    ArticlesEnvelopeSerializer,
    ArticleSerializer,
    FeedQuerySerializer,
    NewArticleRequestSerializer,
    TagsEnvelopeSerializer,
    UpdateArticleRequestSerializer,
)
from .base import FORBIDDEN, INVALID, NOT_FOUND, SLUG, UNAUTHORIZED, ConduitView


def _article(slug: str, viewer) -> dict:
    """`{"article": ...}` for the post with this slug, as `viewer` sees it."""
    try:
        post = selectors.post_detail(slug=slug, viewer=viewer)
    except Post.DoesNotExist as exc:
        raise not_found("article") from exc
    return {"article": ArticleSerializer(post).data}


def _page(posts: QuerySet[Post], query: dict) -> dict:
    """One `limit`/`offset` window of `posts` and the count of all of them."""
    offset, limit = query["offset"], query["limit"]
    window = posts[offset : offset + limit]
    return {
        "articles": ArticleListItemSerializer(window, many=True).data,
        "articlesCount": posts.count(),
    }


def _post_for_change(request: Request, slug: str) -> Post:
    """The post to change or delete; 404 if unknown, 403 if it is someone else's."""
    try:
        post = selectors.post_for_update(slug=slug)
    except Post.DoesNotExist as exc:
        raise not_found("article") from exc
    if not can_change_post(request.user, post):
        raise forbidden("article")
    return post


def _post_or_404(slug: str) -> Post:
    try:
        return Post.objects.only("pk").get(slug=slug)
    except Post.DoesNotExist as exc:
        raise not_found("article") from exc


class ArticleListView(ConduitView):
    resource = "article"

    @extend_schema(
        operation_id="GetArticles",
        summary="Get recent articles globally",
        parameters=[ArticleListQuerySerializer],
        responses={200: ArticlesEnvelopeSerializer, 401: UNAUTHORIZED, 422: INVALID},
    )
    def get(self, request: Request) -> Response:
        """Most recent articles globally, filtered by tag, author or favorited. Auth optional."""
        query = ArticleListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        posts = selectors.post_list(
            viewer=request.user,
            author=filters.get("author"),
            tag=filters.get("tag"),
            favorited_by=filters.get("favorited"),
        )
        return Response(_page(posts, filters))

    @extend_schema(
        operation_id="CreateArticle",
        summary="Create an article",
        request=NewArticleRequestSerializer,
        responses={201: ArticleEnvelopeSerializer, 401: UNAUTHORIZED, 422: INVALID},
    )
    def post(self, request: Request) -> Response:
        """Create an article. Auth required."""
        body = NewArticleRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        article = body.validated_data["article"]
        post = services.post_create(
            author=request.user,
            title=article["title"],
            description=article["description"],
            body=article["body"],
            tags=article.get("tagList", []),
        )
        return Response(_article(post.slug, request.user), status=status.HTTP_201_CREATED)


class FeedView(ConduitView):
    resource = "article"
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="GetArticlesFeed",
        summary="Get recent articles from users you follow",
        parameters=[FeedQuerySerializer],
        responses={200: ArticlesEnvelopeSerializer, 401: UNAUTHORIZED, 422: INVALID},
    )
    def get(self, request: Request) -> Response:
        """Most recent articles by users you follow. Auth required."""
        query = FeedQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(_page(selectors.post_feed(viewer=request.user), query.validated_data))


class ArticleDetailView(ConduitView):
    resource = "article"

    @extend_schema(
        operation_id="GetArticle",
        summary="Get an article",
        parameters=[SLUG],
        responses={200: ArticleEnvelopeSerializer, 404: NOT_FOUND},
    )
    def get(self, request: Request, slug: str) -> Response:
        """An article. Auth optional."""
        return Response(_article(slug, request.user))

    @extend_schema(
        operation_id="UpdateArticle",
        summary="Update an article",
        parameters=[SLUG],
        request=UpdateArticleRequestSerializer,
        responses={
            200: ArticleEnvelopeSerializer,
            401: UNAUTHORIZED,
            403: FORBIDDEN,
            404: NOT_FOUND,
            422: INVALID,
        },
    )
    def put(self, request: Request, slug: str) -> Response:
        """Update your article. An absent `tagList` keeps the tags, `[]` clears them."""
        post = _post_for_change(request, slug)
        body = UpdateArticleRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        changes = body.validated_data["article"]
        post = services.post_update(
            post=post,
            title=changes.get("title"),
            description=changes.get("description"),
            body=changes.get("body"),
            tags=changes.get("tagList"),  # absent keeps the tags, [] clears them
        )
        return Response(_article(post.slug, request.user))

    @extend_schema(
        operation_id="DeleteArticle",
        summary="Delete an article",
        parameters=[SLUG],
        responses={204: None, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def delete(self, request: Request, slug: str) -> Response:
        """Delete your article."""
        services.post_delete(post=_post_for_change(request, slug))
        return Response(status=status.HTTP_204_NO_CONTENT)


class FavoriteView(ConduitView):
    resource = "article"
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="CreateArticleFavorite",
        summary="Favorite an article",
        parameters=[SLUG],
        request=None,
        responses={200: ArticleEnvelopeSerializer, 401: UNAUTHORIZED, 404: NOT_FOUND},
    )
    def post(self, request: Request, slug: str) -> Response:
        """Favorite an article (idempotent)."""
        services.favorite_add(user=request.user, post=_post_or_404(slug))
        return Response(_article(slug, request.user))

    @extend_schema(
        operation_id="DeleteArticleFavorite",
        summary="Unfavorite an article",
        parameters=[SLUG],
        responses={200: ArticleEnvelopeSerializer, 401: UNAUTHORIZED, 404: NOT_FOUND},
    )
    def delete(self, request: Request, slug: str) -> Response:
        """Unfavorite an article (idempotent)."""
        services.favorite_remove(user=request.user, post=_post_or_404(slug))
        return Response(_article(slug, request.user))


class TagListView(ConduitView):
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        operation_id="GetTags", summary="Get tags", responses={200: TagsEnvelopeSerializer}
    )
    def get(self, request: Request) -> Response:
        """Every tag in use, most used first (clients show them all as a cloud)."""
        return Response({"tags": list(selectors.tag_list().values_list("name", flat=True))})
