"""A small world every hostile request can address: one of each object, owned by a
superuser, so requests get past authentication and permissions to the validation that
hostile input must meet."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from setlist.accounts.tests.factories import UserFactory
from setlist.accounts.tokens import token_pair_issue
from setlist.catalog.tests.factories import AlbumFactory, ArtistFactory, GenreFactory, SongFactory
from setlist.journal.tests.factories import CommentFactory, PostFactory
from setlist.library.tests.factories import playlist_with_songs


@pytest.fixture
def world(db) -> SimpleNamespace:
    admin = UserFactory(username="curator", is_staff=True, is_superuser=True)
    other = UserFactory(username="neighbour")
    genre = GenreFactory(name="Rock", slug="rock")
    artist = ArtistFactory(name="The Band")
    album = AlbumFactory(artist=artist, title="First")
    song = SongFactory(album=album, genre=genre, track_number=1)
    second = SongFactory(album=album, genre=genre, track_number=2)
    playlist = playlist_with_songs([song, second], owner=admin, name="Mine")
    post = PostFactory(author=admin, title="Hello", slug="hello")
    comment = CommentFactory(post=post, author=admin)
    pair = token_pair_issue(user=admin)
    from rest_framework_simplejwt.token_blacklist.models import OutstandingToken

    return SimpleNamespace(
        admin=admin,
        admin_id=admin.pk,
        other=other,
        genre=genre,
        artist=artist,
        album=album,
        song=song,
        second=second,
        playlist=playlist,
        post=post,
        comment=comment,
        access=pair["access"],
        refresh=pair["refresh"],
        session_id=OutstandingToken.objects.get(user=admin).pk,
        reset_uid=urlsafe_base64_encode(force_bytes(admin.pk)),
        reset_token=default_token_generator.make_token(admin),
    )


@pytest.fixture
def admin_client(world) -> APIClient:
    client = APIClient()
    client.force_authenticate(world.admin)
    return client


def pytest_terminal_summary(terminalreporter):
    from .probe import TALLY

    if TALLY["cases"]:
        counts = ", ".join(f"{key} {TALLY[key]}" for key in ("2xx", "3xx", "4xx", "5xx"))
        terminalreporter.write_line(f"hostile requests: {TALLY['cases']} ({counts})")
