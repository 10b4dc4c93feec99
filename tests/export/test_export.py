"""Every export format written from a real DuckDB store and read back the way users read it."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from tacitus.cli import app
from tacitus.dedup import update_clusters
from tacitus.export import export, gdelt, polecat
from tacitus.export.lookups import columns, header, split_actor_code
from tacitus.store import Store
from tests.export.factory import new_store, story

runner = CliRunner()

# a tab inside a name and a line break inside a quote: files must keep their column and row counts
TEXT = ('China imposed sanctions on the United\tStates and four officials on Monday in Beijing, '
        '"a firm\nanswer", a spokesman said.')
EVENTS = [("China", "163", "imposed", "United\tStates", "CHNGOV>USA")]
OTHER = "Canada expelled two diplomats from Russia on Monday, the foreign ministry said."


@pytest.fixture
def db(tmp_path) -> Path:
    """A store with two articles on one event (one cluster), and one on another event."""
    path = tmp_path / "store.duckdb"
    stories = [
        story("a", "2021-03-22", TEXT, EVENTS, source="Wire\tOne", url="https://one.example/a",
              title="Sanctions\nannounced", place=("Beijing", "CHN")),
        story("b", "2021-03-23", TEXT, EVENTS, source="Wire Two", url="https://two.example/b",
              event_date="2021-03-22"),
        story("c", "2021-05-02", OTHER, [("Canada", "1663", "expelled", "Russia", "CAN>RUS")]),
    ]
    with new_store(path, stories) as store:
        update_clusters(store, ["a", "b", "c"])
    return path


def read_gdelt(path: Path, table: str) -> pd.DataFrame:
    """The reader people use for real GDELT files."""
    return pd.read_csv(path, sep="\t", header=None, names=header(table), quoting=csv.QUOTE_NONE)


def check_types(frame: pd.DataFrame, table: str) -> None:
    for name, kind in columns()[table]:
        series = frame[name]
        if kind == "int" and series.notna().all():
            assert pd.api.types.is_integer_dtype(series), (name, series.dtype)
        elif kind in ("int", "float"):
            assert pd.api.types.is_numeric_dtype(series), (name, series.dtype)


@pytest.mark.parametrize("fmt, table, rows", [
    ("gdelt-events", "events", 3), ("gdelt-mentions", "mentions", 3), ("gdelt-gkg", "gkg", 3),
])
def test_gdelt_files_load_with_pandas(db, tmp_path, fmt, table, rows):
    out = tmp_path / f"{table}.tsv"
    with Store(db, read_only=True) as store:
        result = export(store, fmt, out)
    frame = read_gdelt(out, table)
    assert frame.shape == (rows, {"events": 61, "mentions": 16, "gkg": 27}[table])
    assert result.rows == {table: rows}
    assert len(out.read_text(encoding="utf-8").splitlines()) == rows  # no stray line breaks
    check_types(frame, table)


def test_gdelt_events_fields(db, tmp_path):
    out = tmp_path / "events.tsv"
    with Store(db, read_only=True) as store:
        export(store, "gdelt-events", out)
    row = read_gdelt(out, "events").iloc[0]
    assert (row.SQLDATE, row.MonthYear, row.Year) == (20210322, 202103, 2021)
    assert (row.Actor1Code, row.Actor1CountryCode, row.Actor1Type1Code) == ("CHNGOV", "CHN", "GOV")
    assert row.Actor2Name == "UNITED\\tSTATES"  # the tab is escaped, not a column break
    assert (str(row.EventCode), str(row.EventBaseCode), row.EventRootCode, row.QuadClass) == ("163", "163", 16, 4)
    assert (row.NumMentions, row.NumSources, row.NumArticles) == (2, 2, 2)
    assert (row.ActionGeo_Type, row.ActionGeo_CountryCode, int(row.ActionGeo_FeatureID)) == (4, "CH", 123)
    assert row.ActionGeo_FullName == "Beijing, China" and row.ActionGeo_Lat == pytest.approx(10.5)
    assert row.SOURCEURL == "https://one.example/a" and len(str(row.DATEADDED)) == 14


def test_clusters_give_one_event_row_and_shared_ids(db, tmp_path):
    events, mentions = tmp_path / "e.tsv", tmp_path / "m.tsv"
    with Store(db, read_only=True) as store:
        export(store, "gdelt-events", events, clusters=True)
        export(store, "gdelt-mentions", mentions, clusters=True)
    ev, men = read_gdelt(events, "events"), read_gdelt(mentions, "mentions")
    assert len(ev) == 2 and len(men) == 3
    assert set(men.GLOBALEVENTID) == set(ev.GLOBALEVENTID)
    assert sorted(ev.NumArticles) == [1, 2]


def test_mentions_offsets_point_into_text(db, tmp_path):
    out = tmp_path / "m.tsv"
    with Store(db, read_only=True) as store:
        export(store, "gdelt-mentions", out)
    row = read_gdelt(out, "mentions").iloc[0]
    assert TEXT[row.Actor1CharOffset:].startswith("China")
    assert TEXT[row.ActionCharOffset:].startswith("imposed")
    assert TEXT[row.Actor2CharOffset:].startswith("United")
    assert (row.MentionDocLen, row.Confidence, row.MentionSourceName) == (len(TEXT), 80, "Wire\\tOne")


def test_gkg_fields(db, tmp_path):
    out = tmp_path / "g.tsv"
    with Store(db, read_only=True) as store:
        export(store, "gdelt-gkg", out)
    row = read_gdelt(out, "gkg").iloc[0]
    assert row.V2Themes.startswith(f"SANCTIONS,{TEXT.index('sanctions')}")
    assert row.V2Tone == "-2.5,1,3.5,4.5,10,1," + str(len(TEXT.split()))
    assert row.Amounts == f"4,officials,{TEXT.index('four')}"
    assert row.Dates == f"4#3#22#2021#{TEXT.index('Monday')}"
    assert row.Quotations.split("|")[3] == "a firm\\nanswer"
    assert "#Beijing, China#CH#" in row.V2Locations
    assert row.AllNames == f"China,0;United\\tStates,{TEXT.index('United')}"
    assert row.Extras == "<PAGE_TITLE>Sanctions\\nannounced</PAGE_TITLE>"


@pytest.mark.parametrize("amount, theme_at, expected", [
    ((12, "protesters", 20, 33), ("KILL", 10), "KILL#12#protesters#0######"),   # "troops killed 12 protesters"
    ((12, "protesters", 20, 33), ("PROTEST", 23), ""),                        # the counted word itself
    ((12, "protesters", 20, 33), ("KILL", 200), ""),                          # too far away
])
def test_gkg_counts_pair_numbers_with_what_happened(amount, theme_at, expected):
    value, obj, start, end = amount
    counts, v2 = gdelt.gkg_counts([{"amount": value, "object": obj, "start": start, "end": end, "currency": None}],
                                  [{"theme": theme_at[0], "start": theme_at[1]}])
    assert counts == expected
    assert v2 == (f"{expected}#{start}" if expected else "")


def test_polecat_jsonl_and_tsv(db, tmp_path):
    jsonl, tsv = tmp_path / "p.jsonl", tmp_path / "p.tsv"
    with Store(db, read_only=True) as store:
        export(store, "polecat", jsonl)
        export(store, "polecat", tsv)
    records = [json.loads(line) for line in jsonl.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 3 and list(records[0]) == polecat.KEYS
    assert records[0]["event_type"] == "SANCTION" and records[0]["actor_country"] == "CHN"
    assert records[0]["actor_sectors"] == ["GOV"] and records[0]["contexts"] == ["economic"]
    assert records[0]["url"] == "https://one.example/a" and records[0]["recipient_name"] == "United\tStates"
    frame = pd.read_csv(tsv, sep="\t", quoting=csv.QUOTE_NONE)
    assert list(frame.columns) == polecat.COLUMNS and len(frame) == 3


def test_parquet_tables_read_back_as_a_store(db, tmp_path):
    out = tmp_path / "pq"
    with Store(db, read_only=True) as store:
        result = export(store, "parquet", out)
        counts = store.counts()
    assert (out / "events" / "month=2021-03").is_dir() and (out / "events" / "month=2021-05").is_dir()
    with Store.from_parquet(out) as copy:
        assert copy.counts()["events"] == counts["events"] == result.rows["events"]
        assert copy.document("a").document.text == TEXT


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_csv_and_jsonl_tables(db, tmp_path, fmt):
    out = tmp_path / fmt
    with Store(db, read_only=True) as store:
        result = export(store, fmt, out, filters={"since": None, "until": None})
    events = out / f"events.{fmt}"
    if fmt == "csv":
        frame = pd.read_csv(events)
    else:
        frame = pd.read_json(events, lines=True)
    assert len(frame) == result.rows["events"] == 3
    assert {"doc_id", "cameo", "source_actor_code"} <= set(frame.columns)


def test_date_and_actor_filters(db, tmp_path):
    with Store(db, read_only=True) as store:
        result = export(store, "gdelt-events", tmp_path / "e.tsv", filters={"actor": "CAN"})
        assert result.rows == {"events": 1}
        result = export(store, "gdelt-gkg", tmp_path / "g.tsv", filters={"since": dt.date(2021, 5, 1)})
        assert result.rows == {"gkg": 1}


@pytest.mark.parametrize("split, parts", [
    ("CHNGOV", ("CHN", "", "", [], ["GOV"])),
    ("IGOUNO", ("", "UNO", "", [], ["IGO"])),
    ("USAMILREB", ("USA", "", "", [], ["MIL", "REB"])),
    ("CHNUIG", ("CHN", "", "uig", [], [])),
    ("IRNMOSSHI", ("IRN", "", "", ["MOS", "SHI"], [])),
])
def test_split_actor_code(split, parts):
    got = split_actor_code(split)
    assert (got.country, got.group, got.ethnic, got.religions, got.types) == parts


def cli(*args: str):
    result = runner.invoke(app, ["export", *args])
    assert "Traceback" not in result.output
    return result


def test_cli_export_and_refuse_existing(db, tmp_path):
    out = tmp_path / "e.tsv"
    assert cli("--db", str(db), "--format", "gdelt-events", str(out)).exit_code == 0
    result = cli("--db", str(db), "--format", "gdelt-events", str(out))
    assert result.exit_code == 2 and "already exists (pass --force" in result.output
    assert cli("--db", str(db), "--format", "gdelt-events", "--force", str(out)).exit_code == 0


@pytest.mark.parametrize("args, message", [
    (["--actor", "ZZZ"], "no events match (actor=ZZZ)"),
    (["--since", "2030-01-01"], "no events match"),
    (["--since", "yesterday"], "not a date"),
])
def test_cli_filters_matching_nothing(db, tmp_path, args, message):
    result = cli("--db", str(db), "--format", "gdelt-events", *args, str(tmp_path / "e.tsv"))
    assert result.exit_code == 2 and message in result.output
    assert not (tmp_path / "e.tsv").exists()


def test_cli_empty_store(tmp_path):
    Store(tmp_path / "empty.duckdb").close()
    result = cli("--db", str(tmp_path / "empty.duckdb"), "--format", "gdelt-gkg", str(tmp_path / "g.tsv"))
    assert result.exit_code == 2 and "the store has no documents" in result.output


@pytest.mark.parametrize("target, message", [
    ("missing/dir/e.tsv", "does not exist"),
    ("/proc/tacitus-export.tsv", "cannot write"),
])
def test_cli_unwritable_output(db, tmp_path, target, message):
    out = target if target.startswith("/") else str(tmp_path / target)
    result = cli("--db", str(db), "--format", "gdelt-events", out)
    assert result.exit_code == 2 and message in result.output


def test_cli_file_format_refuses_directory_and_clusters_need_dedup(db, tmp_path):
    (tmp_path / "dir").mkdir()
    result = cli("--db", str(db), "--format", "gdelt-events", "--force", str(tmp_path / "dir"))
    assert result.exit_code == 2 and "is a directory" in result.output
    plain = tmp_path / "plain.duckdb"
    new_store(plain, [story("x", "2021-03-22", OTHER, [("Canada", "1663", "expelled", "Russia", "CAN>RUS")])]).close()
    result = cli("--db", str(plain), "--format", "gdelt-events", "--clusters", str(tmp_path / "x.tsv"))
    assert result.exit_code == 2 and "tacitus dedup" in result.output


def test_cli_clusters_command_explains(db):
    result = runner.invoke(app, ["clusters", "--db", str(db), "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    biggest = rows[0]
    assert biggest["num_articles"] == 2 and biggest["source"] == "CHNGOV"
    result = runner.invoke(app, ["clusters", "--db", str(db), "--id", str(biggest["cluster_id"]), "--format", "json"])
    members = json.loads(result.stdout)
    assert [m["doc_id"] for m in members] == ["a", "b"]
    assert members[0]["reason"].startswith("founded") and "same source CHNGOV" in members[1]["reason"]


def test_cli_dedup_rebuilds_clusters(db):
    result = runner.invoke(app, ["dedup", "--db", str(db), "--window", "0"])
    assert result.exit_code == 0, result.output
    # a and b report the same day's event (published a day apart): even a zero-day window merges them
    assert "3 event mentions in 2 clusters (1 merged across articles)" in result.output
    result = runner.invoke(app, ["dedup", "--db", str(db / "missing.duckdb")])
    assert result.exit_code == 2 and "no database" in result.output


def test_example_article_in_every_format(pipeline, tmp_path):
    """The shared example article through the real pipeline, exported in every format and read back."""
    from tacitus.readers import read_paths
    from tests.conftest import shared_path
    from tests.export.factory import write

    path = shared_path("examples", "xinjiang-un-visit-2021-03-29.txt")
    extractions = list(pipeline.run(list(read_paths([path]))))
    db = tmp_path / "example.duckdb"
    with Store(db) as store:
        write(store, extractions)
        update_clusters(store, [e.document.id for e in extractions])
        counts = store.counts()
    assert counts["events"] > 0 and counts["themes"] > 0
    with Store(db, read_only=True) as store:
        for fmt, name, table in [("gdelt-events", "e.tsv", "events"), ("gdelt-mentions", "m.tsv", "mentions"),
                                 ("gdelt-gkg", "g.tsv", "gkg")]:
            result = export(store, fmt, tmp_path / name)
            frame = read_gdelt(tmp_path / name, table)
            assert frame.shape[1] == len(header(table)) and len(frame) == result.rows[table] > 0
            check_types(frame, table)
        gkg = read_gdelt(tmp_path / "g.tsv", "gkg").iloc[0]
        assert "SANCTIONS" in gkg.Themes.split(";") and "WB_2509_GENOCIDE" in gkg.Themes.split(";")
        assert "4,officials," in gkg.Amounts and len(gkg.V2Tone.split(",")) == 7
        export(store, "polecat", tmp_path / "p.jsonl")
        assert all(json.loads(line) for line in (tmp_path / "p.jsonl").read_text(encoding="utf-8").splitlines())
        export(store, "parquet", tmp_path / "pq")
    with Store.from_parquet(tmp_path / "pq") as copy:
        assert copy.counts()["events"] == counts["events"]
