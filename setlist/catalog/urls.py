"""Catalog routes under /api/v1/ (namespace "catalog")."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import views

app_name = "catalog"

router = SimpleRouter()
router.register("genres", views.GenreViewSet, basename="genre")
router.register("artists", views.ArtistViewSet, basename="artist")
router.register("albums", views.AlbumViewSet, basename="album")
router.register("songs", views.SongViewSet, basename="song")

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="search"),
    *router.urls,
]
