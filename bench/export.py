"""Export speed: a synthetic store of N events built by bulk Arrow appends, exported in every format.

    python bench/export.py --events 1000000 --per-doc 10 [--dedup 100000] [--keep DIR]
    python bench/export.py --gkg 300     # GKG extractors (themes, amounts, tone) against spaCy parse time

Prints rows/s per format (and, with --dedup N, the clustering speed over the first N documents' events).
With --gkg N: the time of the per-document GKG extractors on N Reuters articles as a share of parsing.
Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import pyarrow as pa

from tacitus.export import FORMATS, export
from tacitus.schema import table_schemas
from tacitus.store import Store

ACTORS = ["CHN", "CHNGOV", "USA", "USAGOV", "RUS", "RUSMIL", "GBR", "CAN", "IGOUNO", "FRA", "DEU", "IRN", "ISR",
          "UKR", "EST", "JPN", "AUS", "BLRCOP", "BLROPP", "CANLEG"]
NAMES = {"CHN": "China", "USA": "United States", "RUS": "Russia", "GBR": "United Kingdom", "CAN": "Canada",
         "IGO": "United Nations", "FRA": "France", "DEU": "Germany", "IRN": "Iran", "ISR": "Israel",
         "UKR": "Ukraine", "EST": "Estonia", "JPN": "Japan", "AUS": "Australia", "BLR": "Belarus"}
CODES = ["010", "036", "040", "042", "043", "057", "111", "112", "120", "130", "163", "172", "173", "190", "1663"]


def synthetic_tables(n_docs: int, per_doc: int, seed: int = 7) -> dict[str, pa.Table]:
    """Documents, entities and events (vectorised, no Python loop per event).

    Events are not linked to entities: random actor codes under one entity name would make dedup merge
    everything by name.
    """
    rng = np.random.default_rng(seed)
    schemas = table_schemas()
    start = dt.date(2021, 1, 1)
    doc_ids = np.array([f"d{i:07d}" for i in range(n_docs)])
    days = rng.integers(0, 365, n_docs)
    dates = np.array([np.datetime64(start) + np.timedelta64(int(d), "D") for d in days], dtype="datetime64[D]")
    text = ("Officials in Beijing said on Monday that the government would impose sanctions on the United "
            "States and called for talks. \"We oppose this,\" a spokesman said. Canada condemned the move. ") * 2
    documents = {
        "id": doc_ids, "date": dates, "title": np.array([f"Story {i}" for i in range(n_docs)]),
        "source": rng.choice(["Wire One", "Wire Two", "Daily Three", "Herald Four"], n_docs),
        "url": np.char.add("https://news.example/", doc_ids), "text": np.full(n_docs, text),
        "metadata": np.full(n_docs, "{}"), "text_hash": doc_ids, "run_id": np.full(n_docs, None),
        "tone_tone": rng.normal(-2, 2, n_docs), "tone_positive": rng.uniform(0, 5, n_docs),
        "tone_negative": rng.uniform(0, 5, n_docs), "tone_polarity": rng.uniform(0, 10, n_docs),
        "tone_activity_density": rng.uniform(5, 20, n_docs), "tone_self_group_density": rng.uniform(0, 3, n_docs),
        "tone_word_count": np.full(n_docs, len(text.split())),
    }
    n = n_docs * per_doc
    ev_doc = np.repeat(doc_ids, per_doc)
    seq = np.tile(np.arange(per_doc, dtype=np.int32), n_docs)
    cameo = rng.choice(CODES, n)
    src = rng.choice(ACTORS, n)
    tgt = rng.choice(ACTORS, n)
    events = {
        "doc_id": ev_doc, "seq": seq, "id": np.char.add("V", (seq + 1).astype(str)), "cameo": cameo,
        "cameo_name": np.full(n, "synthetic"), "base_code": np.array([c[:3] for c in cameo]),
        "root_code": np.array([c[:2] for c in cameo]), "quad_class": rng.integers(1, 5, n),
        "goldstein": rng.uniform(-10, 10, n).round(1), "plover_type": rng.choice(["SANCTION", "ACCUSE", "AGREE"], n),
        "plover_mode": np.full(n, None), "plover_contexts": [["economic"]] * n,
        "source_text": np.array([NAMES.get(a[:3], a) for a in src]), "source_start": np.full(n, 0),
        "source_end": np.full(n, 9), "source_entity": np.full(n, None), "source_actor_code": src,
        "target_text": np.array([NAMES.get(a[:3], a) for a in tgt]), "target_start": np.full(n, 95),
        "target_end": np.full(n, 108), "target_entity": np.full(n, None), "target_actor_code": tgt,
        "date": np.repeat(dates, per_doc), "date_precision": np.full(n, "day"), "date_text": np.full(n, "Monday"),
        "location_text": np.full(n, "Beijing"), "location_start": np.full(n, 15), "location_end": np.full(n, 22),
        "location_name": np.full(n, "Beijing"), "location_geonames_id": np.full(n, 1816670),
        "location_lat": np.full(n, 39.9075), "location_lon": np.full(n, 116.39723),
        "location_country": np.full(n, "CHN"), "location_country_fips": np.full(n, "CH"),
        "location_admin1": np.full(n, "22"), "location_feature_class": np.full(n, "P"),
        "location_precision": np.full(n, "city"), "modality": np.full(n, "asserted"), "negated": np.zeros(n, bool),
        "confidence": rng.uniform(0.3, 1, n).round(2), "trigger_text": np.full(n, "impose"),
        "trigger_start": np.full(n, 66), "trigger_end": np.full(n, 72), "sentence_start": np.full(n, 0),
        "sentence_end": np.full(n, 130),
    }
    entities = {
        "doc_id": np.repeat(doc_ids, 2), "seq": np.tile(np.array([0, 1], np.int32), n_docs),
        "id": np.tile(np.array(["E1", "E2"]), n_docs), "name": np.tile(np.array(["Beijing", "United States"]), n_docs),
        "type": np.full(2 * n_docs, "GPE"), "titles": [[]] * (2 * n_docs),
        "actor_code": np.tile(np.array(["CHNGOV", "USA"]), n_docs), "actor_country": np.tile(np.array(["CHN", "USA"]),
                                                                                              n_docs),
        "actor_sectors": [[]] * (2 * n_docs),
    }
    tables = {"documents": documents, "events": events, "entities": entities}
    def column(cols: dict, field: pa.Field, rows: int) -> pa.Array:
        # columns added to schema.py since this bench was written are left empty
        return pa.array(cols[field.name], field.type) if field.name in cols else pa.nulls(rows, field.type)

    return {name: pa.table({f.name: column(cols, f, len(cols["doc_id" if "doc_id" in cols else "id"]))
                            for f in schemas[name]}, schema=schemas[name])
            for name, cols in tables.items()}


def gkg_speed(limit: int) -> None:
    """Themes, amounts and tone over Reuters articles, as a share of the spaCy parse time."""
    import itertools

    import spacy

    from tacitus.config import Config
    from tacitus.extract import amounts, themes, tone
    from tacitus.readers import read_paths
    from tacitus.schema import Document

    corpus = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "reuters21578" / "reut2-000.sgm"
    docs = [d for d in itertools.islice(read_paths([corpus]), limit) if isinstance(d, Document)]
    nlp = spacy.load(Config().model)
    t = time.perf_counter()
    parsed = list(nlp.pipe([d.text for d in docs], batch_size=32))
    parse = time.perf_counter() - t
    seconds = {}
    for module, name in ((themes, "themes"), (amounts, "amounts"), (tone, "tone")):
        resources = module.load(Config())
        run = getattr(module, name)
        t = time.perf_counter()
        for doc in parsed:
            run(doc, lexicon=resources)
        seconds[name] = time.perf_counter() - t
    total = sum(seconds.values())
    print(f"{len(docs)} Reuters articles ({sum(len(d.text) for d in docs):,} chars): parse {parse:.2f} s; "
          + ", ".join(f"{k} {v:.3f} s" for k, v in seconds.items())
          + f"; GKG {total:.3f} s = {100 * total / parse:.1f}% of parse")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--per-doc", type=int, default=10)
    parser.add_argument("--dedup", type=int, default=0, help="Cluster the events of this many documents.")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--keep", type=Path, help="Keep the store and exports in this directory.")
    parser.add_argument("--gkg", type=int, default=0, help="Time the GKG extractors on this many articles.")
    args = parser.parse_args()
    if args.gkg:
        gkg_speed(args.gkg)
        return
    work = args.keep or Path(tempfile.mkdtemp(prefix="tacitus-bench-export-"))
    work.mkdir(parents=True, exist_ok=True)
    n_docs = max(1, args.events // args.per_doc)
    t = time.perf_counter()
    tables = synthetic_tables(n_docs, args.per_doc)
    built = time.perf_counter() - t
    db = work / "bench.duckdb"
    db.unlink(missing_ok=True)
    t = time.perf_counter()
    with Store(db) as store:
        for name, table in tables.items():
            store.append_table(name, table)
    print(f"synthetic store: {n_docs:,} documents, {tables['events'].num_rows:,} events "
          f"(built in {built:.1f} s, appended in {time.perf_counter() - t:.1f} s)")
    if args.dedup:
        from tacitus.dedup import update_clusters

        with Store(db) as store:
            ids = [f"d{i:07d}" for i in range(min(args.dedup, n_docs))]
            t = time.perf_counter()
            for i in range(0, len(ids), 1000):
                update_clusters(store, ids[i:i + 1000])
            seconds = time.perf_counter() - t
            summary = store.cluster_summary()
        print(f"dedup: {summary['mentions']:,} mentions -> {summary['clusters']:,} clusters in {seconds:.1f} s "
              f"({summary['mentions'] / seconds:,.0f} mentions/s, batches of 1,000 documents)")
    with Store(db, read_only=True) as store:
        for fmt in args.formats.split(","):
            out = work / (f"out-{fmt}" + (".tsv" if fmt.startswith("gdelt") else ".jsonl" if fmt == "polecat" else ""))
            t = time.perf_counter()
            result = export(store, fmt, out, force=True)
            seconds = time.perf_counter() - t
            rows = sum(result.rows.values())
            size = sum(p.stat().st_size for p in out.rglob("*")) if out.is_dir() else out.stat().st_size
            print(f"{fmt:15} {rows:>10,} rows  {seconds:7.1f} s  {rows / seconds:>10,.0f} rows/s  "
                  f"{size / 1e6:8.1f} MB")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
