"""Exports: the formats users' GDELT pipelines, R and pandas scripts and dashboards already read.

`export(store, fmt, out, ...)` checks the output path and that something matches before writing, writes to
a temporary sibling and renames it into place, so a failed export never leaves half a file behind.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tacitus.errors import UserError
from tacitus.store import Store

FILE_FORMATS = ("gdelt-events", "gdelt-mentions", "gdelt-gkg", "polecat")
DIRECTORY_FORMATS = ("parquet", "csv", "jsonl")
FORMATS = FILE_FORMATS + DIRECTORY_FORMATS

# GDELT files are tab-separated without quoting: a tab or line break inside a field would add columns or
# rows, so they are written as the two characters \t, \n, \r (and a backslash as \\), which read back as-is.
_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


class ExportError(UserError):
    """An export that cannot be written as asked (path exists, nothing matches, unwritable)."""


@dataclass
class ExportResult:
    out: Path
    rows: dict[str, int]
    seconds: float


def clean(value: Any) -> str:
    """A field value for a tab-separated GDELT file: '' for missing, tabs and line breaks escaped."""
    if value is None:
        return ""
    if isinstance(value, float):
        return "" if math.isnan(value) else f"{value:.6g}"
    return str(value).translate(_ESCAPES)


def check_output(out: Path, *, force: bool, directory: bool) -> None:
    """Refuse an existing output (unless forced) or one whose folder does not exist or cannot be written."""
    if out.exists() and not force:
        raise ExportError(f"{out} already exists (pass --force to replace it)")
    if out.exists() and directory != out.is_dir():
        kind = "a directory" if out.is_dir() else "a file"
        raise ExportError(f"{out} is {kind}; this format writes {'a directory' if directory else 'a file'}")
    parent = out.parent if str(out.parent) else Path(".")
    if not parent.is_dir():
        raise ExportError(f"cannot write {out}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {out}: folder {parent} is not writable")


@contextmanager
def atomic_output(out: Path, *, directory: bool) -> Iterator[Path]:
    """A temporary path beside `out` that replaces it only when the block finishes without error."""
    parent = out.parent if str(out.parent) else Path(".")
    try:
        if directory:
            tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
        else:
            fd, name = tempfile.mkstemp(prefix=f".{out.name}.", dir=parent)
            os.close(fd)
            tmp = Path(name)
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    try:
        yield tmp
        if out.is_dir():
            shutil.rmtree(out)
        elif out.exists():
            out.unlink()
        tmp.replace(out)
        os.chmod(out, 0o755 if directory else 0o644)  # mkstemp/mkdtemp make private files
    except OSError as exc:
        raise ExportError(f"cannot write {out}: {exc.strerror or exc}") from None
    finally:
        if tmp.is_dir():
            shutil.rmtree(tmp, ignore_errors=True)
        elif tmp.exists():
            tmp.unlink()


def _describe(filters: dict[str, Any]) -> str:
    shown = {k: v for k, v in filters.items() if v not in (None, "", [])}
    return ", ".join(f"{k}={v}" for k, v in shown.items()) or "no filters"


def export(store: Store, fmt: str, out: Path, *, filters: dict[str, Any] | None = None, clusters: bool = False,
           force: bool = False) -> ExportResult:
    """Write the store (with event filters) in one format to `out` (a file, or a directory for tables)."""
    from tacitus.export import gdelt, polecat, tables

    if fmt not in FORMATS:
        raise ExportError(f"unknown export format '{fmt}' (one of {', '.join(FORMATS)})")
    filters = dict(filters or {})
    directory = fmt in DIRECTORY_FORMATS
    check_output(out, force=force, directory=directory)
    if store.count_exportable({}, documents_only=True) == 0:
        raise ExportError("nothing to export: the store has no documents (run `tacitus ingest` first)")
    per_document = fmt == "gdelt-gkg" or directory
    if per_document:
        unsupported = sorted(k for k, v in filters.items() if v not in (None, "", []) and k not in ("since", "until"))
        if unsupported:
            raise ExportError(f"--format {fmt} exports whole documents; it takes --since/--until only, "
                              f"not {', '.join(unsupported)}")
        if store.count_exportable(filters, documents_only=True) == 0:
            raise ExportError(f"nothing to export: no documents match ({_describe(filters)})")
    elif store.count_exportable(filters) == 0:
        raise ExportError(f"nothing to export: no events match ({_describe(filters)})")
    if clusters and not store.has_clusters():
        raise ExportError("--clusters: this store has no event clusters yet (run `tacitus dedup` first)")
    writers: dict[str, Callable[[Path], dict[str, int]]] = {
        "gdelt-events": lambda p: gdelt.write_events(store, p, filters=filters, clusters=clusters),
        "gdelt-mentions": lambda p: gdelt.write_mentions(store, p, filters=filters, clusters=clusters),
        "gdelt-gkg": lambda p: gdelt.write_gkg(store, p, since=filters.get("since"), until=filters.get("until")),
        "polecat": lambda p: polecat.write_polecat(store, p, filters=filters, clusters=clusters,
                                                   tsv=out.suffix.lower() in (".tsv", ".tab", ".txt")),
    }
    for name in DIRECTORY_FORMATS:
        writers[name] = lambda p, name=name: tables.write_tables(store, p, name, since=filters.get("since"),
                                                                 until=filters.get("until"))
    started = dt.datetime.now()
    with atomic_output(out, directory=directory) as tmp:
        rows = writers[fmt](tmp)
    return ExportResult(out=out, rows=rows, seconds=(dt.datetime.now() - started).total_seconds())
