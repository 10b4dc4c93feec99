"""Scaling: the same Reuters stories through local ingest (1 and 2 workers) and Ray (1 and 2 CPUs).

    python bench/scale.py --limit 2000

Prints articles/s per run, the 2-worker speedups and the Ray overhead against the local path. Each set-up
also codes the first `--small` stories on its own, so the fixed start-up cost (worker processes, model
loading, Ray Data's actors) can be told apart from the steady rate: steady = (limit - small) / (T - T_small).
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
    tmp.mkdir(parents=True, exist_ok=True)
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
    parser.add_argument("--small", type=int, default=500, help="stories in the start-up run (0: skip it)")
    args = parser.parse_args()
    if not args.corpus.exists():
        sys.exit(f"corpus not found: {args.corpus}")
    documents = list(islice((d for d in read_paths(sorted(args.corpus.glob("*.sgm"))) if isinstance(d, Document)),
                            args.limit))
    n, small = len(documents), min(args.small, len(documents) - 1)
    total: dict[str, float] = {}
    steady: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        for label, runner, k in (("local 1 worker", run_local, 1), ("local 2 workers", run_local, 2),
                                 ("ray 1 cpu", run_ray, 1), ("ray 2 cpus", run_ray, 2)):
            seconds = runner(_write(documents, tmp / f"all-{k}.jsonl"), k, tmp / f"{label}-all".replace(" ", "_"))
            total[label] = n / seconds
            line = f"{label:16s}: {total[label]:6.1f} articles/s ({seconds:.1f} s)"
            if small > 0:
                first = runner(_write(documents[:small], tmp / f"small-{k}.jsonl"), k,
                               tmp / f"{label}-small".replace(" ", "_"))
                steady[label] = (n - small) / max(seconds - first, 1e-9)
                line += f"   steady {steady[label]:6.1f} articles/s (start-up {seconds - (n - small) / steady[label]:.1f} s)"
            print(line, flush=True)
    for title, rates in (("total", total), ("steady", steady)):
        if not rates:
            continue
        print(f"{title:6s}: speedup local 2/1 {rates['local 2 workers'] / rates['local 1 worker']:.2f}x, "
              f"ray 2/1 {rates['ray 2 cpus'] / rates['ray 1 cpu']:.2f}x; ray overhead "
              f"{100 * (rates['local 1 worker'] / rates['ray 1 cpu'] - 1):+.1f}% at 1 worker, "
              f"{100 * (rates['local 2 workers'] / rates['ray 2 cpus'] - 1):+.1f}% at 2 workers")


def _write(documents: list[Document], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps({"id": d.id, "date": d.date.isoformat(), "text": d.text}) + "\n" for d in documents)
    return path


if __name__ == "__main__":
    main()
