"""The music catalog: genres, artists, albums and songs.

Albums are created unpublished; an unpublished album and its songs are invisible to
everyone without `catalog.view_unpublished`. Counters (`like_count`, `num_streams`) are
only ever changed with `F()` updates inside transactions, never read-modify-write.
"""

from django.db import models

from setlist.core.models import TimeStampedModel

from .search import fold


class Genre(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Artist(TimeStampedModel):
    name = models.CharField(max_length=200)
    search_name = models.CharField(max_length=200, editable=False, db_index=True)
    like_count = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["name", "id"], name="catalog_artist_name_idx")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)


class AlbumQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AlbumQuerySet":
        if user is not None and user.has_perm("catalog.view_unpublished"):
            return self
        return self.filter(is_published=True)


class Album(TimeStampedModel):
    title = models.CharField(max_length=200)
    search_title = models.CharField(max_length=200, editable=False, db_index=True)
    artist = models.ForeignKey(Artist, on_delete=models.PROTECT, related_name="albums")
    release_date = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True, db_index=True)
    is_published = models.BooleanField(default=False)
    like_count = models.PositiveIntegerField(default=0, editable=False)

    objects = AlbumQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        permissions = [
            ("publish_album", "Can publish and unpublish albums"),
            ("view_unpublished", "Can see unpublished albums and their songs"),
        ]
        indexes = [
            models.Index(fields=["artist", "year"], name="catalog_album_artist_year_idx"),
            models.Index(fields=["is_published", "title"], name="catalog_album_pub_title_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_title = fold(self.title)
        if self.release_date and not self.year:
            self.year = self.release_date.year
        super().save(*args, **kwargs)


class SongQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SongQuerySet":
        """Songs on albums the user may see (published, or any with view_unpublished)."""
        if user is not None and user.has_perm("catalog.view_unpublished"):
            return self
        return self.filter(album__is_published=True)

    def with_liked(self, user) -> "SongQuerySet":
        """Annotates `liked`: whether `user` likes each song (False for anonymous)."""
        if user is None or not user.is_authenticated:
            return self.annotate(liked=models.Value(False, output_field=models.BooleanField()))
        from setlist.library.models import SongLike  # library depends on catalog, not back

        return self.annotate(
            liked=models.Exists(SongLike.objects.filter(user=user, song=models.OuterRef("pk")))
        )

    def for_listing(self, user) -> "SongQuerySet":
        """Everything `SongSerializer` reads, in one query."""
        return self.select_related("album__artist", "genre").with_liked(user)


class Song(TimeStampedModel):
    title = models.CharField(max_length=200)
    search_title = models.CharField(max_length=200, editable=False, db_index=True)
    album = models.ForeignKey(Album, on_delete=models.PROTECT, related_name="songs")
    track_number = models.PositiveSmallIntegerField(default=1)
    duration_ms = models.PositiveIntegerField()
    composer = models.CharField(max_length=255, blank=True, default="")
    genre = models.ForeignKey(
        Genre, on_delete=models.PROTECT, related_name="songs", null=True, blank=True
    )
    num_streams = models.PositiveBigIntegerField(default=0, editable=False)
    like_count = models.PositiveIntegerField(default=0, editable=False)

    objects = SongQuerySet.as_manager()

    class Meta:
        ordering = ["album_id", "track_number", "id"]
        indexes = [
            models.Index(fields=["album", "track_number", "id"], name="catalog_song_track_idx"),
            models.Index(fields=["genre", "id"], name="catalog_song_genre_idx"),
            models.Index(fields=["-num_streams", "-id"], name="catalog_song_streams_idx"),
            models.Index(fields=["-like_count", "-id"], name="catalog_song_likes_idx"),
            models.Index(fields=["-created_at", "-id"], name="catalog_song_created_idx"),
            models.Index(fields=["title", "id"], name="catalog_song_title_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.search_title = fold(self.title)
        super().save(*args, **kwargs)
