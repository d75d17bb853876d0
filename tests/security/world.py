"""One of everything, owned by one member, and the five roles that act on it.

Roles: `anonymous`; `user`, the plain member who owns the world's playlists, post,
comment, likes, plays, follows and signed-in session; `other`, a different plain member;
`editor`, in the Editors group (catalog add/change/publish/view-unpublished); `staff`,
`is_staff` with the Editors' rights plus every catalog delete permission (the catalog's
"staff with the delete permission", and the journal's moderators).

A concrete URL is built from a route template: each `{param}` is filled from the world
according to the collection it follows (`albums/{pk}` is an album id) and the variant
(`private`/`public` playlist, `unpublished` album or song, ...).
"""

import importlib
from dataclasses import dataclass
from types import SimpleNamespace

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient
from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

from setlist.accounts import tokens
from setlist.accounts.models import User
from setlist.accounts.tests.factories import UserFactory
from setlist.journal import services as journal
from setlist.journal.models import Follow
from setlist.journal.tests.factories import CommentFactory, PostFactory
from setlist.library import services as library
from setlist.library.tests.factories import (
    AlbumFactory,
    ArtistFactory,
    GenreFactory,
    SongFactory,
    playlist_with_songs,
)

ROLES = ("anonymous", "user", "other", "editor", "staff")

_editors_migration = importlib.import_module("setlist.catalog.migrations.0003_editors_group")


def editors_group() -> Group:
    """The Editors group as its data migration makes it (again: a transactional test
    elsewhere may have flushed the tables since the migrations ran)."""
    _editors_migration.create_editors(apps, SimpleNamespace(connection=connection))
    return Group.objects.get(name=_editors_migration.EDITORS)


@dataclass
class World:
    users: dict[str, User]
    objects: dict[str, object]
    owner_pair: dict[str, str]
    session_id: int

    @property
    def owner(self) -> User:
        return self.users["user"]

    def __getattr__(self, name: str):
        try:
            return self.__dict__["objects"][name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    def reset_link(self) -> dict[str, str]:
        """A working `{uid, token}` of the owner's password reset."""
        return {
            "uid": urlsafe_base64_encode(force_bytes(self.owner.pk)),
            "token": default_token_generator.make_token(self.owner),
        }


def build_world() -> World:
    owner = UserFactory(username="owner", bio="Owner's bio")
    other = UserFactory(username="other")
    editors = editors_group()
    editor = UserFactory(username="editor")
    editor.groups.add(editors)
    staff = UserFactory(username="staff", is_staff=True)
    staff.groups.add(editors)
    staff.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="catalog", codename__startswith="delete_"
        )
    )

    genre, spare_genre = GenreFactory(name="Rock", slug="rock"), GenreFactory()
    artist = ArtistFactory(name="The Band")
    album = AlbumFactory(artist=artist, title="Open Album", is_published=True)
    hidden_album = AlbumFactory(artist=artist, title="Hidden Album", is_published=False)
    song = SongFactory(album=album, genre=genre, title="First Song", track_number=1)
    second_song = SongFactory(album=album, genre=genre, title="Second Song", track_number=2)
    hidden_song = SongFactory(album=hidden_album, genre=genre, title="Hidden Song")

    songs = [song, second_song]
    private = playlist_with_songs(songs, owner=owner, name="Private mix", is_public=False)
    public = playlist_with_songs(songs, owner=owner, name="Open mix", is_public=True)
    library.song_like_add(user=owner, song=song)
    library.album_like_add(user=owner, album=album)
    library.artist_like_add(user=owner, artist=artist)
    library.play_record(song_id=song.pk, user=owner)

    post = PostFactory(author=owner, title="Owner's post", slug="owners-post", tags=["rock"])
    comment = CommentFactory(post=post, author=owner, body="The owner's comment")
    others_comment = CommentFactory(post=post, author=other, body="Another member's comment")
    journal.favorite_add(user=other, post=post)
    Follow.objects.create(follower=owner, followee=other)
    Follow.objects.create(follower=other, followee=owner)

    pair = tokens.token_pair_issue(user=owner, user_agent="pytest")
    session_id = OutstandingToken.objects.get(user=owner).pk
    users = {"user": owner, "other": other, "editor": editor, "staff": staff}
    objects = {
        "genre": genre,
        "spare_genre": spare_genre,
        "artist": artist,
        "album": album,
        "hidden_album": hidden_album,
        "song": song,
        "second_song": second_song,
        "hidden_song": hidden_song,
        "private_playlist": private,
        "public_playlist": public,
        "post": post,
        "comment": comment,
        "others_comment": others_comment,
    }
    return World(users=users, objects=objects, owner_pair=pair, session_id=session_id)


