"""The command line, through typer's CliRunner and real subprocesses, on real files and DuckDB."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tacitus.cli import app
from tacitus.store import Store

ARTICLE = """date 2022-06-13
Estonia expelled two Russian diplomats on Saturday, the foreign ministry in Tallinn said.

"We will not tolerate interference in our internal affairs," Foreign Minister Kadri Sepp told reporters on Monday.
Sepp said Moscow had been warned last month. Russia's foreign ministry condemned the decision and promised a response.
"""

runner = CliRunner()


@pytest.fixture
def article(tmp_path) -> Path:
    path = tmp_path / "estonia.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def test_extract_json_has_every_key(article, pipeline):
    result = runner.invoke(app, ["extract", str(article), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) >= {"document", "entities", "quotes", "events", "places", "times"}
    assert set(data["document"]) >= {"id", "date", "title", "source", "url", "text"}
    assert data["document"]["date"] == "2022-06-13"
    text = data["document"]["text"]
    assert text.startswith("Estonia expelled")
    sepp = [e for e in data["entities"] if e["name"] == "Kadri Sepp"]
    assert len(sepp) == 1 and len(sepp[0]["mentions"]) >= 2
    for entity in data["entities"]:
        assert set(entity) >= {"id", "name", "type", "mentions", "titles", "actor"}
        for m in entity["mentions"]:
            assert text[m["start"]:m["end"]] == m["text"]


def test_extract_jsonl_and_table(article, pipeline):
    result = runner.invoke(app, ["extract", str(article), "--format", "jsonl"])
    assert result.exit_code == 0
    assert json.loads(result.stdout.splitlines()[0])["document"]["date"] == "2022-06-13"
    result = runner.invoke(app, ["extract", str(article), "--format", "table"])
    assert result.exit_code == 0 and "Kadri Sepp" in result.stdout


@pytest.mark.parametrize("args, message", [
    (["extract", "missing.txt"], "no such file"),
    (["ingest", "missing-dir"], "no such file or directory"),
    (["events", "--db", "absent.duckdb"], "no database"),
    (["events", "--db", "absent.duckdb", "--since", "last tuesday"], "not a date"),
    (["ingest", ".", "--workers", "4000"], "far more than this machine"),
    (["ingest", ".", "--engine", "ray"], "needs --out"),
])
def test_user_errors_are_one_line_and_exit_2(tmp_path, args, message):
    os.chdir(tmp_path)
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_undated_plain_text_needs_a_date(tmp_path, pipeline):
    path = tmp_path / "plain.txt"
    path.write_text("Chile and Peru held talks in Lima.", encoding="utf-8")
    result = runner.invoke(app, ["extract", str(path)])
    assert result.exit_code == 2 and "date" in result.output
    result = runner.invoke(app, ["extract", str(path), "--date", "2020-01-02"])
    assert result.exit_code == 0 and json.loads(result.stdout)["document"]["date"] == "2020-01-02"


def test_ingest_then_query_commands(article, tmp_path, pipeline):
    db = tmp_path / "t.duckdb"
    result = runner.invoke(app, ["ingest", str(article), "--db", str(db), "--quiet"])
    assert result.exit_code == 0, result.output
    assert "1 documents written" in result.output
    again = runner.invoke(app, ["ingest", str(article), "--db", str(db), "--quiet"])
    assert "0 documents written, 1 unchanged" in again.output
    docs = json.loads(runner.invoke(app, ["documents", "--db", str(db), "--format", "json"]).stdout)
    assert len(docs) == 1 and docs[0]["date"] == "2022-06-13"
    ents = runner.invoke(app, ["entities", "--db", str(db), "--text", "Sepp", "--format", "csv"]).stdout
    assert ents.splitlines()[0].startswith("name,") and "Kadri Sepp" in ents
    for command in (["events"], ["quotes"], ["stats"], ["failures"]):
        result = runner.invoke(app, [*command, "--db", str(db)])
        assert result.exit_code == 0, result.output


def _jsonl_corpus(path: Path, n: int) -> None:
    countries = ["Chile", "Peru", "Kenya", "Ghana", "Norway", "Poland", "Vietnam", "Jordan", "Canada", "Japan"]
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(n):
            a, b = countries[i % 10], countries[(i * 3 + 1) % 10]
            text = (f"{a} and {b} held talks on trade in the capital on Tuesday, officials said. "
                    f"The foreign minister of {a} said the talks with {b} were useful and would resume next month. "
                    f"Story {i}: {b} rejected a proposal from {a} on fishing quotas last week.")
            fh.write(json.dumps({"id": f"s{i}", "date": "2021-05-0" + str(i % 9 + 1), "text": text}) + "\n")


def _ingest_cmd(source: Path, db: Path) -> list[str]:
    return [sys.executable, "-m", "tacitus", "ingest", str(source), "--db", str(db), "--quiet"]


@pytest.mark.slow
def test_kill_9_mid_ingest_then_resume_matches_a_clean_run(tmp_path):
    source = tmp_path / "corpus.jsonl"
    _jsonl_corpus(source, 400)
    clean_db, killed_db = tmp_path / "clean.duckdb", tmp_path / "killed.duckdb"
    subprocess.run(_ingest_cmd(source, clean_db), check=True, capture_output=True, timeout=600)

    proc = subprocess.Popen(_ingest_cmd(source, killed_db), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wal = Path(str(killed_db) + ".wal")
    deadline = time.time() + 300
    while time.time() < deadline and proc.poll() is None and not (wal.exists() and wal.stat().st_size > 50_000):
        time.sleep(0.05)
    assert proc.poll() is None, "ingest finished before it could be killed; make the corpus larger"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()

    with Store(killed_db, read_only=True) as store:
        partial = store.counts()
    subprocess.run(_ingest_cmd(source, killed_db), check=True, capture_output=True, timeout=600)
    with Store(clean_db, read_only=True) as clean, Store(killed_db, read_only=True) as resumed:
        expected, got = clean.counts(), resumed.counts()
    assert partial["documents"] < expected["documents"]
    for table in ("documents", "entities", "mentions", "quotes", "events", "places", "times"):
        assert got[table] == expected[table], table


def test_failed_documents_are_skipped_until_retried(article, tmp_path, pipeline):
    db = tmp_path / "retry.duckdb"
    first = runner.invoke(app, ["ingest", str(article), "--db", str(db), "--quiet", "--max-chars", "100"])
    assert first.exit_code == 0 and "1 failures" in first.output and "over the limit" in first.output
    again = runner.invoke(app, ["ingest", str(article), "--db", str(db), "--quiet"])
    assert "0 documents written, 1 unchanged" in again.output
    retried = runner.invoke(app, ["ingest", str(article), "--db", str(db), "--quiet", "--retry-failed"])
    assert "1 documents written" in retried.output and "0 failures" in retried.output
    with Store(db, read_only=True) as store:
        assert store.counts()["failures"] == 0 and store.counts()["documents"] == 1


def test_dictionary_warnings_are_one_line_for_people(tmp_path):
    verbs = tmp_path / "mine.verbs"
    verbs.write_text("--- SLAM [111] ---\nSLAM\n- * HARD [1121]\n- * ATTACK [11X]\n", encoding="utf-8")
    article = tmp_path / "a.txt"
    article.write_text("date 2021-03-29\nFrance slammed Germany hard over the sanctions on Monday.\n", encoding="utf-8")
    cmd = [sys.executable, "-c", "from tacitus.cli import app; app()", "extract", str(article),
           "--dictionary", str(verbs), "--format", "jsonl"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300, check=True)
    assert f"warning: verbs dictionary: {verbs}:4: [11X] is not a CAMEO code" in done.stderr
    assert "UserWarning" not in done.stderr and "Traceback" not in done.stderr
    events = json.loads(done.stdout.splitlines()[0])["events"]
    assert [(e["source"]["actor_code"], e["cameo"], e["target"]["actor_code"]) for e in events] == [("FRA", "1121", "DEU")]
