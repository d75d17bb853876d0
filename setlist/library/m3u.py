"""Extended M3U export of a playlist (`#EXTM3U` / `#EXTINF:<seconds>,<artist> - <title>`)."""

from collections.abc import Callable, Iterable

from rest_framework.renderers import BaseRenderer

from setlist.core.renderers import dumps

from .models import PlaylistEntry

MEDIA_TYPE = "audio/x-mpegurl"


def _one_line(text: str) -> str:
    # A line break in a title would start a new directive or a bogus track location.
    return " ".join(text.split())


def playlist_m3u(
    *, name: str, entries: Iterable[PlaylistEntry], location: Callable[[int], str]
) -> str:
    """The playlist as extended M3U; `location(song_id)` gives each track's URL."""
    lines = ["#EXTM3U", f"#PLAYLIST:{_one_line(name)}"]
    for entry in entries:
        song = entry.song
        seconds = (song.duration_ms + 500) // 1000
        artist = _one_line(song.album.artist.name)
        lines.append(f"#EXTINF:{seconds},{artist} - {_one_line(song.title)}")
        lines.append(location(song.pk))
    return "\n".join(lines) + "\n"


class M3URenderer(BaseRenderer):
    """Renders the text built by `playlist_m3u`. Error bodies stay JSON (see the view)."""

    media_type = MEDIA_TYPE
    format = "m3u"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        if isinstance(data, str):
            return data.encode("utf-8")
        return dumps(data)
