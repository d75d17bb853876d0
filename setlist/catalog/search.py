"""Text search: case- and accent-insensitive matching that SQLite and PostgreSQL agree on.

Each searchable row stores its name folded by `fold()` ("Mötley Crüe" -> "motley crue") in a
`search_*` column, and queries are folded the same way, so a plain `LIKE` on that column is
the whole search: no database-specific collations or `unaccent`. Since both sides are
already lower-case, the lookups are `contains`/`startswith` (not the `i...` variants, which
PostgreSQL would wrap in `UPPER()` and so keep away from the index).

On PostgreSQL the folded columns carry trigram GIN indexes (migration 0004), which serve
`LIKE '%word%'` for words of three characters or more. A query made only of shorter words
is matched as a prefix instead, which the btree pattern index serves.
"""

import unicodedata

from django.db.models import CharField, F, Func, Q, QuerySet

MIN_INDEXED_WORD = 3  # a trigram index cannot help with shorter words

# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSABLE = str.maketrans(
    {"ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe", "\u0131": "i"}
)


def fold(text: str) -> str:
    """Lower-case, accent-free, whitespace-collapsed form of `text`."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(stripped.casefold().translate(_UNDECOMPOSABLE).split())


def matching(queryset: QuerySet, column: str, query: str) -> QuerySet:
    """Rows whose folded `column` contains every word of `query` (in any order)."""
    term = fold(query)
    words = term.split()
    if not words:
        return queryset.none()
    if all(len(word) < MIN_INDEXED_WORD for word in words):
        return queryset.filter(**{f"{column}__startswith": term})
    condition = Q()
    for word in words:
        condition &= Q(**{f"{column}__contains": word})
    return queryset.filter(condition)


def is_narrow(queryset: QuerySet, column: str, query: str, *, most: int = 20_000) -> bool:
    """Whether few enough rows match `query` to fetch them all and sort them.

    Listing matches in title order, the planner likes to walk the title index and test
    each row, expecting matches to turn up soon. They often do not: words that start
    titles cluster in that order ("velvet ..." sits near the end), and at a million songs
    the walk took two seconds. Fetching the matches through the search index and sorting
    them costs about 3.5 µs a match, so up to `most` matches (or any prefix query, whose
    matches always cluster) that is the better plan; with more, matches are dense and the
    walk is short. The check is one bounded count on the table alone.
    """
    term = fold(query)
    if term and all(len(word) < MIN_INDEXED_WORD for word in term.split()):
        return True
    return matching(queryset.model.objects.all(), column, query)[: most + 1].count() <= most


class SortedAfterFiltering(Func):
    """`column || ''`: the column's values and order, but no index's, so the planner
    filters first and sorts what matched (see `is_narrow`). Text columns only."""

    template = "(%(expressions)s || '')"
    output_field = CharField()

    def __init__(self, column: str):
        super().__init__(F(column))
        self.column = column


def best_matches(
    queryset: QuerySet, column: str, query: str, *, limit: int, tiebreak: tuple[str, ...]
) -> list:
    """The `limit` best rows for `query`: exact, then prefix, then phrase, then all words.

    One bounded query per tier, most popular first within a tier (`tiebreak`), stopping
    once `limit` rows are found. Ranking every match in one query would sort them all:
    a common word ("the") matches a good part of a million songs.
    """
    term = fold(query)
    words = term.split()
    if not words:
        return []
    exact = Q(**{column: term})
    prefix = Q(**{f"{column}__startswith": term})
    phrase = Q(**{f"{column}__contains": term})
    tiers = [exact, prefix & ~exact]
    if any(len(word) >= MIN_INDEXED_WORD for word in words):
        tiers.append(phrase & ~prefix)
        if len(words) > 1:
            all_words = Q()
            for word in words:
                all_words &= Q(**{f"{column}__contains": word})
            tiers.append(all_words & ~phrase)
    found: list = []
    for condition in tiers:
        wanted = limit - len(found)
        if wanted <= 0:
            break
        found.extend(queryset.filter(condition).order_by(*tiebreak)[:wanted])
    return found
