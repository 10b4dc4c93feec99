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


def _map_workers() -> list[int]:
    """PIDs of the Ray Data actor processes running the Extractor."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and (proc / "cmdline").read_bytes().startswith(b"ray::MapWorker"):
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids


@pytest.mark.slow
def test_a_worker_killed_mid_run_is_retried_and_nothing_is_lost_or_doubled(ray_session, tmp_path):
    import os
    import signal
    import threading
    import time

    pairs = [("Chile", "Peru"), ("Kenya", "Uganda"), ("Poland", "Belarus"), ("Japan", "South Korea"),
             ("Ghana", "Togo"), ("Norway", "Sweden"), ("Egypt", "Sudan"), ("Brazil", "Argentina")]
    source = tmp_path / "many.jsonl"
    with open(source, "w", encoding="utf-8") as fh:
        for k in range(48):
            a, b = pairs[k % len(pairs)]
            text = (f"{a} accused {b} of violating the trade agreement on Monday, story {k}. "
                    f"The foreign ministry in {a} said it would summon the ambassador of {b}.")
            fh.write(json.dumps({"id": f"s{k}", "date": "2021-05-0" + str(1 + k % 9), "text": text}) + "\n")
    out = tmp_path / "out"
    result: dict = {}
    run = threading.Thread(target=lambda: result.update(
        summary=ingest_ray([source], out=out, config=Config(), workers=2, batch_size=2)))
    run.start()
    killed = None
    deadline = time.monotonic() + 120
    while run.is_alive() and killed is None and time.monotonic() < deadline:
        workers = _map_workers()
        if workers and any(out.glob("documents/*/*.parquet")):  # the pool is coding: kill one actor with -9
            os.kill(workers[0], signal.SIGKILL)
            killed = workers[0]
        time.sleep(0.05)
    run.join(timeout=300)
    assert killed is not None, "the run ended before a worker could be killed"
    summary = result["summary"]
    assert summary.written == 48 and not summary.failures
    with Store.from_parquet(out) as tree:
        ids = [row[0] for row in tree.con.execute("SELECT id FROM documents").fetchall()]
        assert sorted(ids) == sorted(f"s{k}" for k in range(48))  # every story once: none lost, none doubled
        assert tree.con.execute("SELECT count(*), count(DISTINCT (doc_id, seq)) FROM events").fetchall()[0] \
            == tree.con.execute("SELECT count(*), count(*) FROM events").fetchall()[0]
