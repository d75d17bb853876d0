"""Writes of the listener's library: each function one transaction, keyword-only."""

from .likes import (
    ItemGone,
    album_like_add,
    album_like_remove,
    artist_like_add,
    artist_like_remove,
    song_like_add,
    song_like_remove,
    user_like_counts_release,
)
from .playlists import (
    MAX_PLAYLIST_ENTRIES,
    PlaylistChanged,
    playlist_create,
    playlist_delete,
    playlist_song_add,
    playlist_song_move,
    playlist_song_remove,
    playlist_update,
)
from .plays import SongGone, play_record

__all__ = [
    "MAX_PLAYLIST_ENTRIES",
    "ItemGone",
    "PlaylistChanged",
    "SongGone",
    "album_like_add",
    "album_like_remove",
    "artist_like_add",
    "artist_like_remove",
    "play_record",
    "playlist_create",
    "playlist_delete",
    "playlist_song_add",
    "playlist_song_move",
    "playlist_song_remove",
    "playlist_update",
    "song_like_add",
    "song_like_remove",
    "user_like_counts_release",
]
