"""Unpublished albums and their songs exist only for holders of `catalog.view_unpublished`."""

import pytest
from django.contrib.auth.models import AnonymousUser

from setlist.catalog.selectors import song_cards, song_is_visible

from .factories import AlbumFactory, ArtistFactory, SongFactory
from .helpers import API, ids, results

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden():
    artist = ArtistFactory(name="Secret Band")
    album = AlbumFactory(artist=artist, title="Unreleased Gems", is_published=False)
    song = SongFactory(album=album, title="Unreleased Song", genre__slug="demo")
    return {"artist": artist, "album": album, "song": song}


@pytest.fixture(params=["anonymous", "plain user"])
def outsider(request, api_client, user_client):
    return api_client if request.param == "anonymous" else user_client


def test_detail_of_an_unpublished_album_or_its_song_is_404(outsider, hidden):
    assert outsider.get(f"{API}/albums/{hidden['album'].id}/").status_code == 404
    assert outsider.get(f"{API}/songs/{hidden['song'].id}/").status_code == 404


def test_unpublished_rows_are_absent_from_lists_and_filters(outsider, hidden):
    album, song = hidden["album"], hidden["song"]

    assert album.id not in ids(outsider.get(f"{API}/albums/"))
    assert song.id not in ids(outsider.get(f"{API}/songs/"))
    assert ids(outsider.get(f"{API}/songs/", {"album": album.id})) == []
    assert ids(outsider.get(f"{API}/albums/", {"artist": hidden["artist"].id})) == []
    assert results(outsider.get(f"{API}/genres/"))[0]["song_count"] == 0


def test_unpublished_rows_are_absent_from_search(outsider, hidden):
    body = outsider.get(f"{API}/search/", {"q": "unreleased"}).json()

    assert body["albums"] == []
    assert body["songs"] == []


def test_the_artist_stays_visible_without_the_hidden_album(outsider, hidden):
    body = outsider.get(f"{API}/artists/{hidden['artist'].id}/").json()

    assert body["album_count"] == 0
    assert body["albums"] == []


def test_editors_see_everything(editor_client, hidden):
    album, song = hidden["album"], hidden["song"]

    assert editor_client.get(f"{API}/albums/{album.id}/").json()["is_published"] is False
    assert editor_client.get(f"{API}/songs/{song.id}/").status_code == 200
    assert song.id in ids(editor_client.get(f"{API}/songs/"))
    assert [a["id"] for a in editor_client.get(f"{API}/search/?q=gems").json()["albums"]] == [
        album.id
    ]


def test_publishing_makes_album_and_songs_visible(api_client, editor_client, hidden):
    editor_client.post(f"{API}/albums/{hidden['album'].id}/publish/")

    assert api_client.get(f"{API}/songs/{hidden['song'].id}/").status_code == 200
    assert results(api_client.get(f"{API}/genres/"))[0]["song_count"] == 1


def test_song_is_visible_follows_the_same_rule(hidden, user, editor):
    shown = SongFactory()
    for who in (AnonymousUser(), user):
        assert song_is_visible(user=who, song_id=shown.id)
        assert not song_is_visible(user=who, song_id=hidden["song"].id)
    assert song_is_visible(user=editor, song_id=hidden["song"].id)
    assert not song_is_visible(user=editor, song_id=shown.id + 1000)
    assert not song_is_visible(user=user, song_id=shown.id + 1000)


def test_song_cards_follow_the_same_rule_and_ask_permissions_only_for_the_unpublished(
    hidden, user, editor, monkeypatch
):
    from setlist.catalog import selectors

    shown = SongFactory()
    asked = []
    real_check = selectors.can_view_unpublished
    monkeypatch.setattr(
        selectors, "can_view_unpublished", lambda who: asked.append(who) or real_check(who)
    )
    both = {shown.id, hidden["song"].id}

    assert set(song_cards(user=user, ids={shown.id})) == {shown.id}
    assert asked == []  # all published: no permission lookup
    assert set(song_cards(user=user, ids=both)) == {shown.id}
    assert set(song_cards(user=editor, ids=both)) == both
    assert set(song_cards(user=AnonymousUser(), ids=both)) == {shown.id}
    assert len(asked) == 3


def test_song_cards_flag_only_the_callers_own_likes(hidden, user, other_user, editor):
    """The flags come with the cards, for published and unpublished songs alike."""
    from setlist.library.models import SongLike

    mine, theirs, plain = SongFactory.create_batch(3)
    SongLike.objects.create(user=user, song=mine)
    SongLike.objects.create(user=other_user, song=theirs)
    SongLike.objects.create(user=editor, song=hidden["song"])
    every = {mine.id, theirs.id, plain.id, hidden["song"].id}

    def flags(who, **kwargs):
        return {pk: card["liked"] for pk, card in song_cards(user=who, ids=every, **kwargs).items()}

    assert flags(user) == {mine.id: True, theirs.id: False, plain.id: False}
    assert flags(user, all_liked=True) == {mine.id: True, theirs.id: True, plain.id: True}
    assert flags(AnonymousUser()) == {mine.id: False, theirs.id: False, plain.id: False}
    assert flags(editor) == {
        mine.id: False,
        theirs.id: False,
        plain.id: False,
        hidden["song"].id: True,
    }
    assert song_cards(user=user, ids={mine.id})[mine.id]["liked"] is True
