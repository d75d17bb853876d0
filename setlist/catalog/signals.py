"""Keeps counts and the response cache right whenever a catalog row is saved or deleted.

Signals, not services, because editors also work through the admin and the shell: any
`save()` or `delete()` of a Genre, Artist, Album or Song is seen here. Bulk writes
(`bulk_create`, queryset `.update()`) bypass signals; code doing them calls
`catalog_changed`/`catalog_counts_rebuild` and `catalog_cache_invalidate` itself.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .changes import catalog_changed
from .models import Album, Artist, Genre, Song


def _remember(instance, **values) -> None:
    # The saved state becomes the baseline for the next save of the same instance.
    instance._loaded = values


@receiver(post_save, sender=Song, dispatch_uid="catalog_song_saved")
def song_saved(sender, instance: Song, created: bool, raw: bool = False, **kwargs) -> None:
    if raw:  # loaddata: rows arrive in any order; rebuild counts afterwards
        return
    loaded = getattr(instance, "_loaded", {})
    moved = loaded.get("album_id") != instance.album_id
    genre_changed = loaded.get("genre_id") != instance.genre_id
    genre_ids = (
        {loaded.get("genre_id"), instance.genre_id} if created or moved or genre_changed else ()
    )
    catalog_changed(genre_ids=genre_ids)
    _remember(instance, album_id=instance.album_id, genre_id=instance.genre_id)


@receiver(post_delete, sender=Song, dispatch_uid="catalog_song_deleted")
def song_deleted(sender, instance: Song, **kwargs) -> None:
    catalog_changed(genre_ids={instance.genre_id})


@receiver(post_save, sender=Album, dispatch_uid="catalog_album_saved")
def album_saved(sender, instance: Album, created: bool, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    loaded = getattr(instance, "_loaded", {})
    published_changed = not created and loaded.get("is_published") != instance.is_published
    artist_changed = not created and loaded.get("artist_id") != instance.artist_id
    artist_ids = ()
    if created or published_changed or artist_changed:
        artist_ids = {loaded.get("artist_id"), instance.artist_id}
    genre_ids = ()
    if published_changed:
        # Publishing shows (or hides) every song of the album in its genre's count.
        genre_ids = set(
            Song.objects.filter(album=instance).order_by().values_list("genre_id", flat=True)
        )
    catalog_changed(artist_ids=artist_ids, genre_ids=genre_ids)
    _remember(instance, is_published=instance.is_published, artist_id=instance.artist_id)


@receiver(post_delete, sender=Album, dispatch_uid="catalog_album_deleted")
def album_deleted(sender, instance: Album, **kwargs) -> None:
    catalog_changed(artist_ids={instance.artist_id})


@receiver(post_save, sender=Artist, dispatch_uid="catalog_artist_saved")
@receiver(post_delete, sender=Artist, dispatch_uid="catalog_artist_deleted")
@receiver(post_save, sender=Genre, dispatch_uid="catalog_genre_saved")
@receiver(post_delete, sender=Genre, dispatch_uid="catalog_genre_deleted")
def catalog_row_changed(sender, raw: bool = False, **kwargs) -> None:
    if not raw:
        catalog_changed()
