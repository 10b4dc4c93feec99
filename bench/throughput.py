"""Throughput: bare spaCy (`nlp.pipe`, same model and workers) versus the full `tacitus ingest`.

    python bench/throughput.py --limit 2000 --workers 1

Both runs see the same documents in the same process run; prints articles/s for each and the ratio, by
wall-clock time and by CPU time (this process and its workers), which is robust to other load on the
machine. `--repeat N` alternates the two runs N times and keeps the best of each. `--chunks K` cuts the
stories into K parts and times bare spaCy and tacitus on each part in turn (summing the times), so a machine
whose speed drifts over minutes slows both sides alike. Models load before timing on both sides. Not a test.
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
    parser.add_argument("--chunks", type=int, default=1)
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
        parts = [documents[k::args.chunks] for k in range(args.chunks)]
        sources = []
        for k, part in enumerate(parts):
            sources.append(Path(tmp) / f"stories{k}.jsonl")
            with open(sources[-1], "w", encoding="utf-8") as fh:
                fh.writelines(json.dumps({"id": d.id, "date": d.date.isoformat(), "title": d.title, "text": d.text})
                              + "\n" for d in part)
        # spaCy's model is loaded before timing; tacitus's pipeline and gazetteer are loaded the same way
        with Store(Path(tmp) / "warm.duckdb") as store:
            ingest([sources[0]], store=store, config=config, workers=args.workers)
        for round_ in range(args.repeat):
            bare_wall = bare_cpu = full_wall = full_cpu = 0.0
            written = failed = 0
            parse, extract = 0.0, {}
            with Store(Path(tmp) / f"bench{round_}.duckdb") as store:
                for part, source in zip(parts, sources, strict=True):
                    with Clock() as bare:
                        for _ in nlp.pipe((d.text for d in part), batch_size=config.batch_size, n_process=args.workers):
                            pass
                    with Clock() as full:
                        summary = ingest([source], store=store, config=config, workers=args.workers)
                    bare_wall, bare_cpu = bare_wall + bare.wall, bare_cpu + bare.cpu
                    full_wall, full_cpu = full_wall + full.wall, full_cpu + full.cpu
                    written, failed = written + summary.written, failed + len(summary.failures)
                    parse += summary.parse_seconds
                    extract = {k: extract.get(k, 0.0) + v for k, v in summary.extract_seconds.items()}
                counts = store.counts()
            print(f"bare spaCy nlp.pipe : {len(documents) / bare_wall:7.1f} articles/s (wall {bare_wall:.1f} s, "
                  f"cpu {bare_cpu:.1f} s)", flush=True)
            print(f"tacitus ingest      : {len(documents) / full_wall:7.1f} articles/s (wall {full_wall:.1f} s, "
                  f"cpu {full_cpu:.1f} s, {written} written, {failed} failures)", flush=True)
            best_bare = min(best_bare, (bare_wall, bare_cpu))
            best_full = min(best_full, (full_wall, full_cpu))
    print(f"records: {json.dumps({k: v for k, v in counts.items() if v})}")
    if parse:
        shares = {k: f"{100 * v / parse:.1f}%" for k, v in sorted(extract.items())}
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
