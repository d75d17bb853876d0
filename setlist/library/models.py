"""What listeners keep: likes (songs, albums, artists), plays and playlists.

One like per user and item, enforced by a unique constraint: idempotent PUTs race safely.
Each like or play also moves a counter on the liked item (`like_count`, `num_streams`),
always with an `F()` update in the same transaction as the row (see services).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from setlist.catalog.models import Album, Artist, Song
from setlist.core.models import TimeStampedModel


class Like(models.Model):
    """Abstract base: who liked it and when (`liked_at` in the API)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True


class SongLike(Like):
    song = models.ForeignKey(Song, on_delete=models.CASCADE, related_name="likes")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "song"], name="library_songlike_unique")
        ]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="library_songlike_recent_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} likes song {self.song_id}"


class AlbumLike(Like):
    album = models.ForeignKey(Album, on_delete=models.CASCADE, related_name="likes")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "album"], name="library_albumlike_unique")
        ]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="library_albumlike_recent_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} likes album {self.album_id}"


class ArtistLike(Like):
    artist = models.ForeignKey(Artist, on_delete=models.CASCADE, related_name="likes")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "artist"], name="library_artistlike_unique")
        ]
        indexes = [
            models.Index(
                fields=["user", "-created_at", "-id"], name="library_artistlike_recent_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} likes artist {self.artist_id}"


class Play(models.Model):
    """One play of a song. Anonymous plays count towards `num_streams` with no user."""

    # No index of its own: both composite indexes below lead with it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="plays",
        null=True,
        blank=True,
        db_index=False,
    )
    song = models.ForeignKey(Song, on_delete=models.CASCADE, related_name="plays")
    played_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            # History: the user's plays, newest first (cursor pagination).
            models.Index(fields=["user", "-played_at", "-id"], name="library_play_recent_idx"),
            # Stats: an index-only range scan of a period that also yields each song.
            models.Index(fields=["user", "played_at", "song"], name="library_play_stats_idx"),
        ]

    def __str__(self) -> str:
        return f"song {self.song_id} played at {self.played_at:%Y-%m-%d %H:%M}"


class Playlist(TimeStampedModel):
    """A listener's ordered list of songs. Private unless `is_public`.

    `version` moves (with an `F()` update, under the row lock) on every edit, so clients can
    send `If-Match: "<version>"` and be refused when someone edited in between.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="playlists"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")
    is_public = models.BooleanField(default=False)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at", "-id"], name="library_playlist_owner_idx"),
            models.Index(
                fields=["-created_at", "-id"],
                condition=models.Q(is_public=True),
                name="library_playlist_public_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PlaylistEntry(models.Model):
    """One song at one position of a playlist; the same song may appear more than once.

    Positions are unique per playlist and kept at 0..n-1 by the services, which lock the
    playlist row before every edit. A shift moves rows through negative positions (see
    `services.playlists`), which is why `position` is a plain integer without a check.
    """

    playlist = models.ForeignKey(Playlist, on_delete=models.CASCADE, related_name="entries")
    song = models.ForeignKey(Song, on_delete=models.CASCADE, related_name="playlist_entries")
    position = models.IntegerField()
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["playlist_id", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["playlist", "position"], name="library_playlistentry_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"playlist {self.playlist_id} #{self.position}: song {self.song_id}"
