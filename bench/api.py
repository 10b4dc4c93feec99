"""API latency benchmark: a synthetic store of N events (bulk Arrow append), a real `tacitus serve`, HTTP timing.

    python bench/api.py                       # 1,000,000 events, prints p50/p95 per request kind
    python bench/api.py --events 20000 --db /tmp/small.duckdb --keep   # a small store to look at in a browser

Goal (issue 7): p95 <= 50 ms for filtered /api/events, <= 200 ms for /api/stats/timeline.
The synthetic documents are short wire-style sentences whose offsets match the events, so the web page's
document view works on them too.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import pyarrow as pa

from tacitus.schema import table_schemas
from tacitus.store import Store

# (country code, name as written, capital, lat, lon)
COUNTRIES = [
    ("USA", "United States", "Washington", 38.9, -77.04),
    ("CHN", "China", "Beijing", 39.9, 116.4),
    ("RUS", "Russia", "Moscow", 55.76, 37.62),
    ("UKR", "Ukraine", "Kyiv", 50.45, 30.52),
    ("ISR", "Israel", "Jerusalem", 31.77, 35.21),
    ("IRN", "Iran", "Tehran", 35.69, 51.39),
    ("GBR", "Britain", "London", 51.51, -0.13),
    ("FRA", "France", "Paris", 48.86, 2.35),
    ("DEU", "Germany", "Berlin", 52.52, 13.4),
    ("IND", "India", "New Delhi", 28.61, 77.21),
    ("PAK", "Pakistan", "Islamabad", 33.69, 73.05),
    ("TUR", "Turkey", "Ankara", 39.93, 32.86),
    ("SYR", "Syria", "Damascus", 33.51, 36.29),
    ("EGY", "Egypt", "Cairo", 30.04, 31.24),
    ("JPN", "Japan", "Tokyo", 35.68, 139.69),
    ("KOR", "South Korea", "Seoul", 37.57, 126.98),
    ("PRK", "North Korea", "Pyongyang", 39.04, 125.76),
    ("BRA", "Brazil", "Brasilia", -15.79, -47.88),
    ("MEX", "Mexico", "Mexico City", 19.43, -99.13),
    ("NGA", "Nigeria", "Abuja", 9.06, 7.49),
    ("ZAF", "South Africa", "Pretoria", -25.75, 28.19),
    ("KEN", "Kenya", "Nairobi", -1.29, 36.82),
    ("ETH", "Ethiopia", "Addis Ababa", 9.03, 38.74),
    ("SAU", "Saudi Arabia", "Riyadh", 24.71, 46.68),
]
SECTORS = [
    ("GOV", "the government of {}", "government"),
    ("MIL", "the army of {}", "military"),
    ("", "{}", ""),
    ("COP", "police in {}", "police"),
    ("OPP", "the opposition in {}", "opposition"),
]
# (CAMEO code, verb phrase as written, name, QuadClass, Goldstein, PLOVER type)
CODES = [
    ("010", "said it would respond to", "Make statement", 1, 0.0, "CONSULT"),
    ("036", "offered talks with", "Express intent to meet or negotiate", 1, 4.0, "CONSULT"),
    ("040", "held talks with", "Consult", 1, 1.0, "CONSULT"),
    ("042", "visited", "Make a visit", 1, 1.9, "CONSULT"),
    ("043", "hosted", "Host a visit", 1, 2.8, "CONSULT"),
    ("051", "praised", "Praise or endorse", 2, 3.4, "SUPPORT"),
    ("057", "signed an agreement with", "Sign formal agreement", 2, 8.0, "AGREE"),
    ("061", "agreed to cooperate with", "Cooperate economically", 2, 6.4, "COOPERATE"),
    ("070", "sent aid to", "Provide aid", 2, 7.0, "AID"),
    ("111", "criticised", "Criticize or denounce", 3, -2.0, "ACCUSE"),
    ("112", "accused", "Accuse", 3, -2.0, "ACCUSE"),
    ("130", "threatened", "Threaten", 3, -4.4, "THREATEN"),
    ("138", "threatened military action against", "Threaten with military force", 3, -7.0, "THREATEN"),
    ("141", "protested against", "Demonstrate or rally", 3, -6.5, "PROTEST"),
    ("163", "imposed sanctions on", "Impose embargo, boycott, or sanctions", 3, -8.0, "SANCTION"),
    ("173", "arrested members of", "Arrest, detain", 4, -5.0, "COERCE"),
    ("190", "attacked", "Use conventional military force", 4, -10.0, "ASSAULT"),
    ("193", "fought", "Fight with small arms and light weapons", 4, -10.0, "ASSAULT"),
    ("195", "launched air strikes on", "Employ aerial weapons", 4, -10.0, "ASSAULT"),
]
EVENTS_PER_DOC = 5


def _actor(rng: random.Random) -> tuple[str, str, int]:
    country = rng.randrange(len(COUNTRIES))
    sector = rng.randrange(len(SECTORS))
    code = COUNTRIES[country][0] + SECTORS[sector][0]
    return code, SECTORS[sector][1].format(COUNTRIES[country][1]), country


def build_store(path: Path, n_events: int, *, seed: int = 7) -> None:
    """Write `n_events` synthetic events (and their documents) to a new DuckDB file by bulk Arrow appends."""
    rng = random.Random(seed)
    schemas = table_schemas()
    n_docs = max(1, n_events // EVENTS_PER_DOC)
    start = dt.date(2015, 1, 1)
    span = (dt.date(2024, 12, 31) - start).days
    doc_dates = sorted(start + dt.timedelta(days=rng.randrange(span)) for _ in range(n_docs))
    docs: dict[str, list] = {k: [] for k in ("id", "date", "title", "source", "text")}
    ev: dict[str, list] = {
        k: []
        for k in (
            "doc_id",
            "seq",
            "id",
            "cameo",
            "cameo_name",
            "base_code",
            "root_code",
            "quad_class",
            "goldstein",
            "plover_type",
            "source_text",
            "source_start",
            "source_end",
            "source_actor_code",
            "target_text",
            "target_start",
            "target_end",
            "target_actor_code",
            "date",
            "date_precision",
            "date_text",
            "location_text",
            "location_start",
            "location_end",
            "location_name",
            "location_lat",
            "location_lon",
            "location_country",
            "location_precision",
            "modality",
            "negated",
            "confidence",
            "trigger_text",
            "trigger_start",
            "trigger_end",
            "sentence_start",
            "sentence_end",
        )
    }
    for d, date in enumerate(doc_dates):
        doc_id = f"syn-{d:07d}"
        parts: list[str] = []
        pos = 0
        for seq in range(EVENTS_PER_DOC if d < n_docs - 1 else n_events - EVENTS_PER_DOC * (n_docs - 1)):
            src_code, src_text, _ = _actor(rng)
            tgt_code, tgt_text, tgt_country = _actor(rng)
            code, verb, name, quad, goldstein, plover = CODES[rng.randrange(len(CODES))]
            country, _, capital, lat, lon = COUNTRIES[tgt_country]
            sentence = f"{src_text[0].upper()}{src_text[1:]} {verb} {tgt_text} in {capital} on {date:%A}."
            s0 = pos
            src_s, trig_s = s0, s0 + len(src_text) + 1
            tgt_s = trig_s + len(verb) + 1
            loc_s = tgt_s + len(tgt_text) + 4
            modality = "asserted" if rng.random() < 0.9 else rng.choice(["negated", "hypothetical", "future"])
            values = (
                doc_id,
                seq,
                f"V{seq + 1}",
                code,
                name,
                code,
                code[:2],
                quad,
                goldstein,
                plover,
                sentence[: len(src_text)],
                src_s,
                src_s + len(src_text),
                src_code,
                tgt_text,
                tgt_s,
                tgt_s + len(tgt_text),
                tgt_code,
                date,
                "day",
                f"on {date:%A}",
                capital,
                loc_s,
                loc_s + len(capital),
                capital,
                lat,
                lon,
                country,
                "city",
                modality,
                modality == "negated",
                round(rng.uniform(0.3, 0.95), 2),
                verb,
                trig_s,
                trig_s + len(verb),
                s0,
                s0 + len(sentence),
            )
            for key, value in zip(ev, values, strict=True):
                ev[key].append(value)
            parts.append(sentence)
            pos += len(sentence) + 1
        docs["id"].append(doc_id)
        docs["date"].append(date)
        docs["title"].append(f"Synthetic wire report {d}")
        docs["source"].append(rng.choice(["Wire A", "Wire B", "Wire C"]))
        docs["text"].append(" ".join(parts))
    with Store(path) as store:
        store.append_table("documents", _table(docs, schemas["documents"]))
        store.append_table("events", _table(ev, schemas["events"]))


def _table(columns: dict[str, list], schema: pa.Schema) -> pa.Table:
    n = len(next(iter(columns.values())))
    arrays = [pa.array(columns[f.name], f.type) if f.name in columns else pa.nulls(n, f.type) for f in schema]
    return pa.Table.from_arrays(arrays, schema=schema)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit(f"server at {url} did not start")


EVENT_QUERIES = [
    {},
    {"actor": "USA"},
    {"actor": "CHNGOV", "since": "2020-01-01"},
    {"code": "19"},
    {"root": "14,17"},
    {"quad_class": "4", "country": "UKR"},
    {"source": "RUS", "target": "UKR"},
    {"plover_type": "ASSAULT"},
    {"since": "2023-03-01", "until": "2023-03-31"},
    {"actor": "IRN", "sort": "-goldstein"},
    {"place": "Cairo", "since": "2019-01-01"},
    {"modality": "any", "code": "057"},
]
TIMELINE_QUERIES = [
    {},
    {"interval": "week", "actor": "USA"},
    {"interval": "day", "since": "2024-01-01"},
    {"group": "quad", "country": "ISR"},
    {"group": "plover", "code": "19"},
    {"interval": "year", "group": "none", "source": "CHN"},
]


def measure(client: httpx.Client, path: str, queries: list[dict], rounds: int) -> dict[str, list[float]]:
    """Latencies in ms per query of `rounds` passes over the queries (after one warm-up pass)."""
    for query in queries:
        client.get(path, params=query).raise_for_status()
    times: dict[str, list[float]] = {str(q): [] for q in queries}
    for _ in range(rounds):
        for query in queries:
            t = time.perf_counter()
            client.get(path, params=query).raise_for_status()
            times[str(query)].append((time.perf_counter() - t) * 1000)
    return times


def _pct(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def main() -> None:
    """Build the store, start the server, print p50/p95 per request kind."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--keep", action="store_true", help="keep the database file")
    parser.add_argument("--reuse", action="store_true", help="use an existing --db instead of rebuilding it")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="tacitus-bench-")
    db = args.db or Path(folder) / "bench.duckdb"
    if args.reuse and db.exists():
        print(f"reusing {db} ({db.stat().st_size / 1e6:.0f} MB)")
    else:
        db.unlink(missing_ok=True)
        t = time.perf_counter()
        build_store(db, args.events)
        print(
            f"built {args.events:,} events in {time.perf_counter() - t:.1f} s ({db.stat().st_size / 1e6:.0f} MB)"
        )
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {k: v for k, v in os.environ.items() if k != "TACITUS_API_TOKEN"}
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from tacitus.cli import app; app()",
            "serve",
            "--db",
            str(db),
            "--port",
            str(port),
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait(url)
        with httpx.Client(base_url=url, timeout=30) as client:
            for name, path, queries, goal in (
                ("events", "/api/events", EVENT_QUERIES, 50),
                ("timeline", "/api/stats/timeline", TIMELINE_QUERIES, 200),
                ("dyads", "/api/stats/dyads", EVENT_QUERIES[:6], None),
                ("places", "/api/stats/places", EVENT_QUERIES[:6], None),
            ):
                per_query = measure(client, path, queries, args.rounds)
                times = [t for values in per_query.values() for t in values]
                p50, p95 = _pct(times, 50), _pct(times, 95)
                verdict = (
                    ""
                    if goal is None
                    else (f"  goal p95 <= {goal} ms: " + ("met" if p95 <= goal else "MISSED"))
                )
                print(
                    f"{name:9s} n={len(times):4d}  p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  max {max(times):6.1f} ms"
                    f"{verdict}"
                )
                slowest = sorted(per_query.items(), key=lambda kv: -statistics.median(kv[1]))[:2]
                print(
                    "          slowest: "
                    + "; ".join(f"{q} {statistics.median(v):.0f} ms" for q, v in slowest)
                )
    finally:
        server.terminate()
        server.wait(10)
        if not args.keep and args.db is None:
            db.unlink(missing_ok=True)


if __name__ == "__main__":
    main()
