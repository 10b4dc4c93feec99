"""Scale out: the same pipeline on a Ray cluster (Ray Data), landing every record table as Parquet.

    inputs -> [Ray task per file: tacitus.readers] -> [actor pool: Pipeline loaded once per worker,
    writes Parquet parts with the store's schema] -> per-document summary rows back to the driver

Layout: OUT/<table>/month=YYYY-MM/part-<batch hash>.parquet, the same columns as the DuckDB tables
(schema.table_schemas). A part's name is a hash of the documents in it, so a retried task overwrites
its own output instead of duplicating it; a re-run skips documents already written (id and text hash).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import math
import os
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.parquet as pq

from tacitus.config import Config
from tacitus.errors import UserError
from tacitus.readers.common import text_hash
from tacitus.schema import Document, Extraction, Failure, extraction_rows, table_schemas

if TYPE_CHECKING:  # the read tasks import this module: keep spaCy (via ingest/pipeline) out of them
    from tacitus.ingest import IngestSummary

DOC_FIELDS = ("id", "date", "title", "source", "url", "text")


def list_inputs(paths: list[str | Path]) -> list[str]:
    """Every input file under the given paths (local paths or fsspec URLs), in a stable order."""
    found: list[str] = []
    for raw in paths:
        path = str(raw)
        if "://" in path:
            import fsspec

            fs, _, matches = fsspec.get_fs_token_paths(path)
            for match in matches:
                if fs.isdir(match):
                    found.extend(sorted(fs.protocol[0] + "://" + f for f in fs.find(match)
                                        if not Path(f).name.startswith(".")))
                else:
                    found.append(fs.protocol[0] + "://" + match if "://" not in match else match)
        elif Path(path).is_dir():
            found.extend(str(p) for p in sorted(Path(path).rglob("*"))
                         if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts))
        elif Path(path).is_file():
            found.append(path)
        else:
            raise UserError(f"no such file or directory: {path}")
    return found


def written_documents(out: Path) -> dict[str, str]:
    """id -> text hash of documents already in a Parquet tree (for skipping on a re-run)."""
    files = sorted(out.glob("documents/**/*.parquet"))
    if not files:
        return {}
    table = pq.ParquetDataset([str(f) for f in files]).read(columns=["id", "text_hash"])
    return dict(zip(table.column("id").to_pylist(), table.column("text_hash").to_pylist(), strict=True))


def read_file(row: dict[str, Any], *, default_date: str | None = None) -> Iterator[dict[str, Any]]:
    """Rows for one shard of an input file: a document or failure row per record (runs inside a Ray task).

    Rows are yielded as they are read, so Ray Data streams small blocks to the actor pool while the file is
    still being read. A very large file is read by several tasks, each keeping every `shards`-th record."""
    from tacitus.readers import read_paths

    path, shard, shards = row["path"], row.get("shard", 0), row.get("shards", 1)
    date = dt.date.fromisoformat(default_date) if default_date else None
    local, cleanup = _local_copy(path)
    try:
        for number, item in enumerate(read_paths([local], default_date=date)):
            if number % shards != shard:
                continue
            if isinstance(item, Failure):
                yield _row(kind="failure", path=path, line=item.line, reason=item.reason)
            else:
                metadata = dict(item.metadata) | {"path": path}
                yield _row(kind="document", path=path, line=metadata.get("line"),
                           document=item.model_copy(update={"metadata": metadata}).model_dump_json())
    finally:
        if cleanup:
            os.unlink(local)


# Reading is ~1% of the work, so one read task per file is enough unless the file is huge. Blocks stay small
# (BLOCK_BYTES, about ten stories): Ray Data bundles them up to the batch size, so a task is about one batch and
# the actor pool shares out the documents of one file evenly, down to the last tasks of a run (with 64 KB blocks
# a task held one and a half batches, and one actor often finished a task or two after the other: 2,000
# Reuters stories on 2 CPUs took 39.4 s against 42.4 s, mean of three runs each).
SHARD_BYTES = 64 * 1024 * 1024
BLOCK_BYTES = 16 * 1024


def _shards(path: str, workers: int) -> int:
    """How many read tasks share one input file: one per 64 MB, at most four per worker."""
    try:
        size = os.path.getsize(path) if "://" not in path else 0
    except OSError:
        size = 0
    return max(1, min(4 * workers, -(-size // SHARD_BYTES)))


def _row(*, kind: str, path: str, line: int | None = None, reason: str | None = None,
         document: str | None = None) -> dict[str, Any]:
    return {"kind": kind, "path": path, "line": line, "reason": reason, "document": document}


def _local_copy(path: str) -> tuple[str, bool]:
    if "://" not in path:
        return path, False
    import fsspec

    suffix = "".join(Path(path).suffixes[-2:])
    handle, local = tempfile.mkstemp(suffix=suffix)
    with os.fdopen(handle, "wb") as target, fsspec.open(path, "rb") as source:
        target.write(source.read())
    return local, True


class Extractor:
    """A Ray Data actor: loads the pipeline once, codes batches, writes Parquet parts, returns summaries."""

    def __init__(self, config: Config, out: str, known: dict[str, str], run_id: str):
        from tacitus.pipeline import Pipeline

        self.pipeline = Pipeline(config)
        self.out = Path(out)
        self.known = known
        self.run_id = run_id
        self.schemas = table_schemas()

    def __call__(self, batch: dict[str, Any]) -> dict[str, list]:
        documents: list[Document] = []
        failures: list[Failure] = []
        summary: list[dict[str, Any]] = []
        for kind, path, line, reason, raw in zip(batch["kind"], batch["path"], batch["line"], batch["reason"],
                                                 batch["document"], strict=True):
            if kind == "failure":
                failures.append(Failure(path=path, line=_int(line), stage="read", reason=reason))
                continue
            document = Document.model_validate_json(raw)
            if self.known.get(document.id) == text_hash(document.text):
                summary.append(_summary(document.id, "skipped"))
                continue
            documents.append(document)
        documents = list({d.id: d for d in documents}.values())
        results = list(self.pipeline.run(documents))
        extractions = [r for r in results if isinstance(r, Extraction)]
        failures += [r for r in results if isinstance(r, Failure)]
        self._write(extractions, failures)
        for extraction in extractions:
            records = sum(len(getattr(extraction, k)) for k in ("entities", "quotes", "events", "places", "times"))
            summary.append(_summary(extraction.document.id, "written", records=records))
        for failure in failures:
            summary.append(_summary(failure.doc_id, "failed", path=failure.path, line=failure.line,
                                    stage=failure.stage, reason=failure.reason))
        return {k: [s[k] for s in summary] for k in SUMMARY_FIELDS}

    def _write(self, extractions: list[Extraction], failures: list[Failure]) -> None:
        """Parquet parts per table and month; the part name is a hash of the batch's documents."""
        by_table: dict[tuple[str, str], list[dict]] = {}
        for extraction in extractions:
            month = extraction.document.date.strftime("%Y-%m")
            digest = text_hash(extraction.document.text)
            for table, rows in extraction_rows(extraction, text_hash=digest, run_id=self.run_id).items():
                by_table.setdefault((table, month), []).extend(rows)
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        for failure in failures:
            by_table.setdefault(("failures", "unknown"), []).append(
                failure.model_dump() | {"run_id": self.run_id, "created_at": now})
        # a part is named by what it holds, so a retried or repeated batch overwrites its own output
        doc_key = _key(e.document.id for e in extractions)
        failure_key = _key(f"{f.path}:{f.line}:{f.doc_id}" for f in failures)
        for (table, month), rows in by_table.items():
            directory = self.out / table / f"month={month}"
            directory.mkdir(parents=True, exist_ok=True)
            key = failure_key if table == "failures" else doc_key
            target = directory / f"part-{key}.parquet"
            partial = directory / f".part-{key}.parquet.tmp"
            pq.write_table(pa.Table.from_pylist(rows, schema=self.schemas[table]), partial)
            os.replace(partial, target)  # atomic: a killed worker leaves no half-written part


