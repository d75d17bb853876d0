"""The music catalog: genres, artists, albums and songs.

Albums are created unpublished; an unpublished album and its songs are invisible to
everyone without `catalog.view_unpublished`. Counters (`like_count`, `num_streams`) are
only ever changed with `F()` updates inside transactions, never read-modify-write.

Genres and artists also keep how many songs/albums they have, published and in total
(`published_song_count`, `total_song_count`, ...). Those are recounted from the rows
under a row lock whenever songs or albums change (see `counters.py`), so lists can show
and order by them at a million songs without aggregating on every request.
"""

from django.db import models
from django.db.models.functions import Coalesce

from setlist.core.models import TimeStampedModel

from .search import fold

NAME_LENGTH = 200  # titles and names; Chinook's longest is 123

VIEW_UNPUBLISHED = "catalog.view_unpublished"
PUBLISH_ALBUM = "catalog.publish_album"


def can_view_unpublished(user) -> bool:
    return user is not None and user.is_authenticated and user.has_perm(VIEW_UNPUBLISHED)


def chinook_id_field() -> models.PositiveIntegerField:
    """The row's id in the Chinook sample database: what makes `import_chinook` idempotent.

    NULL for rows made any other way (unique ignores NULLs on every database).
    """
    return models.PositiveIntegerField(null=True, blank=True, unique=True, editable=False)


def search_column() -> models.CharField:
    """A folded copy of a name for search (see search.py); indexed by `search_index`."""
    return models.CharField(max_length=NAME_LENGTH, editable=False, blank=True)


def search_index(column: str, name: str) -> models.Index:
    """Serves exact and prefix matches on a search column (`LIKE 'x%'` on PostgreSQL needs
    the pattern operator class); `LIKE '%x%'` is served by the trigram index (0004)."""
    return models.Index(fields=[column], name=name, opclasses=["varchar_pattern_ops"])


def created_at_field() -> models.DateTimeField:
    # Overrides TimeStampedModel's: its single-column index is never used here (the
    # song list orders by the composite index on created_at and id), yet every insert pays.
    return models.DateTimeField(auto_now_add=True)


def searchable(text: str) -> str:
    """The folded form stored in `search_*` columns (bulk loaders fill them with this)."""
    return fold(text)[:NAME_LENGTH]


def _loaded_values(instance, attnames: tuple[str, ...]) -> dict:
    # Read from __dict__ so that deferred fields stay deferred (no query per row).
    return {name: instance.__dict__.get(name) for name in attnames}


class GenreQuerySet(models.QuerySet):
    def with_song_count(self, user) -> "GenreQuerySet":
        """Annotates `song_count`: the songs `user` can see in each genre."""
        column = "total_song_count" if can_view_unpublished(user) else "published_song_count"
        return self.annotate(song_count=models.F(column))


class Genre(models.Model):
    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=140, unique=True)
    chinook_id = chinook_id_field()
    published_song_count = models.PositiveIntegerField(default=0, editable=False)
    total_song_count = models.PositiveIntegerField(default=0, editable=False)

    objects = GenreQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArtistQuerySet(models.QuerySet):
    def with_album_count(self, user) -> "ArtistQuerySet":
        """Annotates `album_count`: the albums `user` can see by each artist."""
        column = "total_album_count" if can_view_unpublished(user) else "published_album_count"
        return self.annotate(album_count=models.F(column))


