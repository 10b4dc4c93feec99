"""The Ray engine: same records as the local ingest, Parquet layout, re-runs without duplicates, failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")

from tacitus.config import Config
from tacitus.distributed import ingest_ray
from tacitus.ingest import ingest
from tacitus.store import Store

STORIES = [
    ("w1", "2021-05-03", ("Chile and Peru held talks on fishing rights in Lima on Tuesday, officials said. "
     "\"We made real progress,\" Chilean Foreign Minister Elena Rojas told reporters.")),
    ("w2", "2021-05-17", ("Kenya accused Uganda of violating the border agreement last week. Nairobi summoned "
     "the Ugandan ambassador on Monday to protest.")),
    ("w3", "2021-06-01", "Poland expelled three Belarusian diplomats on Saturday, the foreign ministry in Warsaw said."),
    ("w4", "2021-06-14", ("The European Union imposed sanctions on six Russian officials, EU foreign policy chief "
     "Marta Lind said. Moscow condemned the decision and promised to retaliate.")),
    ("w5", "2021-06-21", "Japan and South Korea agreed to resume talks on trade next month, officials in Tokyo said."),
]


@pytest.fixture(scope="module")
def ray_session():
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    yield
    ray.shutdown()


@pytest.fixture
def corpus(tmp_path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    with open(folder / "wire.jsonl", "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps({"id": doc_id, "date": date, "text": text}) + "\n" for doc_id, date, text in STORIES)
        fh.write('{"id": "broken", "date": "2021-06-02", "text": \n')  # unparseable record
    (folder / "undated.jsonl").write_text(json.dumps({"id": "nodate", "text": "Ghana condemned the attack."}) + "\n")
    return folder


def _rows(store: Store, table: str) -> list[tuple]:
    exclude = " EXCLUDE (run_id)" if table == "documents" else ""
    order = "id" if table == "documents" else "doc_id, seq"
    return store.con.execute(f'SELECT *{exclude} FROM "{table}" ORDER BY {order}').fetchall()


@pytest.mark.slow
def test_ray_output_equals_local_ingest_and_reruns_add_nothing(ray_session, corpus, tmp_path, pipeline):
    config = Config()
    out = tmp_path / "out"
    summary = ingest_ray([corpus], out=out, config=config, workers=2)
    assert summary.written == 5
    reasons = sorted(f.reason for f in summary.failures)
    assert len(reasons) == 2 and any("date" in r for r in reasons) and any("JSON" in r or "json" in r for r in reasons)
    assert all(f.path and f.path.endswith(".jsonl") for f in summary.failures)
    assert sorted(p.name for p in (out / "documents").iterdir()) == ["month=2021-05", "month=2021-06"]

    with Store(tmp_path / "local.duckdb") as local:
        ingest([corpus], store=local, config=config)
        with Store.from_parquet(out) as tree:
            for table in ("documents", "entities", "mentions", "quotes", "events", "places", "times", "themes"):
                assert _rows(tree, table) == _rows(local, table), table
            assert tree.counts()["failures"] == 2

    files_before = sorted(str(p) for p in out.rglob("*.parquet"))
    again = ingest_ray([corpus], out=out, config=config, workers=2)
    assert again.written == 0 and again.skipped == 5
    assert sorted(str(p) for p in out.rglob("*.parquet")) == files_before
    with Store.from_parquet(out) as tree:
        assert tree.counts()["documents"] == 5 and tree.counts()["failures"] == 2

    db = tmp_path / "loaded.duckdb"
    with Store(db) as store:
        assert store.load_parquet(out) == {"documents": 5}
        assert store.load_parquet(out) == {"documents": 0}
        counts = store.counts()
    assert counts["documents"] == 5 and counts["failures"] == 2
