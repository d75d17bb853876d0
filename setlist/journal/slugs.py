"""Slugs made from titles: ASCII, lower-case, hyphenated, never empty."""

from django.utils.text import slugify

FALLBACK_SLUG = "post"
# Path words that sit where a slug would (`/conduit/api/articles/feed`): never a slug.
RESERVED_SLUGS = frozenset({"feed"})
# Leaves room in the 255-character column for the "-<8 hex>" suffix of a repeated title.
BASE_MAX_LENGTH = 200


def slug_base(title: str) -> str:
    """The slug a title asks for, before any suffix that makes it unique.

    Accents are transliterated by `slugify` ("Mötley Crüe" -> "motley-crue"); a title with
    nothing left (emoji, non-Latin script) falls back to "post", which then gets a suffix.
    """
    base = slugify(title)[:BASE_MAX_LENGTH].strip("-") or FALLBACK_SLUG
    return f"{base}-post" if base in RESERVED_SLUGS else base
