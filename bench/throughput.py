"""Throughput: bare spaCy (`nlp.pipe`, same model and workers) versus the full `tacitus ingest`.

    python bench/throughput.py --limit 2000 --workers 1

Both runs see the same documents in the same process run; prints articles/s for each and the ratio.
Not a test: figures depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

import spacy

from tacitus.config import load_config
from tacitus.ingest import ingest
from tacitus.readers import read_paths
from tacitus.schema import Document
from tacitus.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "reuters21578"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"corpus not found: {args.corpus}")
    files = sorted(args.corpus.glob("*.sgm"))
    documents = [d for d in islice((d for d in read_paths(files) if isinstance(d, Document)), args.limit)]
    words = sum(len(d.text.split()) for d in documents)
    print(f"{len(documents)} documents, {words:,} words, workers={args.workers}")
    config = load_config()

    nlp = spacy.load(config.model)
    start = time.perf_counter()
    for _ in nlp.pipe((d.text for d in documents), batch_size=config.batch_size, n_process=args.workers):
        pass
    bare = time.perf_counter() - start
    print(f"bare spaCy nlp.pipe : {len(documents) / bare:7.1f} articles/s ({bare:.1f} s)")

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "stories.jsonl"
        with open(source, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps({"id": d.id, "date": d.date.isoformat(), "title": d.title, "text": d.text}) + "\n" for d in documents)
        start = time.perf_counter()
        with Store(Path(tmp) / "bench.duckdb") as store:
            summary = ingest([source], store=store, config=config, workers=args.workers)
            counts = store.counts()
        full = time.perf_counter() - start
    print(f"tacitus ingest      : {len(documents) / full:7.1f} articles/s ({full:.1f} s, "
          f"{summary.written} written, {len(summary.failures)} failures)")
    print(f"records: {json.dumps({k: v for k, v in counts.items() if v})}")
    if summary.parse_seconds:
        shares = {k: f"{100 * v / summary.parse_seconds:.1f}%" for k, v in sorted(summary.extract_seconds.items())}
        print(f"extractor time as a share of parse time: {json.dumps(shares)}")
    print(f"ratio tacitus / bare spaCy: {bare / full:.2f}")


if __name__ == "__main__":
    main()
