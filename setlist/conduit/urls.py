"""RealWorld routes, mounted under `/conduit/api/`. No trailing slashes (RealWorld's paths)."""

from django.urls import path, re_path

from .views import articles, comments, profiles, users
from .views.base import UnknownPathView

urlpatterns = [
    path("users", users.RegisterView.as_view(), name="conduit-register"),
    path("users/login", users.LoginView.as_view(), name="conduit-login"),
    path("user", users.CurrentUserView.as_view(), name="conduit-user"),
    path("profiles/<str:username>", profiles.ProfileView.as_view(), name="conduit-profile"),
    path(
        "profiles/<str:username>/follow",
        profiles.FollowView.as_view(),
        name="conduit-profile-follow",
    ),
    path("articles", articles.ArticleListView.as_view(), name="conduit-article-list"),
    # Before `articles/<slug>`: "feed" is not a slug (the journal never gives it out).
    path("articles/feed", articles.FeedView.as_view(), name="conduit-feed"),
    path("articles/<str:slug>", articles.ArticleDetailView.as_view(), name="conduit-article"),
    path(
        "articles/<str:slug>/comments",
        comments.CommentListView.as_view(),
        name="conduit-comment-list",
    ),
    path(
        "articles/<str:slug>/comments/<str:comment_id>",
        comments.CommentDetailView.as_view(),
        name="conduit-comment",
    ),
    path(
        "articles/<str:slug>/favorite",
        articles.FavoriteView.as_view(),
        name="conduit-favorite",
    ),
    path("tags", articles.TagListView.as_view(), name="conduit-tags"),
    # Last: anything else under the prefix is a 404 in RealWorld's format, not Setlist's.
    re_path(r"", UnknownPathView.as_view(), name="conduit-unknown"),
]
