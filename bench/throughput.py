"""Throughput: bare spaCy (`nlp.pipe`, same model and workers) versus the full `tacitus ingest`.

    python bench/throughput.py --limit 2000 --workers 1

Both runs see the same documents in the same process run; prints articles/s for each and the ratio, by
wall-clock time and by CPU time (this process and its workers), which is robust to other load on the
machine. `--repeat N` alternates the two runs N times and keeps the best of each. Not a test.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path
from typing import Self

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
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"corpus not found: {args.corpus}")
    files = sorted(args.corpus.glob("*.sgm"))
    documents = [d for d in islice((d for d in read_paths(files) if isinstance(d, Document)), args.limit)]
    words = sum(len(d.text.split()) for d in documents)
    print(f"{len(documents)} documents, {words:,} words, workers={args.workers}")
    config = load_config()

    nlp = spacy.load(config.model)
    best_bare = best_full = (float("inf"), float("inf"))
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "stories.jsonl"
        with open(source, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps({"id": d.id, "date": d.date.isoformat(), "title": d.title, "text": d.text}) + "\n"
                          for d in documents)
        for round_ in range(args.repeat):
            with Clock() as bare:
                for _ in nlp.pipe((d.text for d in documents), batch_size=config.batch_size, n_process=args.workers):
                    pass
            print(f"bare spaCy nlp.pipe : {len(documents) / bare.wall:7.1f} articles/s (wall {bare.wall:.1f} s, "
                  f"cpu {bare.cpu:.1f} s)", flush=True)
            db = Path(tmp) / f"bench{round_}.duckdb"
            with Clock() as full, Store(db) as store:
                summary = ingest([source], store=store, config=config, workers=args.workers)
                counts = store.counts()
            print(f"tacitus ingest      : {len(documents) / full.wall:7.1f} articles/s (wall {full.wall:.1f} s, "
                  f"cpu {full.cpu:.1f} s, {summary.written} written, {len(summary.failures)} failures)", flush=True)
            best_bare = min(best_bare, (bare.wall, bare.cpu))
            best_full = min(best_full, (full.wall, full.cpu))
    print(f"records: {json.dumps({k: v for k, v in counts.items() if v})}")
    if summary.parse_seconds:
        shares = {k: f"{100 * v / summary.parse_seconds:.1f}%" for k, v in sorted(summary.extract_seconds.items())}
        print(f"extractor time as a share of parse time: {json.dumps(shares)}")
    print(f"ratio tacitus / bare spaCy: wall {best_bare[0] / best_full[0]:.2f}, cpu {best_bare[1] / best_full[1]:.2f}")


class Clock:
    """Wall time and CPU time (this process plus finished child processes) of a block."""

    def __enter__(self) -> Self:
        self._wall, self._cpu = time.perf_counter(), _cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall, self.cpu = time.perf_counter() - self._wall, _cpu() - self._cpu


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


if __name__ == "__main__":
    main()
