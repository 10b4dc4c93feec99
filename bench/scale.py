"""Scaling: the same Reuters stories through local ingest (1 and 2 workers) and Ray (1 and 2 CPUs).

    python bench/scale.py --limit 2000

Prints articles/s per run, the 2-worker speedups and the Ray overhead against the local path.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

from tacitus.config import load_config
from tacitus.ingest import ingest
from tacitus.readers import read_paths
from tacitus.schema import Document
from tacitus.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "reuters21578"


def run_local(source: Path, workers: int, tmp: Path) -> float:
    start = time.perf_counter()
    with Store(tmp / f"local{workers}.duckdb") as store:
        summary = ingest([source], store=store, config=load_config(), workers=workers)
    assert not summary.failures, summary.failures[:3]
    return time.perf_counter() - start


def run_ray(source: Path, cpus: int, tmp: Path) -> float:
    import ray

    from tacitus.distributed import ingest_ray

    ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)
    try:
        start = time.perf_counter()
        ingest_ray([source], out=tmp / f"ray{cpus}", config=load_config(), workers=cpus)
        return time.perf_counter() - start
    finally:
        ray.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=2000)
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"corpus not found: {args.corpus}")
    documents = list(islice((d for d in read_paths(sorted(args.corpus.glob("*.sgm"))) if isinstance(d, Document)),
                            args.limit))
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        source = tmp / "stories.jsonl"
        with open(source, "w", encoding="utf-8") as fh:
            fh.writelines(json.dumps({"id": d.id, "date": d.date.isoformat(), "text": d.text}) + "\n" for d in documents)
        n = len(documents)
        seconds = {}
        for label, runner, k in (("local 1 worker", run_local, 1), ("local 2 workers", run_local, 2),
                                 ("ray 1 cpu", run_ray, 1), ("ray 2 cpus", run_ray, 2)):
            seconds[label] = runner(source, k, tmp)
            print(f"{label:16s}: {n / seconds[label]:6.1f} articles/s ({seconds[label]:.1f} s)", flush=True)
    print(f"speedup local 2/1 : {seconds['local 1 worker'] / seconds['local 2 workers']:.2f}x")
    print(f"speedup ray 2/1   : {seconds['ray 1 cpu'] / seconds['ray 2 cpus']:.2f}x")
    for k in ("1 worker", "2 workers"):
        ray_key = "ray 1 cpu" if k == "1 worker" else "ray 2 cpus"
        print(f"ray overhead at {k}: {100 * (seconds[ray_key] / seconds['local ' + k] - 1):+.1f}%")


if __name__ == "__main__":
    main()
