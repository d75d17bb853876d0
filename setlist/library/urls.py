"""Routes of the listener's library (mounted under /api/v1/)."""

from django.urls import path

from .views import likes, listening, playlists, profiles

urlpatterns = [
    # Likes
    path("me/likes/", likes.SongLikeListView.as_view(), name="song-like-list"),
    path("me/likes/contains/", likes.SongLikesContainView.as_view(), name="song-like-contains"),
    path("me/likes/<id:song_id>/", likes.SongLikeView.as_view(), name="song-like"),
    path("me/liked-albums/", likes.AlbumLikeListView.as_view(), name="album-like-list"),
    path("me/liked-albums/<id:album_id>/", likes.AlbumLikeView.as_view(), name="album-like"),
    path("me/liked-artists/", likes.ArtistLikeListView.as_view(), name="artist-like-list"),
    path("me/liked-artists/<id:artist_id>/", likes.ArtistLikeView.as_view(), name="artist-like"),
    # Listening
    path("songs/<id:song_id>/plays/", listening.PlayCreateView.as_view(), name="song-plays"),
    path("me/history/", listening.HistoryView.as_view(), name="history"),
    path("me/stats/", listening.StatsView.as_view(), name="stats"),
    # Playlists
    path("playlists/", playlists.PlaylistListView.as_view(), name="playlist-list"),
    path(
        "playlists/<id:playlist_id>/",
        playlists.PlaylistDetailView.as_view(),
        name="playlist-detail",
    ),
    path(
        "playlists/<id:playlist_id>/songs/",
        playlists.PlaylistSongsView.as_view(),
        name="playlist-songs",
    ),
    path(
        "playlists/<id:playlist_id>/songs/move/",
        playlists.PlaylistSongMoveView.as_view(),
        name="playlist-song-move",
    ),
    path(
        "playlists/<id:playlist_id>/songs/<id:position>/",
        playlists.PlaylistSongRemoveView.as_view(),
        name="playlist-song-remove",
    ),
    path(
        "playlists/<id:playlist_id>/export.m3u",
        playlists.PlaylistExportView.as_view(),
        name="playlist-export",
    ),
    # Public profiles (after the accounts app's `users/me/`, which is included first)
    path("users/<str:username>/", profiles.PublicProfileView.as_view(), name="user-profile"),
]
