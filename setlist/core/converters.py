"""URL converters shared by every app (registered in config/urls.py)."""


class IdConverter:
    """A database id: 1 to 18 digits, so it always fits a 64-bit column.

    Django's `int` converter takes any length, and a 30-digit id overflows the database
    driver (a 500) instead of finding nothing; here it matches no route (a 404).
    """

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)
