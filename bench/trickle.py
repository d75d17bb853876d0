"""Writes at a steady rate beside a measurement: how a cached read fares under a stream
of plays, as it would in production, where listeners play songs while others browse.

Every play moves a counter that cached catalog pages show, so each one makes those pages
stale (see `setlist/catalog/caching.py`); the scenarios measured alone never show what that
costs. A `Trickle` posts to loopback URLs at a fixed rate on its own thread while the
measurement runs, paced by a schedule rather than by sleeping after each request, so a
slow answer does not lower the rate that follows.
"""

import random
import threading
import time
import urllib.request

from bench.loopback import require_loopback


class Trickle:
    """Anonymous POSTs to `url_template % id` (ids from `ids_file`, at random) `rate` times
    a second while the `with` block runs. `sent` and `failed` count the requests made."""

    def __init__(self, *, url_template: str, ids_file: str, rate: float):
        require_loopback(url_template)
        self.url_template, self.rate = url_template, rate
        with open(ids_file) as lines:
            self.ids = [int(line) for line in lines if line.strip()]
        self.sent = self.failed = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._random = random.Random(20261207)

    def __enter__(self) -> "Trickle":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        due = time.monotonic()
        while not self._stop.is_set():
            self._post(self.url_template % self._random.choice(self.ids))
            due += 1 / self.rate
            self._stop.wait(max(0.0, due - time.monotonic()))

    def _post(self, url: str) -> None:
        request = urllib.request.Request(url, data=b"", method="POST")  # noqa: S310 (loopback)
        self.sent += 1
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
                response.read()
        except OSError:  # HTTPError included: counted, the measurement goes on
            self.failed += 1