def _key(names: Any) -> str:
    return hashlib.sha256("|".join(sorted(names)).encode()).hexdigest()[:20]


SUMMARY_FIELDS = ("doc_id", "status", "path", "line", "stage", "reason", "records")


def _summary(doc_id: str | None, status: str, *, path: str | None = None, line: int | None = None,
             stage: str | None = None, reason: str | None = None, records: int = 0) -> dict[str, Any]:
    return {"doc_id": doc_id, "status": status, "path": path, "line": line if line is not None else -1,
            "stage": stage, "reason": reason, "records": records}


def _int(value: Any) -> int | None:
    try:
        return None if value is None or math.isnan(float(value)) else int(value)
    except (TypeError, ValueError):
        return None


def ingest_ray(paths: list[str | Path], *, out: Path, config: Config, address: str | None = None, workers: int = 1,
               default_date: dt.date | None = None, batch_size: int = 32,
               on_progress: Callable[[int], None] | None = None) -> IngestSummary:
    """Run the pipeline over the inputs on Ray and write the Parquet tree; returns what happened.

    `on_progress(n)` is called as documents come back from the workers (for a progress bar)."""
    try:
        import ray
        import ray.data
    except ImportError:
        raise UserError("the Ray engine needs Ray: pip install 'tacitus[ray]'") from None
    started = time.perf_counter()
    files = list_inputs(paths)
    out.mkdir(parents=True, exist_ok=True)
    known = written_documents(out)
    run_id = hashlib.sha256(f"{time.time()}:{os.getpid()}".encode()).hexdigest()[:12]
    from tacitus.ingest import IngestSummary

    summary = IngestSummary(run_id=run_id)
    if not files:  # nothing to do: no cluster to start
        summary.seconds = time.perf_counter() - started
        return summary
    if not ray.is_initialized():  # Ray's own info logs would bury tacitus's summary; warnings still show
        if address:
            ray.init(address=address, log_to_driver=False, logging_level=logging.WARNING)
        else:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
    context = ray.data.DataContext.get_current()
    saved = context.enable_progress_bars, context.target_max_block_size
    context.enable_progress_bars, context.target_max_block_size = False, BLOCK_BYTES
    data_log = logging.getLogger("ray.data")
    level = data_log.level
    data_log.setLevel(logging.ERROR)  # plan and progress-bar notices; tacitus prints its own summary
    try:
        with warnings.catch_warnings():
            # Ray counts one input (a file) before the read streams many small blocks: the pool is used fully
            warnings.filterwarnings("ignore", message="The minimum number of concurrent actors")
            for row in _dataset(ray, files, out=out, config=config, known=known, run_id=run_id, workers=workers,
                                default_date=default_date, batch_size=batch_size).iter_rows():
                _tally(summary, row)
                if on_progress is not None:
                    on_progress(1)
    finally:
        context.enable_progress_bars, context.target_max_block_size = saved
        data_log.setLevel(level)
    summary.seconds = time.perf_counter() - started
    return summary


