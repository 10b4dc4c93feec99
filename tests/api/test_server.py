"""POST ingest through the server, the server info file, and `tacitus ingest` against a served database."""

from __future__ import annotations

import os
import subprocess
import sys

from tacitus.api import server as server_mod
from tests.api.conftest import AUTH_HEADER, ROOT, SMALL_ARTICLE


def test_post_documents_ingests_through_the_pipeline(client):
    body = [
        {
            "id": "posted-1",
            "date": "2024-02-01",
            "title": "Border trade deal",
            "text": SMALL_ARTICLE,
            "source": "Test Wire",
            "section": "Africa",
        },
        {"id": "posted-2", "date": "not a date", "text": SMALL_ARTICLE + " More."},
    ]
    response = client.post("/api/documents", json=body, headers=AUTH_HEADER)
    assert response.status_code == 200, response.text
    result = response.json()
    assert result["received"] == 2 and result["written"] == 1
    assert len(result["failures"]) == 1 and result["failures"][0].startswith("document 2: no usable date")
    stored = client.get("/api/documents/posted-1").json()
    assert (
        stored["document"]["text"] == SMALL_ARTICLE and stored["document"]["metadata"]["section"] == "Africa"
    )
    again = client.post("/api/documents", json=body[:1], headers=AUTH_HEADER).json()
    assert again["written"] == 0 and again["skipped"] == 1  # idempotent like `tacitus ingest`


def test_running_server_info_file(tmp_path):
    db = tmp_path / "x.duckdb"
    assert server_mod.running_server(db) is None
    server_mod.write_info(db, "http://127.0.0.1:9999")
    assert server_mod.info_path(db).name == "x.duckdb.server.json"
    assert server_mod.running_server(db) == "http://127.0.0.1:9999"
    server_mod.info_path(db).write_text('{"url": "http://127.0.0.1:9999", "pid": 999999999}')
    assert server_mod.running_server(db) is None  # stale: that process is gone
    server_mod.info_path(db).write_text("garbage")
    assert server_mod.running_server(db) is None
    server_mod.write_info(db, "http://127.0.0.1:9999")
    server_mod.remove_info(db)
    assert not server_mod.info_path(db).exists()


def test_cli_ingest_against_a_served_database_names_the_server(api_db, server, tmp_path):
    server_mod.write_info(api_db, server)  # what `tacitus serve` writes; this process holds the database
    try:
        article = tmp_path / "a.txt"
        article.write_text("date 2024-02-01\n" + SMALL_ARTICLE, encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "TACITUS_DB"}
        done = subprocess.run(
            [sys.executable, "-m", "tacitus", "ingest", str(article), "--db", str(api_db), "--quiet"],
            check=False,
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
        )
    finally:
        server_mod.remove_info(api_db)
    assert done.returncode != 0
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and server in lines[0] and "Traceback" not in done.stderr, done.stderr
