"""Comments on articles."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response

from setlist.journal import selectors, services
from setlist.journal.models import Comment, Post
from setlist.journal.permissions import can_delete_comment

from ..errors import forbidden, not_found
from ..serializers import (
    CommentEnvelopeSerializer,
    CommentsEnvelopeSerializer,
    CommentSerializer,
    NewCommentRequestSerializer,
)
from .base import FORBIDDEN, INVALID, NOT_FOUND, SLUG, UNAUTHORIZED, ConduitView

COMMENT_ID = OpenApiParameter(
    "id", OpenApiTypes.INT, OpenApiParameter.PATH, description="The comment's id."
)


def _post_or_404(slug: str) -> Post:
    try:
        return Post.objects.only("pk", "author_id").get(slug=slug)
    except Post.DoesNotExist as exc:
        raise not_found("article") from exc


class CommentListView(ConduitView):
    resource = "comment"

    @extend_schema(
        operation_id="GetArticleComments",
        summary="Get comments for an article",
        parameters=[SLUG],
        responses={200: CommentsEnvelopeSerializer, 401: UNAUTHORIZED, 404: NOT_FOUND},
    )
    def get(self, request: Request, slug: str) -> Response:
        """The comments on an article, oldest first. Auth optional."""
        comments = selectors.comment_list(post=_post_or_404(slug), viewer=request.user)
        return Response({"comments": CommentSerializer(comments, many=True).data})

    @extend_schema(
        operation_id="CreateArticleComment",
        summary="Create a comment for an article",
        parameters=[SLUG],
        request=NewCommentRequestSerializer,
        responses={
            201: CommentEnvelopeSerializer,
            401: UNAUTHORIZED,
            404: NOT_FOUND,
            422: INVALID,
        },
    )
    def post(self, request: Request, slug: str) -> Response:
        """Comment on an article. Auth required."""
        post = _post_or_404(slug)
        body = NewCommentRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        comment = services.comment_create(
            post=post, author=request.user, body=body.validated_data["comment"]["body"]
        )
        comment = selectors.comment_detail(comment_id=comment.pk, viewer=request.user)
        return Response(
            {"comment": CommentSerializer(comment).data}, status=status.HTTP_201_CREATED
        )


class CommentDetailView(ConduitView):
    resource = "comment"
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        operation_id="DeleteArticleComment",
        summary="Delete a comment for an article",
        parameters=[SLUG, COMMENT_ID],
        responses={204: None, 401: UNAUTHORIZED, 403: FORBIDDEN, 404: NOT_FOUND},
    )
    def delete(self, request: Request, slug: str, comment_id: str) -> Response:
        """Delete a comment: yours, or any on your article."""
        post = _post_or_404(slug)
        try:
            comment = Comment.objects.get(pk=int(comment_id), post=post)
        except (ValueError, OverflowError, Comment.DoesNotExist) as exc:
            raise not_found("comment") from exc
        if not can_delete_comment(request.user, comment, post):
            raise forbidden("comment")
        services.comment_delete(comment=comment)
        return Response(status=status.HTTP_204_NO_CONTENT)
