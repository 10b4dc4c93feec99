"""Ingest: read documents, run the pipeline (in N worker processes), write batches to the store.

Idempotent and resumable: a document already stored with the same text hash is skipped; a changed text
under the same id replaces that document's records in one transaction; documents that failed before are
skipped unless `retry_failed`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tacitus.config import Config
from tacitus.pipeline import Pipeline, text_hash
from tacitus.readers import read_paths
from tacitus.schema import Document, Extraction, Failure
from tacitus.store import Store

BATCH_SIZE = 32
# documents per store write: a write pays a fixed cost per table (a DuckDB statement each), so batches
# parsed 32 at a time are written four at a time
WRITE_SIZE = 128


@dataclass
class IngestSummary:
    """What one ingest run did, for the end-of-run summary."""

    run_id: str = ""
    seen: int = 0
    written: int = 0
    skipped: int = 0
    records: dict[str, int] = field(default_factory=dict)
    failures: list[Failure] = field(default_factory=list)
    seconds: float = 0.0
    parse_seconds: float = 0.0
    extract_seconds: dict[str, float] = field(default_factory=dict)

    @property
    def rate(self) -> float:
        return self.written / self.seconds if self.seconds else 0.0


def count_documents(paths: Iterable[str | Path], default_date: dt.date | None = None) -> int:
    """How many documents and failures the inputs hold (a cheap first pass for the progress bar)."""
    return sum(1 for _ in read_paths(paths, default_date=default_date))


# ---------------------------------------------------------------------------------------------- workers
_WORKER: Pipeline | None = None


def _init_worker(config: Config) -> None:
    """Load the pipeline once per process (and again only when the settings change)."""
    global _WORKER
    if _WORKER is None or _WORKER.config != config:
        _WORKER = Pipeline(config)


def _process_batch(documents: list[Document]) -> tuple[list[Extraction | Failure], dict, dict[str, str]]:
    assert _WORKER is not None
    before_parse = _WORKER.timings.parse
    before = dict(_WORKER.timings.extract)
    results = list(_WORKER.run(documents))
    timings = {"parse": _WORKER.timings.parse - before_parse}
    timings |= {k: v - before.get(k, 0.0) for k, v in _WORKER.timings.extract.items()}
    return results, timings, _WORKER.versions


def _select(items: Iterable[Document | Failure], known: dict[str, str], failed: dict[str, str],
            summary: IngestSummary) -> Iterator[Document | Failure]:
    """Drop documents already stored (same id and text) or failed before; keep the last of duplicate ids."""
    seen_in_run: dict[str, str] = {}
    for item in items:
        summary.seen += 1
        if isinstance(item, Failure):
            yield item
            continue
        digest = text_hash(item.text)
        if known.get(item.id) == digest or failed.get(item.id) == digest or seen_in_run.get(item.id) == digest:
            summary.skipped += 1
            continue
        seen_in_run[item.id] = digest
        yield item


def _batches(items: Iterable[Document | Failure], size: int) -> Iterator[tuple[list[Document], list[Failure]]]:
    documents: list[Document] = []
    failures: list[Failure] = []
    for item in items:
        (failures if isinstance(item, Failure) else documents).append(item)  # type: ignore[arg-type]
        if len(documents) >= size or len(failures) >= size:
            yield documents, failures
            documents, failures = [], []
    if documents or failures:
        yield documents, failures


def ingest(paths: list[str | Path], *, store: Store, config: Config, workers: int = 1,
           default_date: dt.date | None = None, retry_failed: bool = False,
           on_progress: Callable[[int], None] | None = None,
           after_write: Callable[[Store, list[str]], None] | None = None) -> IngestSummary:
    """Process every input document into the store; returns what happened."""
    return ingest_documents(read_paths(paths, default_date=default_date), store=store, config=config,
                            workers=workers, retry_failed=retry_failed, on_progress=on_progress,
                            after_write=after_write, inputs=[str(p) for p in paths])


def ingest_documents(items: Iterable[Document | Failure], *, store: Store, config: Config, workers: int = 1,
                     retry_failed: bool = False, on_progress: Callable[[int], None] | None = None,
                     after_write: Callable[[Store, list[str]], None] | None = None,
                     inputs: list[str] | None = None) -> IngestSummary:
    """Process documents already read (e.g. posted to the API) into the store; returns what happened."""
    summary = IngestSummary()
    started = time.perf_counter()
    known = store.known_documents()
    failed_before = store.failed_documents()
    failed = {} if retry_failed else failed_before
    items = _select(items, known, failed, summary)
    versions: dict[str, str] = {}
    written: set[str] = set()  # ids written in this run (a repeated id must replace its earlier rows)
    summary.run_id = store.start_run(versions={}, inputs=inputs or [])

    # processed batches waiting to be written together (ids never repeat across them: see `commit`)
    buffer: list[tuple[list[Document], list[Failure], list[Extraction | Failure]]] = []
    buffered_ids: set[object] = set()

    def write() -> None:
        """Write the buffered batches in one store transaction."""
        if not buffer:
            return
        documents = [d for batch in buffer for d in batch[0]]
        extractions = [r for batch in buffer for r in batch[2] if isinstance(r, Extraction)]
        failures = [f for _docs, read_failures, results in buffer
                    for f in read_failures + [r for r in results if isinstance(r, Failure)]]
        buffer.clear()
        buffered_ids.clear()
        hashes = {d.id: text_hash(d.text) for d in documents}
        fresh = {d.id for d in documents if d.id not in known and d.id not in failed_before and d.id not in written}
        store.write(extractions, failures, hashes=hashes, run_id=summary.run_id, fresh=fresh)
        written.update(hashes)
        if after_write is not None and extractions:
            after_write(store, [e.document.id for e in extractions])
        summary.written += len(extractions)
        summary.failures.extend(failures)
        for extraction in extractions:
            for name in ("entities", "quotes", "events", "places", "times"):
                summary.records[name] = summary.records.get(name, 0) + len(getattr(extraction, name))

    def commit(documents: list[Document], read_failures: list[Failure],
               results: list[Extraction | Failure], timings: dict) -> None:
        ids: set[object] = {d.id for d in documents} | {f.doc_id for f in read_failures if f.doc_id}
        ids |= {(f.path, f.line) for f in read_failures if not f.doc_id}  # a re-read input replaces its failure
        if ids & buffered_ids:
            write()  # a repeated id replaces its earlier rows: the earlier ones must be written first
        buffer.append((documents, read_failures, results))
        buffered_ids.update(ids)
        if sum(len(b[0]) + len(b[1]) for b in buffer) >= WRITE_SIZE:
            write()
        summary.parse_seconds += timings.pop("parse", 0.0)
        for key, value in timings.items():
            summary.extract_seconds[key] = summary.extract_seconds.get(key, 0.0) + value
        if on_progress:
            on_progress(len(documents) + len(read_failures))

    try:
        if workers <= 1:
            _init_worker(config)
            for documents, read_failures in _batches(items, BATCH_SIZE):
                results, timings, versions = _process_batch(documents) if documents else ([], {}, versions)
                commit(documents, read_failures, results, timings)
        else:
            with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(config,)) as pool:
                pending: list[tuple[list[Document], list[Failure], Future]] = []
                for documents, read_failures in _batches(items, BATCH_SIZE):
                    pending.append((documents, read_failures, pool.submit(_process_batch, documents)))
                    while len(pending) > 2 * workers:
                        versions = _drain(pending.pop(0), commit) or versions
                while pending:
                    versions = _drain(pending.pop(0), commit) or versions
    except BaseException:
        with contextlib.suppress(Exception):
            write()  # what was processed before the interruption is kept, as when every batch was written
        raise
    write()
    summary.seconds = time.perf_counter() - started
    store.finish_run(summary.run_id, versions=versions, timings={"parse": summary.parse_seconds,
                     **summary.extract_seconds, "total": summary.seconds},
                     documents=summary.written, skipped=summary.skipped, failures=len(summary.failures))
    return summary


def _drain(job: tuple[list[Document], list[Failure], Future], commit: Callable) -> dict[str, str]:
    documents, read_failures, future = job
    results, timings, versions = future.result()
    commit(documents, read_failures, results, timings)
    return versions