class Artist(TimeStampedModel):
    name = models.CharField(max_length=NAME_LENGTH)
    search_name = search_column()
    created_at = created_at_field()
    like_count = models.PositiveIntegerField(default=0, editable=False)
    chinook_id = chinook_id_field()
    published_album_count = models.PositiveIntegerField(default=0, editable=False)
    total_album_count = models.PositiveIntegerField(default=0, editable=False)

    objects = ArtistQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        indexes = [
            models.Index(fields=["name", "id"], name="catalog_artist_name_idx"),
            search_index("search_name", "catalog_artist_search_idx"),
            models.Index(fields=["published_album_count", "id"], name="catalog_artist_albums_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = searchable(self.name)
        super().save(*args, **kwargs)


class AlbumQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AlbumQuerySet":
        if can_view_unpublished(user):
            return self
        return self.filter(is_published=True)


class Album(TimeStampedModel):
    title = models.CharField(max_length=NAME_LENGTH)
    search_title = search_column()
    created_at = created_at_field()
    # Indexed by (artist, year) below, which also serves the foreign key.
    artist = models.ForeignKey(
        Artist, on_delete=models.PROTECT, related_name="albums", db_index=False
    )
    release_date = models.DateField(null=True, blank=True)
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    is_published = models.BooleanField(default=False)
    like_count = models.PositiveIntegerField(default=0, editable=False)
    chinook_id = chinook_id_field()

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
            models.Index(fields=["title", "id"], name="catalog_album_title_idx"),
            # `?year=` and `?ordering=year`; `-year` (nulls last) has a PostgreSQL-only
            # index of its own, see migration 0004.
            models.Index(fields=["year", "title", "id"], name="catalog_album_year_idx"),
            search_index("search_title", "catalog_album_search_idx"),
            models.Index(fields=["-like_count", "-id"], name="catalog_album_likes_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year__isnull=True) | models.Q(year__gte=1000, year__lte=9999),
                name="catalog_album_year_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        # What the row held when loaded: signals compare it to tell what a save changed.
        instance._loaded = _loaded_values(instance, ("is_published", "artist_id"))
        return instance

    def save(self, *args, **kwargs):
        self.search_title = searchable(self.title)
        if self.release_date and not self.year:
            self.year = self.release_date.year
        super().save(*args, **kwargs)


class SongQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SongQuerySet":
        """Songs on albums the user may see (published, or any with view_unpublished)."""
        if can_view_unpublished(user):
            return self
        return self.filter(album__is_published=True)

    def with_liked(self, user) -> "SongQuerySet":
        """Annotates `liked`: whether `user` likes each song (False for anonymous)."""
        if user is None or not user.is_authenticated:
            return self.annotate(liked=models.Value(False, output_field=models.BooleanField()))
        from setlist.library.models import SongLike  # library depends on catalog, not back

        # A scalar subquery, not EXISTS: PostgreSQL may answer an EXISTS by hashing every
        # song the user likes (100 000 rows for a heavy listener: 70 ms) even when a page
        # shows 50; a scalar subquery runs once per row shown, on the (user, song) index.
        like = SongLike.objects.filter(user=user, song=models.OuterRef("pk"))
        flag = like.values(flag=models.Value(True))[:1]
        return self.annotate(
            liked=Coalesce(
                models.Subquery(flag, output_field=models.BooleanField()), models.Value(False)
            )
        )

    def for_listing(self, user) -> "SongQuerySet":
        """Everything `SongSerializer` reads, in one query, and only that: for reading.

        Loading only these columns (not the search columns, update times and counters of
        albums and artists) halves what a 50-song page parses. Rows to be changed by a
        service are loaded whole, without this.
        """
        return self.select_related("album__artist", "genre").only(*LISTING_COLUMNS).with_liked(user)


# The columns `for_listing` loads: what SongSerializer shows, and the keys that join them.
LISTING_COLUMNS = (
    "id",
    "title",
    "track_number",
    "duration_ms",
    "composer",
    "num_streams",
    "like_count",
    "created_at",
    "album__id",
    "album__title",
    "album__artist__id",
    "album__artist__name",
    "genre__id",
    "genre__slug",
    "genre__name",
)


class Song(TimeStampedModel):
    title = models.CharField(max_length=NAME_LENGTH)
    search_title = search_column()
    created_at = created_at_field()
    # Both foreign keys are served by the composite indexes below (leading column).
    album = models.ForeignKey(Album, on_delete=models.PROTECT, related_name="songs", db_index=False)
    track_number = models.PositiveSmallIntegerField(default=1)
    duration_ms = models.PositiveIntegerField()
    composer = models.CharField(max_length=255, blank=True, default="")
    genre = models.ForeignKey(
        Genre,
        on_delete=models.PROTECT,
        related_name="songs",
        null=True,
        blank=True,
        db_index=False,
    )
    num_streams = models.PositiveBigIntegerField(default=0, editable=False)
    like_count = models.PositiveIntegerField(default=0, editable=False)
    chinook_id = chinook_id_field()

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
            search_index("search_title", "catalog_song_search_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(track_number__gte=1), name="catalog_song_track_number_gte_1"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded = _loaded_values(instance, ("album_id", "genre_id"))
        return instance

    def save(self, *args, **kwargs):
        self.search_title = searchable(self.title)
        super().save(*args, **kwargs)
