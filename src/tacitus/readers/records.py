"""Record files: JSON Lines, JSON (one object or a list of objects) and CSV/TSV with a header row.

Fields id, date, text, title, url and source (a few common alternative names are accepted, see ALIASES);
every other field is kept in `metadata`. One bad line or row is a Failure with its line number; the rest
of the file goes on.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tacitus.readers.common import failure, make_document
from tacitus.schema import Document, Failure

# our field -> accepted names, most specific first; the first non-empty one wins
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "doc_id", "document_id", "article_id", "guid", "uuid", "_id"),
    "text": ("text", "body", "content", "article", "maintext", "full_text", "story"),
    "date": ("date", "published", "pubdate", "pub_date", "publish_date", "published_at", "date_publish",
             "publication_date", "datetime", "timestamp", "created_at"),
    "title": ("title", "headline", "heading"),
    "url": ("url", "link", "source_url", "permalink"),
    "source": ("source", "publisher", "source_name", "outlet", "sitename", "source_domain", "domain"),
}

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # a 20 MB article is one CSV field


def record_document(
    record: dict[str, Any], *, path: str | Path, line: int | None, default_date: dt.date | None
) -> Document | Failure:
    """A Document from one record's fields (names matched case-insensitively, see ALIASES)."""
    by_name = {str(key).strip().lower(): key for key in record}
    fields: dict[str, Any] = {}
    used: set[Any] = set()
    for field, names in ALIASES.items():
        for name in names:
            key = by_name.get(name)
            if key is not None and record[key] not in (None, ""):
                fields[field] = record[key]
                used.add(key)
                break
    metadata = {str(key): value for key, value in record.items() if key not in used}
    return make_document(
        text=fields.get("text"), date=fields.get("date"), default_date=default_date, doc_id=fields.get("id"),
        title=fields.get("title"), source=fields.get("source"), url=fields.get("url"),
        path=path, line=line, metadata=metadata,
    )


def read_jsonl(content: str, *, path: str | Path, default_date: dt.date | None) -> Iterator[Document | Failure]:
    """One Document per JSON object line; blank lines are skipped."""
    for number, raw in enumerate(content.split("\n"), start=1):
        raw = raw.strip().lstrip("\ufeff")
        if not raw:
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield failure(path, _json_error(exc), number)
            continue
        if not isinstance(record, dict):
            yield failure(path, f"expected a JSON object, found a {_json_kind(record)}", number)
            continue
        yield record_document(record, path=path, line=number, default_date=default_date)


def read_json(content: str, *, path: str | Path, default_date: dt.date | None) -> Iterator[Document | Failure]:
    """A JSON file holding one record or a list of records (`metadata["index"]` is the list position)."""
    try:
        data = json.loads(content)
    except json.JSONDecodeError as exc:
        yield failure(path, _json_error(exc), exc.lineno)
        return
    if isinstance(data, dict):
        yield record_document(data, path=path, line=None, default_date=default_date)
        return
    if not isinstance(data, list):
        yield failure(path, f"expected a JSON object or a list of objects, found a {_json_kind(data)}")
        return
    for index, record in enumerate(data):
        if not isinstance(record, dict):
            yield failure(path, f"record {index}: expected a JSON object, found a {_json_kind(record)}")
            continue
        found = record_document(record, path=path, line=None, default_date=default_date)
        if isinstance(found, Failure):
            found.reason = f"record {index}: {found.reason}"
        else:
            found.metadata["index"] = index
        yield found


def read_csv(
    content: str, *, path: str | Path, default_date: dt.date | None, delimiter: str = ","
) -> Iterator[Document | Failure]:
    """One Document per row after the header row; `line` is the row's first physical line."""
    rows = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    previous_end = 0
    while True:
        start = previous_end + 1
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            if rows.line_num == previous_end:  # the reader cannot get past this point
                yield failure(path, f"unreadable CSV ({exc}); stopped here", start)
                break
            previous_end = rows.line_num
            yield failure(path, f"unreadable CSV row ({exc})", start)
            continue
        previous_end = rows.line_num
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [cell.strip().lstrip("\ufeff") for cell in row]
            if not any(name.lower() in ALIASES["text"] for name in header):
                yield failure(path, f"no text column in the header ({', '.join(header)[:120]})", start)
                return
            continue
        record: dict[str, Any] = dict(zip(header, row, strict=False))
        if len(row) > len(header):
            record["_extra"] = row[len(header):]
        yield record_document(record, path=path, line=start, default_date=default_date)
    if header is None:
        yield failure(path, "no header row")


def _json_error(exc: json.JSONDecodeError) -> str:
    where = "column" if exc.msg.endswith(" at") else "at column"  # "Unterminated string starting at"
    return f"not valid JSON ({exc.msg} {where} {exc.colno})"


def _json_kind(value: Any) -> str:
    return {list: "list", dict: "object", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )
