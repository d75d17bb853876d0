"""The operations the load mixes: catalog reads, listener writes, credential endpoints.

Each records what the API acknowledged in `Acks`, so the database can be checked for it.
"""

import random
import uuid
from dataclasses import dataclass
from urllib.parse import quote

from load import Acks, Client, Listener

# Where each operation's successful answer is a 2xx; any other status is judged a failure.
SUCCESS = {
    "read": {200},
    "like": {200, 201},
    "unlike": {204},
    "play": {201},
    "login": {200},
    "register": {201},
    "password_reset": {202},
}
SECURITY_OPS = frozenset({"login", "register", "password_reset"})
LOGIN_PASSWORD = "faults-Password-4471"  # noqa: S105  (a throwaway account)


@dataclass(frozen=True)
class Catalog:
    song_ids: list[int]
    album_ids: list[int]
    words: list[str]
    login_username: str  # a member whose password is LOGIN_PASSWORD
    login_email: str


class Operations:
    """Bound to one catalog; each method is a load.Operation."""

    def __init__(self, catalog: Catalog):
        self.catalog = catalog

    def read_songs(self, client: Client, rng: random.Random, me: Listener, acks: Acks) -> None:
        client.call("read", "GET", f"/api/v1/songs/?page={rng.randint(1, 5)}")

    def read_song(self, client: Client, rng: random.Random, me: Listener, acks: Acks) -> None:
        client.call("read", "GET", f"/api/v1/songs/{rng.choice(self.catalog.song_ids)}/")

    def read_album(self, client: Client, rng: random.Random, me: Listener, acks: Acks) -> None:
        client.call("read", "GET", f"/api/v1/albums/{rng.choice(self.catalog.album_ids)}/")

    def search(self, client: Client, rng: random.Random, me: Listener, acks: Acks) -> None:
        client.call("read", "GET", f"/api/v1/search/?q={quote(rng.choice(self.catalog.words))}")

    def my_likes(self, client: Client, rng: random.Random, me: Listener, acks: Acks) -> None:
        client.call("read", "GET", "/api/v1/me/likes/", token=me.token)

    def like(self, client: Client, rng: random.Random, me: Listener, acks: Acks) -> None:
        song = rng.choice(self.catalog.song_ids)
        response = client.call("like", "PUT", f"/api/v1/me/likes/{song}/", token=me.token)
        if response.status in SUCCESS["like"]:
            acks.likes.append((me.id, song, True))

    def unlike(self, client: Client, rng: random.Random, me: Listener, acks: Acks) -> None:
        song = rng.choice(self.catalog.song_ids)
        response = client.call("unlike", "DELETE", f"/api/v1/me/likes/{song}/", token=me.token)
        if response.status in SUCCESS["unlike"]:
            acks.likes.append((me.id, song, False))

    def play(self, client: Client, rng: random.Random, me: Listener, acks: Acks) -> None:
        song = rng.choice(self.catalog.song_ids)
        response = client.call("play", "POST", f"/api/v1/songs/{song}/plays/", token=me.token)
        if response.status in SUCCESS["play"]:
            acks.plays.append((response.body["id"], song, me.id))

    def login(self, client: Client, rng: random.Random, me: Listener, acks: Acks) -> None:
        body = {"username": self.catalog.login_username, "password": LOGIN_PASSWORD}
        client.call("login", "POST", "/api/v1/auth/token/", body=body)

    def register(self, client: Client, rng: random.Random, me: Listener, acks: Acks) -> None:
        name = f"faults-{uuid.UUID(int=rng.getrandbits(128)).hex[:12]}"
        body = {"username": name, "email": f"{name}@example.com", "password": LOGIN_PASSWORD}
        response = client.call("register", "POST", "/api/v1/auth/register/", body=body)
        if response.status in SUCCESS["register"]:
            acks.users.append(response.body["id"])

    def password_reset(self, client: Client, rng: random.Random, me: Listener, acks: Acks) -> None:
        body = {"email": self.catalog.login_email}
        client.call("password_reset", "POST", "/api/v1/auth/password-reset/", body=body)
