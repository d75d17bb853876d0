"""Catalog serializers: translation only (validation of input, shape of output).

Output serializers read querysets shaped by `selectors.py` (annotations such as
`song_count`, prefetched `track_list`/`album_list`), so they never query on their own.
Input serializers name related rows as `artist_id`, `album_id` and `genre_slug`.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from setlist.core.fields import (
    StrictCharField,
    StrictIntegerField,
    StrictModelSerializer,
    StrictPrimaryKeyRelatedField,
    StrictSlugField,
    StrictSlugRelatedField,
)

from . import cards
from .models import Album, Artist, Genre, Song


class GenreRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Genre
        fields = ["slug", "name"]


class ArtistRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Artist
        fields = ["id", "name"]


class AlbumRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Album
        fields = ["id", "title"]


class SongSerializer(serializers.ModelSerializer):
    """A song as every list and detail shows it. Reads `Song.objects.for_listing(user)`."""

    album = AlbumRefSerializer(read_only=True)
    artist = ArtistRefSerializer(source="album.artist", read_only=True)
    genre = GenreRefSerializer(read_only=True, allow_null=True)
    liked = serializers.BooleanField(read_only=True, default=False)

    class Meta:
        model = Song
        fields = [
            "id",
            "title",
            "track_number",
            "duration_ms",
            "composer",
            "album",
            "artist",
            "genre",
            "num_streams",
            "like_count",
            "liked",
            "created_at",
        ]
        read_only_fields = fields

    def to_representation(self, song: Song) -> dict:
        """The fields above, read straight off a `for_listing` row, as a card (`cards.py`).

        Every song list and album renders through here, and DRF's field-by-field
        machinery cost more than the query (profiled: about 40% of a signed-in 50-song
        page). `test_serializers` pins this to DRF's output.
        """
        album, genre = song.album, song.genre
        shown = cards.card(
            (
                song.id,
                song.title,
                song.track_number,
                song.duration_ms,
                song.composer,
                album.id,
                album.title,
                album.artist.id,
                album.artist.name,
                None if genre is None else genre.slug,
                None if genre is None else genre.name,
                song.num_streams,
                song.like_count,
                song.created_at,
            )
        )
        shown["liked"] = bool(getattr(song, "liked", False))
        return shown


# --- Genres ------------------------------------------------------------------------------


class GenreSerializer(serializers.ModelSerializer):
    song_count = serializers.IntegerField(read_only=True, help_text="Songs you can see.")

    class Meta:
        model = Genre
        fields = ["slug", "name", "song_count"]


class GenreWriteSerializer(StrictModelSerializer):
    slug = StrictSlugField(
        max_length=140,
        required=False,
        help_text="Made from the name when left out.",
        validators=[UniqueValidator(queryset=Genre.objects.all())],
    )

    class Meta:
        model = Genre
        fields = ["name", "slug"]
        # Uniqueness of name and slug comes from the model's unique fields (400 on clash).


# --- Artists -----------------------------------------------------------------------------


class ArtistSerializer(serializers.ModelSerializer):
    album_count = serializers.IntegerField(read_only=True, help_text="Albums you can see.")

    class Meta:
        model = Artist
        fields = ["id", "name", "album_count"]


class ArtistAlbumSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="catalog:album-detail")

    class Meta:
        model = Album
        fields = ["id", "title", "year", "url"]


class ArtistDetailSerializer(ArtistSerializer):
    albums = ArtistAlbumSerializer(many=True, read_only=True, source="album_list")

    class Meta(ArtistSerializer.Meta):
        fields = [*ArtistSerializer.Meta.fields, "albums"]


class ArtistWriteSerializer(StrictModelSerializer):
    class Meta:
        model = Artist
        fields = ["name"]


# --- Albums ------------------------------------------------------------------------------


class AlbumSerializer(serializers.ModelSerializer):
    """An album in lists. `genres`, `song_count` and `duration_ms` come from its songs."""

    artist = ArtistRefSerializer(read_only=True)
    genres = serializers.SerializerMethodField(help_text="Genres of its songs, by name.")
    song_count = serializers.SerializerMethodField()
    duration_ms = serializers.SerializerMethodField()

    class Meta:
        model = Album
        fields = [
            "id",
            "title",
            "year",
            "release_date",
            "artist",
            "genres",
            "song_count",
            "duration_ms",
            "like_count",
            "is_published",
        ]
        read_only_fields = fields

    @staticmethod
    def _tracks(album: Album) -> list[Song]:
        return album.track_list  # prefetched by the selectors

    @extend_schema_field(GenreRefSerializer(many=True))
    def get_genres(self, album: Album) -> list[dict]:
        genres = {song.genre.slug: song.genre for song in self._tracks(album) if song.genre}
        ordered = sorted(genres.values(), key=lambda genre: (genre.name, genre.slug))
        return GenreRefSerializer(ordered, many=True).data

    def get_song_count(self, album: Album) -> int:
        return len(self._tracks(album))

    def get_duration_ms(self, album: Album) -> int:
        return sum(song.duration_ms for song in self._tracks(album))


class AlbumDetailSerializer(AlbumSerializer):
    songs = SongSerializer(many=True, read_only=True, source="track_list")

    class Meta(AlbumSerializer.Meta):
        fields = [*AlbumSerializer.Meta.fields, "songs"]
        read_only_fields = fields


class AlbumWriteSerializer(StrictModelSerializer):
    artist_id = StrictPrimaryKeyRelatedField(
        source="artist", queryset=Artist.objects.all(), help_text="The album's artist."
    )

    class Meta:
        model = Album
        fields = ["title", "artist_id", "release_date", "year"]
        extra_kwargs = {"year": {"min_value": 1000, "max_value": 9999}}

    def validate_release_date(self, value):
        # The year is derived from it when left out, and must fit the year's range.
        if value is not None and value.year < 1000:
            raise serializers.ValidationError(
                "Give a release date from the year 1000 on.", code="invalid"
            )
        return value

    def validate(self, attrs: dict) -> dict:
        release_date = attrs.get("release_date", getattr(self.instance, "release_date", None))
        year = attrs.get("year", getattr(self.instance, "year", None))
        if release_date and year and release_date.year != year:
            raise serializers.ValidationError({"year": "Must match the year of release_date."})
        return attrs


# --- Songs -------------------------------------------------------------------------------


class SongWriteSerializer(StrictModelSerializer):
    album_id = StrictPrimaryKeyRelatedField(
        source="album", queryset=Album.objects.all(), help_text="The album it is on."
    )
    genre_slug = StrictSlugRelatedField(
        source="genre",
        slug_field="slug",
        queryset=Genre.objects.all(),
        required=False,
        allow_null=True,
        help_text="Its genre's slug, or null.",
    )
    composer = StrictCharField(max_length=255, required=False, allow_blank=True, allow_null=True)
    track_number = StrictIntegerField(
        min_value=1, max_value=32767, required=False, help_text="Next on the album if left out."
    )

    class Meta:
        model = Song
        fields = ["title", "album_id", "track_number", "duration_ms", "composer", "genre_slug"]
        extra_kwargs = {"duration_ms": {"min_value": 1, "max_value": 2**31 - 1}}

    def validate_composer(self, value: str | None) -> str:
        return value or ""


# --- Search and queries ------------------------------------------------------------------


class SearchQuerySerializer(serializers.Serializer):
    q = StrictCharField(max_length=200, help_text="What to look for.")
    limit = StrictIntegerField(
        min_value=1, default=5, help_text="Results of each kind: default 5, at most 50."
    )

    def validate_limit(self, value: int) -> int:
        return min(value, 50)  # larger values are clamped, as page sizes are


class SearchResultSerializer(serializers.Serializer):
    artists = ArtistSerializer(many=True)
    albums = AlbumSerializer(many=True)
    songs = SongSerializer(many=True)


class CascadeQuerySerializer(serializers.Serializer):
    cascade = serializers.BooleanField(
        default=False, help_text="Also delete its albums and songs instead of refusing (409)."
    )
