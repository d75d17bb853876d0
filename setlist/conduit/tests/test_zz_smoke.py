import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db


def test_smoke():
    c = APIClient()
    r = c.post(
        "/conduit/api/users",
        {
            "user": {
                "username": "jake",
                "email": "jake@jake.jake",
                "password": "correct-horse-battery-9",
            }
        },
        format="json",
    )
    print(r.status_code, r.json())
    tok = r.json()["user"]["token"]
    c.credentials(HTTP_AUTHORIZATION=f"Token {tok}")
    for body in [
        {"article": {"title": "", "description": "d", "body": "b"}},
        {},
        {"article": {"title": "How to", "description": "d", "body": "b", "tagList": ["z", "a"]}},
    ]:
        r = c.post("/conduit/api/articles", body, format="json")
        print(r.status_code, r.json())
    r = c.get("/conduit/api/articles?limit=abc")
    print(r.status_code, r.json())
    r = c.get("/conduit/api/articles")
    print(r.status_code, r.json())
    r = APIClient().get("/conduit/api/user")
    print(r.status_code, r.json(), r.headers.get("WWW-Authenticate"))
    r = APIClient().get("/conduit/api/articles/nope")
    print(r.status_code, r.json())
    r = c.put("/conduit/api/articles/how-to", {"article": {"tagList": None}}, format="json")
    print(r.status_code, r.json())
    r = c.post(
        "/conduit/api/users",
        {
            "user": {
                "username": "jake",
                "email": "jake@jake.jake",
                "password": "correct-horse-battery-9",
            }
        },
        format="json",
    )
    print(r.status_code, r.json())
    r = c.post(
        "/conduit/api/users",
        {"user": {"username": "", "email": "", "password": "short"}},
        format="json",
    )
    print(r.status_code, r.json())
    r = c.post(
        "/conduit/api/users/login",
        {"user": {"email": "jake@jake.jake", "password": "wrong-password-x"}},
        format="json",
    )
    print(r.status_code, r.json(), r.headers.get("WWW-Authenticate"))
    r = c.get("/conduit/api/tags")
    print(r.status_code, r.json())
    r = c.post(
        "/conduit/api/users",
        {"user": {"username": "bob", "email": "bob@jake.jake", "password": "password123"}},
        format="json",
    )
    print(r.status_code, r.json())
