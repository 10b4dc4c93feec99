"""The JSON API against a real DuckDB file and a real server on 127.0.0.1."""

from __future__ import annotations

import pytest

from tests.api.conftest import FIXTURE_ID, FIXTURE_TEXT


def get(client, path: str, **params):
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_health(client):
    body = get(client, "/api/health")
    assert body["status"] == "ok" and body["writable"] is True
    assert body["documents"] >= 2 and body["events"] >= 4


def test_openapi_describes_every_route(client):
    spec = get(client, "/openapi.json")
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            assert operation.get("description") or operation.get("summary"), f"{method} {path}"
    assert "/api/stats/timeline" in spec["paths"] and client.get("/docs").status_code == 200


@pytest.mark.parametrize(
    "params, expected",
    [
        ({}, {"V1", "V2", "V3"}),
        ({"modality": "any"}, {"V1", "V2", "V3", "V4"}),
        ({"modality": "hypothetical"}, {"V4"}),
        ({"actor": "RUS"}, {"V1"}),
        ({"actor": "RUS", "modality": "any"}, {"V1", "V4"}),
        ({"actor": "Kuleba"}, {"V2"}),
        ({"source": "CHN"}, {"V3"}),
        ({"target": "UKR"}, {"V1"}),
        ({"target": "attack"}, {"V2"}),
        ({"code": "19"}, {"V1"}),
        ({"code": "061"}, {"V3"}),
        ({"root": "11,19"}, {"V1", "V2"}),
        ({"quad_class": "2"}, {"V3"}),
        ({"quad_class": "3,4"}, {"V1", "V2"}),
        ({"plover_type": "assault"}, {"V1"}),
        ({"country": "ukr"}, {"V1"}),
        ({"place": "kharkiv"}, {"V1"}),
        ({"since": "2022-05-11"}, {"V3"}),
        ({"until": "2022-05-10"}, {"V1", "V2"}),
        ({"text": "condemned the attack"}, {"V2"}),
        ({"text": "100%"}, set()),
    ],
)
def test_event_filters(client, params, expected):
    body = get(client, "/api/events", doc_id=FIXTURE_ID, **params)
    assert {e["id"] for e in body["items"]} == expected


def test_event_rows_carry_sentence_and_document(client):
    (event,) = get(client, "/api/events", doc_id=FIXTURE_ID, code="194")["items"]
    assert event["sentence"].startswith("Russian forces shelled") and event["title"].startswith("Kharkiv")
    assert event["source_actor_code"] == "RUSMIL" and event["location_country"] == "UKR"


@pytest.mark.parametrize(
    "sort, first", [("-date", "V3"), ("date", "V1"), ("goldstein", "V1"), ("-goldstein", "V3")]
)
def test_event_sort(client, sort, first):
    body = get(client, "/api/events", doc_id=FIXTURE_ID, sort=sort)
    assert body["items"][0]["id"] == first


@pytest.mark.parametrize("sort", ["-date", "goldstein", "-confidence"])
def test_cursor_pagination_walks_every_event_once(client, sort):
    everything = get(client, "/api/events", modality="any", sort=sort, limit=1000)["items"]
    seen, cursor = [], None
    for _ in range(len(everything) + 2):
        body = get(
            client,
            "/api/events",
            modality="any",
            sort=sort,
            limit=2,
            **({"cursor": cursor} if cursor else {}),
        )
        seen += [(e["doc_id"], e["id"]) for e in body["items"]]
        cursor = body["next_cursor"]
        if not cursor:
            break
    assert seen == [(e["doc_id"], e["id"]) for e in everything]


def test_offset_pages(client):
    first = get(client, "/api/events", doc_id=FIXTURE_ID, limit=2)["items"]
    second = get(client, "/api/events", doc_id=FIXTURE_ID, limit=2, offset=2)["items"]
    assert [e["id"] for e in first + second] == ["V3", "V1", "V2"]  # same date: stored order


def test_document_detail_offsets_point_into_the_text(client):
    body = get(client, f"/api/documents/{FIXTURE_ID}")
    text = body["document"]["text"]
    assert text == FIXTURE_TEXT
    for event in body["events"]:
        assert text[event["trigger"]["start"] : event["trigger"]["end"]] == event["trigger"]["text"]
        for side in ("source", "target"):
            if event[side]:
                assert text[event[side]["start"] : event[side]["end"]] == event[side]["text"]
    for entity in body["entities"]:
        for mention in entity["mentions"]:
            assert text[mention["start"] : mention["end"]] == mention["text"]
    (quote,) = body["quotes"]
    assert (
        text[quote["start"] : quote["end"]] == quote["text"] and quote["speaker"]["name"] == "Dmytro Kuleba"
    )
    assert body["events"][0]["location"]["name"] == "Kharkiv"


def test_every_document_from_the_pipeline_opens(client):
    for doc in get(client, "/api/documents", limit=100)["items"]:
        body = get(client, f"/api/documents/{doc['id']}")
        text = body["document"]["text"]
        for entity in body["entities"]:
            for mention in entity["mentions"]:
                assert text[mention["start"] : mention["end"]] == mention["text"]


def test_timeline_counts_match_events(client):
    body = get(client, "/api/stats/timeline", doc_id=FIXTURE_ID, interval="day", group="quad")
    assert {(r["period"], r["grp"], r["events"]) for r in body["items"]} == {
        ("2022-05-10", "3", 1),
        ("2022-05-10", "4", 1),
        ("2022-05-11", "2", 1),
    }
    weekly = get(client, "/api/stats/timeline", doc_id=FIXTURE_ID, interval="week", group="none")
    assert weekly["items"] == [
        {"period": "2022-05-09", "grp": None, "events": 3, "goldstein": pytest.approx(-5.6 / 3)}
    ]


def test_dyads_and_places(client):
    dyads = get(client, "/api/stats/dyads", doc_id=FIXTURE_ID)["items"]
    assert {(d["source"], d["target"], d["events"]) for d in dyads} == {
        ("RUSMIL", "UKR", 1),
        ("UKRGOV", "the attack", 1),
        ("CHN", "BRA", 1),
    }
    places = get(client, "/api/stats/places", doc_id=FIXTURE_ID)
    assert places["countries"] == [{"country": "UKR", "events": 1, "numeric": "804", "name": "Ukraine"}]
    assert places["points"][0]["name"] == "Kharkiv"


def test_quotes_speakers_entities(client):
    quotes = get(client, "/api/quotes", speaker="kuleba")["items"]
    assert [q["text"] for q in quotes] == ["This is a war crime,"]
    assert get(client, "/api/quotes", actor="UKR", doc_id=FIXTURE_ID)["items"][0]["id"] == "Q1"
    speakers = get(client, "/api/quotes/speakers", name="Kuleba")["items"]
    assert speakers[0]["speaker"] == "Dmytro Kuleba" and speakers[0]["quotes"] == 1
    entities = get(client, "/api/entities", name="Kuleba")["items"]
    assert entities[0]["actor_code"] == "UKRGOV" and entities[0]["mentions"] == 2


def test_documents_list(client):
    docs = get(client, "/api/documents", text="Kharkiv")["items"]
    assert [d["id"] for d in docs] == [FIXTURE_ID] and docs[0]["events"] == 4 and docs[0]["quotes"] == 1


def test_web_page_and_assets_are_served(client):
    page = client.get("/")
    assert page.status_code == 200 and "/static/app.js" in page.text
    for asset in ("app.js", "app.css", "countries.geo.json"):
        assert client.get(f"/static/{asset}").status_code == 200
