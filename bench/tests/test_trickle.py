"""The steady writer beside a measurement: posts to the ids given, counts, loopback only."""

import threading

import pytest

from bench.tests.local_server import QuietHandler, local_server
from bench.trickle import Trickle


class _Counting(QuietHandler):
    paths: list[str] = []
    enough = threading.Event()

    def do_POST(self):
        type(self).paths.append(self.path)
        if len(type(self).paths) >= 3:
            type(self).enough.set()
        status = 201 if self.path != "/songs/13/plays/" else 404
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def server():
    _Counting.paths, _Counting.enough = [], threading.Event()
    with local_server(_Counting) as httpd:
        yield httpd


def test_it_posts_to_the_ids_given_and_counts_what_failed(server, tmp_path):
    ids = tmp_path / "ids.txt"
    ids.write_text("7\n13\n")
    url = f"http://127.0.0.1:{server.server_address[1]}/songs/%d/plays/"

    with Trickle(url_template=url, ids_file=str(ids), rate=200) as trickle:
        assert _Counting.enough.wait(30), "no requests arrived"

    assert trickle.sent == len(_Counting.paths) >= 3
    assert set(_Counting.paths) <= {"/songs/7/plays/", "/songs/13/plays/"}
    assert trickle.failed == _Counting.paths.count("/songs/13/plays/")


@pytest.mark.parametrize("url", ["http://10.0.0.5:8000/%d/", "http://example.com/%d/"])
def test_only_loopback_is_ever_a_target(url, tmp_path):
    ids = tmp_path / "ids.txt"
    ids.write_text("1\n")

    with pytest.raises(ValueError, match="loopback"):
        Trickle(url_template=url, ids_file=str(ids), rate=1)
