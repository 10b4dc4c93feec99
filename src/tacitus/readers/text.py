"""Plain text files, with or without a leading `date YYYY-MM-DD` line.

The dated format: optional leading space, `date 2023-05-15` (or `date: 2023-05-15`), then the article on
the same line or the next one. The date line is removed from the text. A first line `date <value>` alone
on its line may use any unambiguous date form (`date 15 May 2023`). Without a date line the file needs
`--date` (`default_date`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

from tacitus.readers.common import DATE_HINT, clean_text, failure, make_document, parse_date
from tacitus.schema import Document, Failure

# `date 2023-05-15` at the very start; the article may follow on the same line
ISO_DATE_LINE = re.compile(r"\A\s*date[ \t]*:?[ \t]*(\d{4}-\d{1,2}-\d{1,2})(?![\w-])[ \t]*", re.IGNORECASE)
# `date <anything>` alone on the first line
DATE_LINE = re.compile(r"\A\s*date[ \t]*:?[ \t]*([^\n]*?)[ \t]*(?:\n|\Z)", re.IGNORECASE)


def read_text(content: str, *, path: str | Path, default_date: dt.date | None) -> Iterator[Document | Failure]:
    """One Document from a text file: its date line, else `default_date`."""
    content = clean_text(content)
    iso = ISO_DATE_LINE.match(content)
    if iso:
        date = _iso_date(iso.group(1))
        if date is None:
            yield failure(path, f'bad date line ("date {iso.group(1)}"): not a calendar date', 1)
            return
        yield _dated(content[iso.end():], date=date, path=path)
        return
    line = DATE_LINE.match(content)
    if line and line.group(1):
        date = parse_date(line.group(1))
        if date is not None:
            yield _dated(content[line.end():], date=date, path=path)
            return
        if line.group(1)[0].isdigit():  # looks meant as a date line ("date 31/02/2023"), not prose
            yield failure(path, f'bad date line ("date {line.group(1)[:40]}"): not a usable date', 1)
            return
    if default_date is None:
        yield failure(path, f'no date line ("date YYYY-MM-DD" first) and no --date; {DATE_HINT}')
        return
    yield make_document(text=content, date=default_date, path=path)


def _dated(text: str, *, date: dt.date, path: str | Path) -> Document | Failure:
    if not text.strip():
        return failure(path, "no text after the date line")
    return make_document(text=text, date=date, path=path)


def _iso_date(value: str) -> dt.date | None:
    year, month, day = (int(part) for part in value.split("-"))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None
