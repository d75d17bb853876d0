"""The admin, where editors work day to day; built to stay quick at a million songs.

- Searches fold the term and match the indexed `search_*` columns (as the API does), so
  "motley" finds "Mötley Crüe" and PostgreSQL answers from the trigram index.
- Foreign keys to big tables use autocomplete widgets, never a <select> of every row.
- Lists join what they show (`list_select_related`) and skip the unfiltered full count.
- Publishing goes through the service, which keeps counts and the cache right.
"""

from django.contrib import admin, messages
from django.db.models import QuerySet

from . import services
from .models import Album, Artist, Genre, Song
from .search import matching


class FoldedSearchMixin:
    """Admin search on a folded column: accent-insensitive and index-friendly."""

    search_column = ""  # subclasses also set `search_fields`, which shows the search box

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return matching(queryset, self.search_column, search_term), False


@admin.register(Genre)
class GenreAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "published_song_count", "total_song_count"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["published_song_count", "total_song_count", "chinook_id"]


@admin.register(Artist)
class ArtistAdmin(FoldedSearchMixin, admin.ModelAdmin):
    search_column = "search_name"
    search_fields = ["name"]
    list_display = ["name", "published_album_count", "total_album_count", "like_count"]
    readonly_fields = [
        "published_album_count",
        "total_album_count",
        "like_count",
        "chinook_id",
        "created_at",
        "updated_at",
    ]
    show_full_result_count = False


class SongInline(admin.TabularInline):
    model = Song
    fields = ["track_number", "title", "duration_ms", "composer", "genre"]
    ordering = ["track_number", "id"]
    extra = 0
    show_change_link = True


@admin.action(description="Publish the selected albums", permissions=["publish"])
def publish_albums(modeladmin, request, queryset: QuerySet) -> None:
    changed = services.albums_set_published(albums=queryset, published=True)
    modeladmin.message_user(request, f"Published {changed} album(s).", messages.SUCCESS)


@admin.action(description="Unpublish the selected albums", permissions=["publish"])
def unpublish_albums(modeladmin, request, queryset: QuerySet) -> None:
    changed = services.albums_set_published(albums=queryset, published=False)
    modeladmin.message_user(request, f"Unpublished {changed} album(s).", messages.SUCCESS)


@admin.register(Album)
class AlbumAdmin(FoldedSearchMixin, admin.ModelAdmin):
    search_column = "search_title"
    search_fields = ["title"]
    list_display = ["title", "artist", "year", "is_published", "like_count", "created_at"]
    list_filter = ["is_published"]
    list_select_related = ["artist"]
    autocomplete_fields = ["artist"]
    readonly_fields = ["like_count", "chinook_id", "created_at", "updated_at"]
    inlines = [SongInline]
    actions = [publish_albums, unpublish_albums]
    show_full_result_count = False

    def has_publish_permission(self, request) -> bool:
        return request.user.has_perm("catalog.publish_album")


@admin.register(Song)
class SongAdmin(FoldedSearchMixin, admin.ModelAdmin):
    search_column = "search_title"
    search_fields = ["title"]
    list_display = [
        "title",
        "album",
        "artist",
        "track_number",
        "genre",
        "num_streams",
        "like_count",
    ]
    list_filter = ["genre", "album__is_published"]
    list_select_related = ["album__artist", "genre"]
    autocomplete_fields = ["album"]
    readonly_fields = ["num_streams", "like_count", "chinook_id", "created_at", "updated_at"]
    show_full_result_count = False

    @admin.display(ordering="album__artist__name")
    def artist(self, song: Song) -> Artist:
        return song.album.artist
