"""The journal's native API: posts, comments, favourites, follows, the feed and tags.

Views stay thin: they authenticate, validate with an input serializer, call one service
or selector, and answer with an output serializer.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from drf_standardized_errors.openapi_serializers import ValidationErrorResponseSerializer
from drf_standardized_errors.openapi_validation_errors import extend_validation_errors
from rest_framework import generics, permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from setlist.accounts.models import User

from . import selectors, services
from .models import Comment, Post
from .permissions import CanDeleteComment, IsPostAuthorOrStaffOrReadOnly
from .serializers import (
    CommentSerializer,
    PostListSerializer,
    PostSerializer,
    PostWriteSerializer,
    ProfileSerializer,
    TagSerializer,
)

TAG = "Journal"

POST_FILTERS = [
    OpenApiParameter("author", OpenApiTypes.STR, description="Posts by this username."),
    OpenApiParameter("tag", OpenApiTypes.STR, description="Posts with this tag."),
    OpenApiParameter("favorited_by", OpenApiTypes.STR, description="Posts this username favours."),
    OpenApiParameter(
        "search", OpenApiTypes.STR, description="Words in title, description or body."
    ),
]


def _post_or_404(slug: str, viewer) -> Post:
    try:
        return selectors.post_detail(slug=slug, viewer=viewer)
    except Post.DoesNotExist as exc:
        raise Http404("No post with this slug.") from exc


# Tag errors are reported on `tags` itself, with the codes of the items (ItemListField).
TAG_ITEM_CODES = [
    "invalid",
    "blank",
    "null",
    "max_length",
    "null_characters_not_allowed",
    "surrogate_characters_not_allowed",
]


@extend_schema(tags=[TAG])
@extend_validation_errors(TAG_ITEM_CODES, field_name="tags", methods=["post"])
class PostListCreateView(generics.ListAPIView):
    """Posts, newest first (`GET`), and publishing a new one (`POST`)."""

    serializer_class = PostListSerializer

    def get_queryset(self):
        params = self.request.query_params
        return selectors.post_list(
            viewer=self.request.user,
            author=params.get("author"),
            tag=params.get("tag"),
            favorited_by=params.get("favorited_by"),
            search=params.get("search"),
        )

    @extend_schema(parameters=POST_FILTERS)
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(request=PostWriteSerializer, responses={201: PostSerializer})
    def post(self, request: Request) -> Response:
        data = PostWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        post = services.post_create(author=request.user, **data.validated_data)
        post = selectors.post_detail(slug=post.slug, viewer=request.user)
        return Response(PostSerializer(post).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
@extend_validation_errors(TAG_ITEM_CODES, field_name="tags", methods=["put", "patch"])
class PostDetailView(generics.GenericAPIView):
    """One post. Its author and staff change and delete it; others get 403."""

    serializer_class = PostSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly, IsPostAuthorOrStaffOrReadOnly]
    lookup_field = "slug"

    def get_object(self) -> Post:
        try:
            post = selectors.post_for_update(slug=self.kwargs["slug"])
        except Post.DoesNotExist as exc:
            raise Http404("No post with this slug.") from exc
        self.check_object_permissions(self.request, post)
        return post

    def get(self, request: Request, slug: str) -> Response:
        return Response(PostSerializer(_post_or_404(slug, request.user)).data)

    @extend_schema(request=PostWriteSerializer, responses=PostSerializer)
    def put(self, request: Request, slug: str) -> Response:
        return self._update(request, partial=False)

    @extend_schema(request=PostWriteSerializer, responses=PostSerializer)
    def patch(self, request: Request, slug: str) -> Response:
        return self._update(request, partial=True)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, slug: str) -> Response:
        services.post_delete(post=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _update(self, request: Request, *, partial: bool) -> Response:
        post = self.get_object()
        data = PostWriteSerializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        post = services.post_update(post=post, **data.validated_data)
        return Response(PostSerializer(_post_or_404(post.slug, request.user)).data)


@extend_schema(tags=[TAG])
class CommentListCreateView(generics.ListAPIView):
    """A post's comments, oldest first (`GET`), and adding one (`POST`)."""

    serializer_class = CommentSerializer

    def get_post(self) -> Post:
        return get_object_or_404(Post.objects.only("pk", "author_id"), slug=self.kwargs["slug"])

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request
            return Comment.objects.none()
        return selectors.comment_list(post=self.get_post(), viewer=self.request.user)

    @extend_schema(request=CommentSerializer, responses={201: CommentSerializer})
    def post(self, request: Request, slug: str) -> Response:
        post = self.get_post()
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = services.comment_create(
            post=post, author=request.user, body=data.validated_data["body"]
        )
        comment = selectors.comment_detail(comment_id=comment.pk, viewer=request.user)
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=[TAG])
class CommentDeleteView(APIView):
    """Delete a comment: its author, the post's author or staff (others get 403)."""

    permission_classes = [permissions.IsAuthenticated, CanDeleteComment]

    @extend_schema(responses={204: None})
    def delete(self, request: Request, slug: str, comment_id: int) -> Response:
        comment = get_object_or_404(
            Comment.objects.select_related("post"), pk=comment_id, post__slug=slug
        )
        self.check_object_permissions(request, comment)
        services.comment_delete(comment=comment)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=[TAG])
class PostFavoriteView(APIView):
    """Favour (`PUT`, answers the post) or stop favouring (`DELETE`) a post. Idempotent."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses=PostSerializer)
    def put(self, request: Request, slug: str) -> Response:
        post = get_object_or_404(Post.objects.only("pk"), slug=slug)
        services.favorite_add(user=request.user, post=post)
        return Response(PostSerializer(_post_or_404(slug, request.user)).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, slug: str) -> Response:
        post = get_object_or_404(Post.objects.only("pk"), slug=slug)
        services.favorite_remove(user=request.user, post=post)
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=[TAG])
class FeedView(generics.ListAPIView):
    """Posts by the people the caller follows, newest first."""

    serializer_class = PostListSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request
            return Post.objects.none()
        return selectors.post_feed(viewer=self.request.user)


@extend_schema(tags=[TAG])
class FollowView(APIView):
    """Follow (`PUT`, answers the profile) or unfollow (`DELETE`) a member. Idempotent."""

    permission_classes = [permissions.IsAuthenticated]

    def _followee(self, username: str) -> User:
        return get_object_or_404(User.objects.only("pk"), username__iexact=username)

    @extend_schema(
        request=None,
        responses={
            200: ProfileSerializer,
            400: OpenApiResponse(
                ValidationErrorResponseSerializer, description="You cannot follow yourself."
            ),
        },
    )
    def put(self, request: Request, username: str) -> Response:
        services.follow_add(follower=request.user, followee=self._followee(username))
        profile = selectors.profile_detail(username=username, viewer=request.user)
        return Response(ProfileSerializer(profile).data)

    @extend_schema(responses={204: None})
    def delete(self, request: Request, username: str) -> Response:
        services.follow_remove(follower=request.user, followee=self._followee(username))
        return Response(status=status.HTTP_204_NO_CONTENT)


@extend_schema(tags=[TAG])
class TagListView(generics.ListAPIView):
    """Tags on at least one post, most used first."""

    serializer_class = TagSerializer
    permission_classes = [permissions.AllowAny]

    def get_queryset(self):
        return selectors.tag_list()
