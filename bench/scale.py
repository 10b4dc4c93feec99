"""Scaling: the same Reuters stories through local ingest (1 and 2 workers) and Ray (1 and 2 CPUs).

    python bench/scale.py --limit 2000

Prints articles/s per run, the 2-worker speedups and the Ray overhead against the local path. Each run also
reports its start-up (seconds until the first coded documents come back: worker processes, model loading)
and its steady rate after that, so fixed costs can be told apart from throughput. Ray is started once per
CPU count and warmed by a 20-story job, as a running cluster would be (ray.init and Ray Data's service
actors are not timed); each timed job starts its own actor pool, which loads spaCy in every worker. The
local path is warmed the same way (gazetteer cache, OS page cache).
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


class Clock:
    """Start time, and when and after how many documents the first results came back."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.first: tuple[float, int] | None = None
        self.done = 0

    def __call__(self, n: int) -> None:
        self.done += n
        if self.first is None:
            self.first = (time.perf_counter() - self.start, self.done)


def run_local(source: Path, workers: int, tmp: Path) -> tuple[float, Clock]:
    tmp.mkdir(parents=True, exist_ok=True)
    clock = Clock()
    with Store(tmp / f"local{workers}.duckdb") as store:
        summary = ingest([source], store=store, config=load_config(), workers=workers, on_progress=clock)
    assert not summary.failures, summary.failures[:3]
    return time.perf_counter() - clock.start, clock


def run_ray(source: Path, cpus: int, tmp: Path) -> tuple[float, Clock]:
    import ray

    from tacitus.distributed import ingest_ray

    ray.init(num_cpus=cpus, include_dashboard=False, log_to_driver=False)
    try:
        # as on a running cluster, Ray Data's own service actors (stats, autoscaling, locality) are already up:
        # a 20-story job starts them. The timed job still starts its own actor pool and loads the model in it.
        ingest_ray([source.parent / "warm.jsonl"], out=tmp / "warm", config=load_config(), workers=cpus)
        clock = Clock()
        ingest_ray([source], out=tmp / f"ray{cpus}", config=load_config(), workers=cpus, on_progress=clock)
        return time.perf_counter() - clock.start, clock
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
    n = len(documents)
    total: dict[str, float] = {}
    steady: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        source = _write(documents, tmp / "stories.jsonl")
        # one-off costs (the gazetteer cache on a first run, the OS page cache) must not land on the first set-up
        run_local(_write(documents[:20], tmp / "warm.jsonl"), 1, tmp / "warm")
        for label, runner, k in (("local 1 worker", run_local, 1), ("local 2 workers", run_local, 2),
                                 ("ray 1 cpu", run_ray, 1), ("ray 2 cpus", run_ray, 2)):
            seconds, clock = runner(source, k, tmp / label.replace(" ", "_"))
            total[label] = n / seconds
            first_s, first_n = clock.first or (0.0, 0)
            steady[label] = (n - first_n) / max(seconds - first_s, 1e-9)
            print(f"{label:16s}: {total[label]:6.1f} articles/s ({seconds:.1f} s); first results after {first_s:.1f} s, "
                  f"then {steady[label]:.1f} articles/s", flush=True)
    for title, rates in (("total", total), ("after start-up", steady)):
        print(f"{title}: speedup local 2/1 {rates['local 2 workers'] / rates['local 1 worker']:.2f}x, "
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
