"""Store round trips on a real DuckDB file."""

from __future__ import annotations

import datetime as dt

import duckdb
import pyarrow as pa
import pytest

from tacitus.pipeline import text_hash
from tacitus.schema import (
    Actor,
    Document,
    Entity,
    Event,
    EventActor,
    Extraction,
    Failure,
    Mention,
    Quote,
    SentenceSpan,
    Span,
    Speaker,
)
from tacitus.store import Store, StoreError

TEXT = "Ottawa imposed sanctions on Moscow on Monday, the foreign minister said."


def make_extraction(doc_id: str = "d1", text: str = TEXT) -> Extraction:
    document = Document(id=doc_id, date=dt.date(2022, 3, 1), title="Sanctions", source="Wire", text=text,
                        metadata={"section": "world"})
    ottawa = Entity(id="E1", name="Ottawa", type="GPE", mentions=[Mention(start=0, end=6, text="Ottawa")],
                    titles=[], actor=Actor(code="CANGOV", country="CAN", sectors=["GOV"]))
    moscow = Entity(id="E2", name="Moscow", type="GPE", mentions=[Mention(start=28, end=34, text="Moscow")],
                    actor=Actor(code="RUSGOV", country="RUS", sectors=["GOV"]))
    event = Event(id="V1", cameo="163", cameo_name="Impose embargo, boycott, or sanctions", base_code="163",
                  root_code="16", quad_class=4, goldstein=-8.0,
                  source=EventActor(text="Ottawa", start=0, end=6, entity="E1", actor_code="CANGOV"),
                  target=EventActor(text="Moscow", start=28, end=34, entity="E2", actor_code="RUSGOV"),
                  date=dt.date(2022, 2, 28), date_precision="day", date_text="Monday",
                  trigger=Span(text="imposed sanctions", start=7, end=24), sentence=SentenceSpan(start=0, end=len(text)))
    quote = Quote(id="Q1", text="Ottawa imposed sanctions on Moscow on Monday", start=0, end=44, kind="indirect",
                  cue=Span(text="said", start=len(text) - 5, end=len(text) - 1),
                  speaker=Speaker(text="the foreign minister", start=46, end=66, name=None),
                  sentence=SentenceSpan(start=0, end=len(text)))
    return Extraction(document=document, entities=[ottawa, moscow], events=[event], quotes=[quote])


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "t.duckdb") as s:
        yield s


def test_round_trip_rebuilds_the_same_extraction(store):
    extraction = make_extraction()
    store.write([extraction], hashes={"d1": text_hash(TEXT)})
    assert store.document("d1") == extraction


def test_writing_twice_changes_nothing(store):
    extraction = make_extraction()
    store.write([extraction], hashes={"d1": text_hash(TEXT)})
    before = store.counts()
    store.write([extraction], hashes={"d1": text_hash(TEXT)})
    assert store.counts() == before
    assert before["documents"] == 1 and before["events"] == 1 and before["mentions"] == 2


def test_changed_text_replaces_the_documents_records(store):
    store.write([make_extraction()], hashes={"d1": "a"})
    changed = make_extraction(text=TEXT + " More followed.")
    changed = changed.model_copy(update={"events": []})
    store.write([changed], hashes={"d1": "b"})
    assert store.counts()["events"] == 0
    assert store.known_documents() == {"d1": "b"}


def test_failed_transaction_leaves_nothing_half_written(store, monkeypatch):
    def broken(table, data):
        if table == "events":
            raise RuntimeError("disk full")
        Store._append(store, table, data)

    monkeypatch.setattr(store, "_append", broken)
    with pytest.raises(RuntimeError):
        store.write([make_extraction()], hashes={"d1": "a"})
    assert store.counts()["documents"] == 0 and store.counts()["entities"] == 0


def test_queries_filter_by_actor_prefix_code_and_dates(store):
    store.write([make_extraction()], hashes={"d1": "a"})
    assert len(store.events(actor="CAN")) == 1
    assert len(store.events(source="RUS")) == 0
    assert len(store.events(code="16")) == 1
    assert len(store.events(code="17")) == 0
    assert len(store.events(since=dt.date(2022, 3, 1))) == 0
    assert store.entities(actor="CANGOV")[0]["name"] == "Ottawa"
    assert store.quotes(text="sanctions")[0]["id"] == "Q1"
    assert store.documents(text="100%_")[:1] == []  # wildcards in user text are literal


def test_failures_are_recorded_and_cleared_when_the_document_succeeds(store):
    store.write([], [Failure(doc_id="d1", text_hash="a", stage="extract", reason="boom")], hashes={})
    assert store.failed_documents() == {"d1": "a"}
    store.write([make_extraction()], hashes={"d1": "a"})
    assert store.failed_documents() == {}


def test_new_schema_columns_are_added_to_an_old_file(tmp_path):
    path = tmp_path / "old.duckdb"
    with Store(path) as s:
        s.con.execute("ALTER TABLE events DROP COLUMN confidence")
    with Store(path) as s:
        columns = {r[0] for r in s.con.execute("DESCRIBE events").fetchall()}
    assert "confidence" in columns


def test_file_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "new.duckdb"
    with Store(path) as s:
        s.con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    with pytest.raises(StoreError, match="newer tacitus"):
        Store(path)


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.duckdb"
    path.write_text("hello")
    with pytest.raises(StoreError, match="cannot open"):
        Store(path)


def test_missing_file_read_only_is_a_clear_error(tmp_path):
    with pytest.raises(StoreError, match="no database"):
        Store(tmp_path / "absent.duckdb", read_only=True)


def test_parquet_tree_is_queryable_like_the_database(store, tmp_path):
    store.write([make_extraction()], hashes={"d1": "a"})
    out = tmp_path / "tree"
    for table in ("documents", "entities", "mentions", "events", "quotes"):
        (out / table / "month=2022-03").mkdir(parents=True)
        store.con.execute(f"COPY {table} TO '{out / table / 'month=2022-03' / 'part-0.parquet'}' (FORMAT parquet)")
    with Store.from_parquet(out) as tree:
        assert tree.events(actor="CAN")[0]["cameo"] == "163"
        assert tree.counts()["places"] == 0


def test_bulk_append_uses_arrow(store):
    rows = pa.table({"id": ["x"], "date": pa.array([dt.date(2020, 1, 1)]), "text": ["t"], "text_hash": ["h"]})
    store.append_table("documents", rows)
    assert store.counts()["documents"] == 1
    assert isinstance(store.con, duckdb.DuckDBPyConnection)


def test_api_serves_a_parquet_tree(store, tmp_path):
    from fastapi.testclient import TestClient

    from tacitus.api.app import create_app

    store.write([make_extraction()], hashes={"d1": "a"})
    out = tmp_path / "tree"
    for table in ("documents", "entities", "mentions", "events", "quotes"):
        (out / table / "month=2022-03").mkdir(parents=True)
        store.con.execute(f"COPY {table} TO '{out / table / 'month=2022-03' / 'part-0.parquet'}' (FORMAT parquet)")
    with Store.from_parquet(out) as tree, TestClient(create_app(tree)) as client:
        events = client.get("/api/events", params={"actor": "CAN"}).json()["items"]
        assert [e["cameo"] for e in events] == ["163"]
        assert client.get("/api/documents/d1").status_code == 200
        assert client.post("/api/documents", json={"text": "x", "date": "2022-01-01"}).status_code == 403
