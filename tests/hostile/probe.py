"""Sending one hostile request, tallying its outcome, and the expectations it must meet.

Every hostile request runs in a savepoint that is rolled back, and the cache (throttle
counters, cached catalog pages) is cleared after it, so one test can send many requests
against the same world without one request's effect masking the next one's answer.
"""

from collections import Counter
from dataclasses import dataclass, field

import orjson
from django.core.cache import caches
from django.db import transaction

# Outcomes of every hostile request of the run, by status class; printed at the end.
TALLY: Counter = Counter()

REFUSED = frozenset({400, 413, 415})


@dataclass
class Probe:
    """Sends requests and collects the expectations they broke, to report them together."""

    client: object
    world: object
    failures: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        # A crash must come back as the 500 a client would see, not stop the loop.
        self.client.raise_request_exception = False

    def send(self, method: str, path: str, body: bytes = b"", content_type: str = "", **extra):
        with transaction.atomic():
            response = self.client.generic(
                method.upper(), path, body, content_type=content_type, **extra
            )
            transaction.set_rollback(True)
        caches["default"].clear()
        # A request may have changed the signed-in user in memory (force_authenticate
        # hands the view this very object, and deleting it clears its pk); the database
        # has been rolled back.
        self.world.admin.pk = self.world.admin_id
        self.world.admin.refresh_from_db()
        TALLY[f"{response.status_code // 100}xx"] += 1
        TALLY["cases"] += 1
        return response

    def fail(self, case: str, response, why: str) -> None:
        snippet = response.content[:200].decode("utf-8", "replace")
        self.failures.append(f"{case}: {why} (got {response.status_code}: {snippet})")

    def expect_no_server_error(self, case: str, response) -> bool:
        if response.status_code >= 500:
            self.fail(case, response, "server error")
            return False
        return True

    def expect_refused(self, case: str, response, statuses=REFUSED) -> bool:
        if response.request["PATH_INFO"].startswith("/conduit/") and 400 in statuses:
            # The RealWorld specification answers invalid input with 422.
            statuses = {*statuses, 422}
        if response.status_code not in statuses:
            self.fail(case, response, f"expected one of {sorted(statuses)}")
            return False
        if not response["Content-Type"].startswith("application/json"):
            self.fail(case, response, "error is not JSON")
            return False
        return True

    def check(self) -> None:
        assert not self.failures, "\n".join(self.failures)


def json_body(response) -> object:
    try:
        return orjson.loads(response.content)
    except orjson.JSONDecodeError:
        return None
