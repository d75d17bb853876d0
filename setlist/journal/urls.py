"""Journal routes, mounted under `/api/v1/`."""

from django.urls import path

from . import views

urlpatterns = [
    path("posts/", views.PostListCreateView.as_view(), name="post-list"),
    path("posts/<str:slug>/", views.PostDetailView.as_view(), name="post-detail"),
    path(
        "posts/<str:slug>/comments/",
        views.CommentListCreateView.as_view(),
        name="post-comment-list",
    ),
    path(
        "posts/<str:slug>/comments/<id:comment_id>/",
        views.CommentDeleteView.as_view(),
        name="post-comment-detail",
    ),
    path("posts/<str:slug>/favorite/", views.PostFavoriteView.as_view(), name="post-favorite"),
    path("feed/", views.FeedView.as_view(), name="feed"),
    path("users/<str:username>/follow/", views.FollowView.as_view(), name="user-follow"),
    path("tags/", views.TagListView.as_view(), name="tag-list"),
]
