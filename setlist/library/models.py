"""What listeners keep: likes (songs, albums, artists) and plays.

One like per user and item, enforced by a unique constraint: idempotent PUTs race safely.
Each like or play also moves a counter on the liked item (`like_count`, `num_streams`),
always with an `F()` update in the same transaction as the row (see services).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from setlist.catalog.models import Album, Artist, Song


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

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="plays",
        null=True,
        blank=True,
    )
    song = models.ForeignKey(Song, on_delete=models.CASCADE, related_name="plays")
    played_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["user", "-played_at", "-id"], name="library_play_recent_idx")
        ]

    def __str__(self) -> str:
        return f"song {self.song_id} played at {self.played_at:%Y-%m-%d %H:%M}"
