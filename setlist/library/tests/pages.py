"""Walking the cursor pages of the library's lists (likes, history) through the API."""


def page_bodies(client, url: str, link: str) -> list[dict]:
    """The body of each page from `url` on, following `link` ("next" or "previous")."""
    bodies = []
    while url:
        body = client.get(url).json()
        bodies.append(body)
        url = body[link]
    return bodies


def song_ids(body: dict) -> list[int]:
    """The ids of the songs on one page, in order."""
    return [item["song"]["id"] for item in body["results"]]


def walk(client, url: str, link: str) -> list[list[int]]:
    """The song ids of each page from `url` on, following `link` ("next"/"previous")."""
    return [song_ids(body) for body in page_bodies(client, url, link)]