# --- URLs ----------------------------------------------------------------------------------

MISSING_ID = 1_999_999_999

# What fills `{param}` after a collection segment, by variant. "" is every variant's default.
_DEFAULTS = {
    "sessions/pk": lambda w: w.session_id,
    "genres/slug": lambda w: w.genre.slug,
    "artists/pk": lambda w: w.artist.pk,
    "albums/pk": lambda w: w.album.pk,
    "songs/pk": lambda w: w.song.pk,
    "song_id": lambda w: w.song.pk,
    "album_id": lambda w: w.album.pk,
    "artist_id": lambda w: w.artist.pk,
    "playlist_id": lambda w: w.private_playlist.pk,
    "position": lambda w: 0,
    "username": lambda w: w.owner.username,
    "slug": lambda w: w.post.slug,
    "comment_id": lambda w: w.comment.pk,
}
VARIANTS = {
    "": {},
    "private": {},
    "public": {"playlist_id": lambda w: w.public_playlist.pk},
    "unpublished": {
        "albums/pk": lambda w: w.hidden_album.pk,
        "songs/pk": lambda w: w.hidden_song.pk,
        "song_id": lambda w: w.hidden_song.pk,
        "album_id": lambda w: w.hidden_album.pk,
    },
    "unused": {"genres/slug": lambda w: w.spare_genre.slug},
    "cascade": {},
    "others-comment": {"comment_id": lambda w: w.others_comment.pk},
    "other-member": {"username": lambda w: w.users["other"].username},
    # Nothing of the kind exists: what a hidden object must be indistinguishable from.
    "missing": {
        key: (lambda w: "no-such-thing")
        if key.endswith(("slug", "username"))
        else (lambda w: MISSING_ID)
        for key in _DEFAULTS
    },
}
# Query strings: the ones a route needs to be a valid request, and a variant's own.
ROUTE_QUERIES = {
    "/api/v1/search/": lambda w: "q=song",
    "/api/v1/me/likes/contains/": lambda w: f"ids={w.song.pk}",
}
VARIANT_QUERIES = {"cascade": "cascade=true"}


def _value(world: World, collection: str, param: str, variant: str):
    overrides = VARIANTS[variant]
    for key in (f"{collection}/{param}", param):
        if key in overrides:
            return overrides[key](world)
        if key in _DEFAULTS:
            return _DEFAULTS[key](world)
    raise KeyError(f"no world value for {{{param}}} after {collection!r}")


def url_for(template: str, world: World, variant: str = "") -> str:
    """The concrete URL of `template` for `world` (and the variant's query string)."""
    segments = template.split("/")
    for index, segment in enumerate(segments):
        if segment.startswith("{") and segment.endswith("}"):
            value = _value(world, segments[index - 1], segment[1:-1], variant)
            segments[index] = str(value)
        elif "{" in segment:
            raise ValueError(f"cannot fill {segment!r} in {template}")
    url = "/".join(segments)
    query = [q for q in (ROUTE_QUERIES.get(template), VARIANT_QUERIES.get(variant)) if q]
    query = [q(world) if callable(q) else q for q in query]
    return f"{url}?{'&'.join(query)}" if query else url


def client_for(role: str, world: World) -> APIClient:
    """An API client for the role: no credentials, or a real Bearer access JWT."""
    client = APIClient()
    if role != "anonymous":
        token = tokens.access_token_for(world.users[role])
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


def session_client_for(role: str, world: World) -> APIClient:
    """A client signed in with a Django session (admin, browsable API login)."""
    client = APIClient()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client
