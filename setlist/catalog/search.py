"""Text normalisation for search: case- and accent-insensitive matching on every database.

Each searchable row stores its name folded by `fold()` ("Mötley Crüe" -> "motley crue"), and
queries are folded the same way, so SQLite and PostgreSQL agree on what matches.
"""

import unicodedata


def fold(text: str) -> str:
    """Lower-case, accent-free, whitespace-collapsed form of `text`."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().split())
