"""Scaling: the same Reuters stories through local ingest (1 and 2 workers) and Ray (1 and 2 CPUs).

    python bench/scale.py --limit 2000

Prints articles/s per run, the 2-worker speedups and the Ray overhead against the local path. Each set-up
runs in a fresh Python process, as `tacitus ingest` would: no set-up inherits the loaded model, spaCy's
vocabulary or the caches of another set-up that has already coded the same stories. Inside that process a
20-story job first warms what a running installation has warm (the gazetteer cache, the OS page cache; for
Ray, the cluster and Ray Data's service actors, whose start is not timed); the timed job then starts its own
workers, which load spaCy, as every real run does. Each run also reports when the first coded documents came
back and the rate after that, so fixed costs can be told apart from throughput.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from itertools import islice
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "reuters21578"
SETUPS = (("local 1 worker", "local", 1), ("local 2 workers", "local", 2), ("ray 1 cpu", "ray", 1),
          ("ray 2 cpus", "ray", 2))


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


def run_one(engine: str, workers: int, source: Path, warm: Path, tmp: Path) -> dict:
    """One set-up, in this (fresh) process: an untimed 20-story job, then the timed job."""
    from tacitus.config import load_config

    config = load_config()
    if engine == "local":
        from tacitus.ingest import ingest
        from tacitus.store import Store

        def job(path: Path, name: str, clock: Clock | None = None):
            with Store(tmp / f"{name}.duckdb") as store:
                return ingest([path], store=store, config=config, workers=workers, on_progress=clock)
    else:
        import ray

        from tacitus.distributed import ingest_ray

        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)

        def job(path: Path, name: str, clock: Clock | None = None):
            return ingest_ray([path], out=tmp / name, config=config, workers=workers, on_progress=clock)

    job(warm, "warm")
    if engine == "local" and workers == 1:
        import tacitus.ingest

        tacitus.ingest._WORKER = None  # one worker is this process: the timed job loads spaCy, like the others
    clock = Clock()
    summary = job(source, "timed", clock)
    seconds = time.perf_counter() - clock.start
    assert not summary.failures, summary.failures[:3]
    first_s, first_n = clock.first or (0.0, 0)
    return {"seconds": seconds, "written": summary.written, "first_s": first_s, "first_n": first_n}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--limit", type=int, default=2000)
    parser.add_argument("--one", nargs=5, metavar=("ENGINE", "WORKERS", "SOURCE", "WARM", "TMP"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        engine, workers, source, warm, tmp = args.one
        print(json.dumps(run_one(engine, int(workers), Path(source), Path(warm), Path(tmp))))
        return
    if not args.corpus.exists():
        sys.exit(f"corpus not found: {args.corpus}")
    from tacitus.readers import read_paths
    from tacitus.schema import Document

    documents = list(islice((d for d in read_paths(sorted(args.corpus.glob("*.sgm"))) if isinstance(d, Document)),
                            args.limit))
    n = len(documents)
    total: dict[str, float] = {}
    steady: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        source, warm = _write(documents, tmp / "stories.jsonl"), _write(documents[:20], tmp / "warm.jsonl")
        for label, engine, workers in SETUPS:
            out = tmp / label.replace(" ", "_")
            out.mkdir()
            run = subprocess.run([sys.executable, __file__, "--one", engine, str(workers), str(source), str(warm),
                                  str(out)], check=False, capture_output=True, text=True)
            if run.returncode:
                sys.exit(f"{label} failed:\n{run.stderr[-3000:]}")
            result = json.loads(run.stdout.strip().splitlines()[-1])
            assert result["written"] == n, (label, result["written"], n)
            seconds, first_s, first_n = result["seconds"], result["first_s"], result["first_n"]
            total[label] = n / seconds
            steady[label] = (n - first_n) / max(seconds - first_s, 1e-9)
            print(f"{label:16s}: {total[label]:6.1f} articles/s ({seconds:.1f} s); first results after {first_s:.1f} s, "
                  f"then {steady[label]:.1f} articles/s", flush=True)
    for title, rates in (("total", total), ("after start-up", steady)):
        print(f"{title}: speedup local 2/1 {rates['local 2 workers'] / rates['local 1 worker']:.2f}x, "
              f"ray 2/1 {rates['ray 2 cpus'] / rates['ray 1 cpu']:.2f}x; ray overhead "
              f"{100 * (rates['local 1 worker'] / rates['ray 1 cpu'] - 1):+.1f}% at 1 worker, "
              f"{100 * (rates['local 2 workers'] / rates['ray 2 cpus'] - 1):+.1f}% at 2 workers")


def _write(documents: list, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps({"id": d.id, "date": d.date.isoformat(), "text": d.text}) + "\n" for d in documents)
    return path


if __name__ == "__main__":
    main()
