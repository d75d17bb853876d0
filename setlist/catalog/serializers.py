"""Catalog serializers: translation only (validation of input, shape of output)."""

from rest_framework import serializers

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
