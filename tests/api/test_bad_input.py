"""Bad input: each is a clear 4xx with a message naming the problem, and the server stays up."""

from __future__ import annotations

import json

import httpx
import pytest

from tests.api.conftest import MAX_BYTES, SMALL_ARTICLE, TOKEN

AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.mark.parametrize(
    "path, params, status, message",
    [
        ("/api/events", {"colour": "red"}, 400, "unknown parameter(s): colour; allowed: actor"),
        ("/api/stats/timeline", {"limit": "5"}, 400, "unknown parameter(s): limit"),
        ("/api/health", {"x": "1"}, 400, "unknown parameter(s): x"),
        ("/api/events", {"since": "2021-13-01"}, 422, "since: Input should be a valid date"),
        ("/api/events", {"until": "yesterday"}, 422, "until: Input should be a valid date"),
        ("/api/events", {"since": "2022-02-01", "until": "2022-01-01"}, 422, "is after until"),
        ("/api/events", {"limit": "100000000"}, 422, "limit: Input should be less than or equal to 1000"),
        ("/api/events", {"limit": "0"}, 422, "limit: Input should be greater than or equal to 1"),
        ("/api/events", {"offset": "-5"}, 422, "offset: Input should be greater than or equal to 0"),
        ("/api/documents", {"offset": "-1"}, 422, "offset: Input should be greater than or equal to 0"),
        ("/api/events", {"limit": "ten"}, 422, "limit: Input should be a valid integer"),
        ("/api/events", {"code": "19; DROP TABLE events"}, 422, "code: String should match pattern"),
        ("/api/events", {"quad_class": "5"}, 422, "quad_class: String should match pattern"),
        ("/api/events", {"country": "Ukraine"}, 422, "country: String should match pattern"),
        ("/api/events", {"modality": "maybe"}, 422, "unknown modality maybe"),
        ("/api/events", {"sort": "goldstein; DELETE FROM events"}, 422, "unknown sort"),
        ("/api/events", {"cursor": "not-a-cursor"}, 400, "malformed cursor"),
        ("/api/events", {"text": "x" * 500}, 422, "text: String should have at most 200 characters"),
        ("/api/stats/timeline", {"interval": "fortnight"}, 422, "interval: String should match pattern"),
        ("/api/stats/timeline", {"group": "actor"}, 422, "group: String should match pattern"),
        ("/api/documents/no-such-document", {}, 404, "no document with id 'no-such-document'"),
    ],
)
def test_bad_query_is_a_clear_4xx(client, path, params, status, message):
    response = client.get(path, params=params)
    assert response.status_code == status, response.text
    assert message in response.json()["error"]


def test_cursor_for_another_sort_is_refused(client):
    cursor = client.get("/api/events", params={"limit": 1, "modality": "any"}).json()["next_cursor"]
    response = client.get("/api/events", params={"cursor": cursor, "sort": "goldstein"})
    assert response.status_code == 400 and "made for sort=-date" in response.json()["error"]


@pytest.mark.parametrize(
    "text",
    [
        "' OR 1=1 --",
        "%' UNION SELECT text FROM documents --",
        "\\",
        "_",
        "Kharkiv'); DROP TABLE events; --",
    ],
)
def test_sql_fragments_in_text_search_are_plain_text(client, text):
    for path in ("/api/events", "/api/quotes", "/api/documents"):
        response = client.get(path, params={"text": text})
        assert response.status_code == 200 and response.json()["items"] == []
    assert client.get("/api/health").json()["events"] >= 4


@pytest.mark.parametrize(
    "headers, body, status, message",
    [
        ({}, [{"text": SMALL_ARTICLE, "date": "2024-02-01"}], 401, "missing API token"),
        (
            {"Authorization": "Bearer wrong"},
            [{"text": SMALL_ARTICLE, "date": "2024-02-01"}],
            403,
            "wrong API token",
        ),
        ({"Authorization": TOKEN}, [{"text": SMALL_ARTICLE, "date": "2024-02-01"}], 401, "missing API token"),
        (AUTH, b"{not json", 400, "body is not valid JSON"),
        (AUTH, b"", 400, "empty body"),
        (AUTH, [], 422, "no documents in the body"),
        (AUTH, [1, 2], 422, "document 1: expected a JSON object"),
        (AUTH, {"text": "x" * (MAX_BYTES + 10), "date": "2024-02-01"}, 413, "over the limit"),
        (AUTH, [{"text": "no date here"}], 422, "no date"),
        (AUTH, [{"date": "2024-02-01"}], 422, "no text field"),
    ],
)
def test_bad_post_is_a_clear_4xx(client, headers, body, status, message):
    content = body if isinstance(body, bytes) else json.dumps(body).encode()
    response = client.post(
        "/api/documents", content=content, headers={"Content-Type": "application/json", **headers}
    )
    assert response.status_code == status, response.text
    assert message in response.json()["error"]


def test_oversized_chunked_body_is_refused(server):
    def chunks():
        for _ in range(MAX_BYTES // 1000 + 5):
            yield b" " * 1000

    with httpx.Client(base_url=server) as http:
        response = http.post("/api/documents", content=chunks(), headers=AUTH)
    assert response.status_code == 413


def test_writes_refused_without_a_configured_token(readonly_server):
    response = httpx.post(
        readonly_server + "/api/documents", json=[{"text": SMALL_ARTICLE, "date": "2024-02-01"}], headers=AUTH
    )
    assert response.status_code == 403 and "TACITUS_API_TOKEN" in response.json()["error"]
    assert httpx.get(readonly_server + "/api/health").json()["writable"] is False


def test_server_is_still_up(client):
    assert client.get("/api/health").status_code == 200
