"""Admin for the library.

Likes and plays are read-only here: each moved a counter on the catalog when it was
created, and only the services keep those counters exact. Playlists can be edited; their
entries are shown in order but changed only through the API (positions stay gapless).
"""

from django.contrib import admin
from django.db.models import F

from .models import AlbumLike, ArtistLike, Play, Playlist, PlaylistEntry, SongLike


class ReadOnlyAdmin(admin.ModelAdmin):
    list_select_related = True
    show_full_result_count = False  # COUNT(*) over millions of rows on every page is slow

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(SongLike)
class SongLikeAdmin(ReadOnlyAdmin):
    list_display = ["user", "song", "created_at"]
    search_fields = ["user__username", "song__title"]
    list_filter = ["created_at"]
    raw_id_fields = ["user", "song"]


@admin.register(AlbumLike)
class AlbumLikeAdmin(ReadOnlyAdmin):
    list_display = ["user", "album", "created_at"]
    search_fields = ["user__username", "album__title"]
    list_filter = ["created_at"]
    raw_id_fields = ["user", "album"]


@admin.register(ArtistLike)
class ArtistLikeAdmin(ReadOnlyAdmin):
    list_display = ["user", "artist", "created_at"]
    search_fields = ["user__username", "artist__name"]
    list_filter = ["created_at"]
    raw_id_fields = ["user", "artist"]


@admin.register(Play)
class PlayAdmin(ReadOnlyAdmin):
    list_display = ["song", "user", "played_at"]
    search_fields = ["user__username", "song__title"]
    list_filter = ["played_at"]
    raw_id_fields = ["user", "song"]


class PlaylistEntryInline(admin.TabularInline):
    model = PlaylistEntry
    fields = ["position", "song", "added_at"]
    readonly_fields = fields
    ordering = ["position"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Playlist)
class PlaylistAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "is_public", "version", "created_at", "updated_at"]
    list_filter = ["is_public", "created_at"]
    search_fields = ["name", "owner__username"]
    list_select_related = ["owner"]
    raw_id_fields = ["owner"]
    readonly_fields = ["version", "created_at", "updated_at"]
    inlines = [PlaylistEntryInline]

    def save_model(self, request, obj, form, change) -> None:
        # An edit here is an edit too: clients holding the old version must get 412.
        if change:
            obj.version = F("version") + 1
        super().save_model(request, obj, form, change)
        obj.refresh_from_db(fields=["version"])
