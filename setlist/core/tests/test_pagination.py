import pytest

pytestmark = [pytest.mark.urls("setlist.core.tests.urls"), pytest.mark.django_db]


def test_default_page_has_twenty_items_and_links(api_client):
    body = api_client.get("/api/v1/numbers/").json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 250
    assert body["results"] == list(range(20))
    assert body["previous"] is None
    assert "page=2" in body["next"]


@pytest.mark.parametrize("value", ["1000", str(10**9), "9" * 30, "0" * 20 + "500"])
def test_page_size_over_the_maximum_is_clamped_not_refused(api_client, value):
    response = api_client.get(f"/api/v1/numbers/?page_size={value}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == 100


def test_page_size_with_leading_zeros_is_read_as_its_number(api_client):
    response = api_client.get("/api/v1/numbers/?page_size=0007")
    assert len(response.json()["results"]) == 7


@pytest.mark.parametrize(
    "value", ["0", "000", "-5", "abc", "null", "", "1e3", "+5", "\u0661", "5 "]
)
def test_nonsense_page_size_is_a_400_naming_the_parameter(api_client, value):
    response = api_client.get(f"/api/v1/numbers/?page_size={value}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "page_size"


def test_page_past_the_end_is_a_json_404(api_client):
    response = api_client.get("/api/v1/numbers/?page=99")
    assert response.status_code == 404
    assert response.json()["type"] == "client_error"


@pytest.mark.parametrize("value", ["", "0", "-1", "abc", "1.0", " 1", "last", "\u0661", "{}"])
def test_nonsense_page_is_a_400_naming_the_parameter(api_client, value):
    response = api_client.get("/api/v1/numbers/", {"page": value})
    assert response.status_code == 400
    assert response.json()["errors"][0]["attr"] == "page"


@pytest.mark.parametrize(("value", "first"), [("2", 20), ("0013", 240)])
def test_a_page_number_with_or_without_leading_zeros(api_client, value, first):
    response = api_client.get("/api/v1/numbers/", {"page": value})
    assert response.status_code == 200
    assert response.json()["results"][0] == first


def test_a_page_number_of_any_length_past_the_end_is_a_404(api_client):
    response = api_client.get("/api/v1/numbers/", {"page": "9" * 5000})
    assert response.status_code == 404