def _tally(summary: IngestSummary, row: dict[str, Any]) -> None:
    """Count one per-document summary row coming back from the actors."""
    summary.seen += 1
    if row["status"] == "written":
        summary.written += 1
    elif row["status"] == "skipped":
        summary.skipped += 1
    else:
        summary.failures.append(Failure(doc_id=row["doc_id"] or None, path=row["path"] or None,
                                        line=_int(row["line"]) if row["line"] != -1 else None,
                                        stage=row["stage"] or "extract", reason=row["reason"]))


def _dataset(ray: Any, files: list[str], *, out: Path, config: Config, known: dict[str, str], run_id: str,
             workers: int, default_date: dt.date | None, batch_size: int) -> Any:
    """The Ray Data plan: read tasks (no CPU reserved, few at a time) -> the pool of Extractor actors."""
    items = [{"path": f, "shard": k, "shards": n} for f in files for n in [_shards(f, workers)] for k in range(n)]
    dataset = ray.data.from_items(items, override_num_blocks=min(len(items), 1000))
    # reading must not wait for a CPU that the extractor actors hold (that would deadlock); each concurrent
    # read task is a process of its own, so a few readers feed many actors
    dataset = dataset.flat_map(read_file, fn_kwargs={"default_date": default_date.isoformat() if default_date else None},
                               num_cpus=0, compute=ray.data.TaskPoolStrategy(size=max(1, min(len(items), workers // 4))))
    # at most two batches queued per actor, so the last batches of a run are not stuck behind a busy actor
    pool = ray.data.ActorPoolStrategy(size=workers, max_tasks_in_flight_per_actor=2)
    return dataset.map_batches(Extractor, fn_constructor_kwargs={"config": config, "out": str(out.resolve()),
                                                                 "known": known, "run_id": run_id},
                               batch_size=batch_size, compute=pool, num_cpus=1, batch_format="numpy")


def iter_parquet_tables(out: Path) -> Iterator[str]:
    """Tables present in a Parquet tree."""
    for table in table_schemas():
        if any(out.glob(f"{table}/**/*.parquet")):
            yield table
