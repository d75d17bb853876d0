"""Query-string filters and orderings of the catalog lists (django-filter).

Every parameter is validated: a malformed value (`?year=abc`, `?ordering=nope`, an id out
of range) is a 400 with the parameter named, never a 500. A well-formed value that matches
nothing (an unknown genre slug, a missing artist id) simply gives an empty list.

Each ordering ends in the primary key, so pages are stable, and the song orderings keep one
direction throughout, as keyset (cursor) pagination needs (see pagination.py).
"""

import django_filters
from django import forms
from django.db.models import Exists, F, OuterRef

from setlist.core.fields import WholeNumberFormField

from .models import Album, Artist, Song
from .search import SortedAfterFiltering, is_narrow, matching

MAX_ID = 2**63 - 1  # BigAutoField; larger numbers would overflow the database driver
MAX_SEARCH_LENGTH = 200


class IntegerFilter(django_filters.NumberFilter):
    field_class = WholeNumberFormField


class SlugFilter(django_filters.CharFilter):
    field_class = forms.SlugField


def id_filter(field_name: str, help_text: str) -> IntegerFilter:
    return IntegerFilter(field_name=field_name, min_value=1, max_value=MAX_ID, help_text=help_text)


class FixedOrderingFilter(django_filters.ChoiceFilter):
    """`?ordering=`: one of a fixed set of named orderings; the default when absent."""

    def __init__(self, *, orderings: dict[str, tuple], default: str, **kwargs):
        self.orderings = orderings
        self.default = default
        kwargs.setdefault("help_text", f"One of: {', '.join(orderings)}. Default: {default}.")
        super().__init__(choices=[(name, name) for name in orderings], **kwargs)

    def filter(self, qs, value):
        return qs.order_by(*self.orderings[value or self.default])


class SearchFilterSet(django_filters.FilterSet):
    """Adds `?search=`: every word must occur in the folded `search_column`.

    When the list is in order of the searched text (`title_column`) and few rows match,
    the ordering is rewritten so that the database sorts the matches instead of walking
    the whole title index (see `search.is_narrow`). The order itself does not change.
    """

    search_column = ""
    title_column = ""
    search = django_filters.CharFilter(
        method="filter_search",
        max_length=MAX_SEARCH_LENGTH,
        help_text="Case- and accent-insensitive; every word must match.",
    )

    def filter_search(self, queryset, name, value):
        return matching(queryset, self.search_column, value)

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        query = self.form.cleaned_data.get("search")
        ordering = list(queryset.query.order_by)
        if not (query and ordering and isinstance(ordering[0], str)):
            return queryset
        first = ordering[0]
        if first.lstrip("-") != self.title_column:
            return queryset
        if not is_narrow(queryset, self.search_column, query):
            return queryset
        title = SortedAfterFiltering(self.title_column)
        ordering[0] = title.desc() if first.startswith("-") else title.asc()
        return queryset.order_by(*ordering)


class ArtistFilter(SearchFilterSet):
    search_column = "search_name"
    title_column = "name"
    ordering = FixedOrderingFilter(
        orderings={
            "name": ("name", "id"),
            "-name": ("-name", "-id"),
            "album_count": ("album_count", "id"),
            "-album_count": ("-album_count", "-id"),
        },
        default="name",
    )

    class Meta:
        model = Artist
        fields = ["search", "ordering"]


class YearRangeForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        low, high = cleaned.get("year_min"), cleaned.get("year_max")
        if low is not None and high is not None and low > high:
            self.add_error(
                "year_max",
                forms.ValidationError("Must not be smaller than year_min.", code="min_value"),
            )
        return cleaned


def _year_filter(lookup: str, help_text: str) -> IntegerFilter:
    return IntegerFilter(
        field_name="year", lookup_expr=lookup, min_value=0, max_value=9999, help_text=help_text
    )


class AlbumFilter(SearchFilterSet):
    search_column = "search_title"
    title_column = "title"
    artist = id_filter("artist_id", "Albums by this artist id.")
    genre = SlugFilter(method="filter_genre", help_text="Albums with a song in this genre slug.")
    year = _year_filter("exact", "Release year.")
    year_min = _year_filter("gte", "Released in or after this year.")
    year_max = _year_filter("lte", "Released in or before this year.")
    ordering = FixedOrderingFilter(
        orderings={
            "title": ("title", "id"),
            "-title": ("-title", "-id"),
            # Albums without a year come last either way, on every database.
            "year": (F("year").asc(nulls_last=True), "title", "id"),
            "-year": (F("year").desc(nulls_last=True), "title", "id"),
            "-like_count": ("-like_count", "-id"),
        },
        default="title",
    )

    class Meta:
        model = Album
        form = YearRangeForm
        fields = ["artist", "genre", "year", "year_min", "year_max", "search", "ordering"]

    def filter_genre(self, queryset, name, value):
        in_genre = Song.objects.filter(album=OuterRef("pk"), genre__slug=value)
        return queryset.filter(Exists(in_genre))


class SongFilter(SearchFilterSet):
    search_column = "search_title"
    title_column = "title"
    album = id_filter("album_id", "Songs on this album id.")
    artist = id_filter("album__artist_id", "Songs by this artist id.")
    genre = SlugFilter(field_name="genre__slug", help_text="Songs in this genre slug.")
    ordering = FixedOrderingFilter(
        orderings={
            name: (name, "-id" if name.startswith("-") else "id")
            for name in (
                "title",
                "-title",
                "-num_streams",
                "num_streams",
                "-like_count",
                "like_count",
                "-created_at",
                "created_at",
            )
        },
        default="title",
    )

    class Meta:
        model = Song
        fields = ["album", "artist", "genre", "search", "ordering"]
