"""Read dated news articles from files and directories into `schema.Document` records.

`read_paths` walks the given files and directories (recursively, sorted by name, hidden files and
folders skipped) and yields, in input order, a Document per article or a Failure per unreadable file or
record; one bad file or line never stops the others. Formats, by extension (also inside `.gz`):

- `.txt`/`.text`: a leading `date YYYY-MM-DD` line (the dated format), else `default_date` (`--date`)
- `.jsonl`/`.ndjson`, `.json`, `.csv`/`.tsv`: records with id, date, text, title, url, source
  (alternative names in `records.ALIASES`); other fields go to `metadata`
- `.html`/`.htm`: the main text extracted with trafilatura, title and date from the page metadata
- `.sgm`/`.sgml`: Reuters-21578 stories

Every Document has `metadata["path"]` (and `metadata["line"]` for line-based records) so later stages can
name where it came from, and a stable id: its own, else `text_hash` of its normalised text.
Duplicate ids are not dropped here: both records flow on and the store keeps one document per id (a later
record with a different text under the same id replaces the earlier one's records).
"""

from __future__ import annotations

import datetime as dt
import gzip
import zlib
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from tacitus.readers.common import (
    ReadProblem,
    decode_bytes,
    failure,
    format_failure,
    make_document,
    parse_date,
    text_hash,
)
from tacitus.readers.html import read_html
from tacitus.readers.records import read_csv, read_json, read_jsonl
from tacitus.readers.reuters import read_reuters
from tacitus.readers.text import read_text
from tacitus.schema import Document, Failure

__all__ = [
    "FORMATS",
    "ReadProblem",
    "decode_bytes",
    "format_failure",
    "make_document",
    "parse_date",
    "read_file",
    "read_paths",
    "text_hash",
]

Reader = Callable[..., Iterator[Document | Failure]]


def _read_tsv(content: str, *, path: str | Path, default_date: dt.date | None) -> Iterator[Document | Failure]:
    return read_csv(content, path=path, default_date=default_date, delimiter="\t")


FORMATS: dict[str, Reader] = {
    ".txt": read_text,
    ".text": read_text,
    ".jsonl": read_jsonl,
    ".ndjson": read_jsonl,
    ".json": read_json,
    ".csv": read_csv,
    ".tsv": _read_tsv,
    ".html": read_html,
    ".htm": read_html,
    ".sgm": read_reuters,
    ".sgml": read_reuters,
}
SUPPORTED = ", ".join(FORMATS) + " (and .gz of each)"


def read_paths(
    paths: Iterable[str | Path], *, default_date: dt.date | None = None
) -> Iterator[Document | Failure]:
    """Documents (or Failures) from files and directories, in input order."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for found in _walk(path):
                yield from read_file(found, default_date=default_date)
        elif path.exists():
            yield from read_file(path, default_date=default_date)
        else:
            yield failure(path, "no such file or directory")


def _walk(folder: Path) -> Iterator[Path]:
    """Supported files below a folder, sorted by path, hidden files and folders skipped."""
    found = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder).parts
        if any(part.startswith(".") for part in relative) or not path.is_file():
            continue
        if _format_suffix(path) in FORMATS:
            found.append(path)
    return iter(sorted(found, key=lambda p: p.relative_to(folder).parts))


def _format_suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        return suffixes[-2] if len(suffixes) > 1 else ""
    return suffixes[-1] if suffixes else ""


def read_file(path: str | Path, *, default_date: dt.date | None = None) -> Iterator[Document | Failure]:
    """Documents (or Failures) from one file, dispatched on its extension (inside `.gz` too)."""
    path = Path(path)
    suffix = _format_suffix(path)
    reader = FORMATS.get(suffix)
    if reader is None:
        yield failure(path, f"unsupported file type {suffix or '(no extension)'}; supported: {SUPPORTED}")
        return
    try:
        data = path.read_bytes()
        if path.suffix.lower() == ".gz":
            data = gzip.decompress(data)
        content = decode_bytes(data)
    except ReadProblem as problem:
        yield failure(path, problem.reason, problem.line)
        return
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        yield failure(path, f"not a valid gzip file ({exc or 'truncated'})")
        return
    except OSError as exc:
        yield failure(path, f"cannot read the file ({exc.strerror or exc})")
        return
    try:
        yield from reader(content, path=path, default_date=default_date)
    except Exception as exc:  # noqa: BLE001 (a reader bug must not stop the batch; the reason names it)
        yield failure(path, f"could not read ({type(exc).__name__}: {exc})")
