"""Reuters-21578 SGML files (`reut2-NNN.sgm`): one Document per `<REUTERS>` story.

id `reuters-<NEWID>`, date from `<DATE>` (`26-FEB-1987 15:01:01.79`), title from `<TITLE>`, text from
`<BODY>` with the hard line wraps joined (a line indented by spaces starts a new paragraph) and the closing
"Reuter" sign-off removed. Headline-only briefs and unprocessed tables have no `<BODY>`: each is a Failure
with its reason. Topics, places, dateline and the Lewis split are kept in metadata.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from pathlib import Path

from tacitus.readers.common import failure, make_document
from tacitus.schema import Document, Failure

STORY = re.compile(r"<REUTERS\b([^>]*)>(.*?)</REUTERS>", re.DOTALL)
ATTRIBUTE = re.compile(r'(\w+)="([^"]*)"')
DATE = re.compile(r"(\d{1,2})-([A-Za-z]{3})-(\d{4})")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
SIGN_OFF = re.compile(r"\s*\breuter\W*\Z", re.IGNORECASE)
COMPANY_MARK = re.compile(r"<([^<>\n]{1,80})>")  # Reuters marks company names as <Comissaria Smith>
MONTHS = {name: number for number, name in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), start=1)}


def read_reuters(content: str, *, path: str | Path, default_date: dt.date | None) -> Iterator[Document | Failure]:
    """Every story of a Reuters-21578 SGML file, in file order; `line` is the line of its <REUTERS> tag."""
    line, position, seen = 1, 0, 0
    for story in STORY.finditer(content):
        line += content.count("\n", position, story.start())
        position = story.start()
        seen += 1
        yield _story(story.group(1), story.group(2), path=path, line=line, default_date=default_date)
    if not seen:
        yield failure(path, "no <REUTERS> story in this SGML file")


def _story(attributes: str, body: str, *, path: str | Path, line: int,
           default_date: dt.date | None) -> Document | Failure:
    attrs = dict(ATTRIBUTE.findall(attributes))
    new_id = attrs.get("NEWID")
    doc_id = f"reuters-{new_id}" if new_id else None
    text_type = (re.search(r'<TEXT\b[^>]*TYPE="(\w+)"', body) or [None, "NORM"])[1]
    text = _element(body, "BODY")
    if not text:
        why = {"BRIEF": "a headline-only brief", "UNPROC": "an unprocessed story (usually a table)"}.get(
            text_type, "a story")
        found = failure(path, f"{doc_id or 'story'} has no <BODY>: {why}", line)
        found.doc_id = doc_id
        return found
    metadata = {
        "dateline": _clean(_element(body, "DATELINE") or "").strip(" -") or None,
        "topics": re.findall(r"<D>(.*?)</D>", _element(body, "TOPICS") or ""),
        "places": re.findall(r"<D>(.*?)</D>", _element(body, "PLACES") or ""),
        "lewissplit": attrs.get("LEWISSPLIT"),
        "oldid": attrs.get("OLDID"),
    }
    raw_date = _element(body, "DATE") or ""
    return make_document(
        text=_reflow(text), date=_date(raw_date) or raw_date.strip() or None, default_date=default_date,
        doc_id=doc_id, title=_clean(_element(body, "TITLE") or ""), source="Reuters", path=path, line=line,
        metadata=metadata,
    )


def _element(body: str, tag: str) -> str | None:
    found = re.search(rf"<{tag}\b[^>]*>(.*?)</{tag}>", body, re.DOTALL)
    return found.group(1) if found else None


def _clean(text: str) -> str:
    text = CONTROL.sub("", html.unescape(text))
    return COMPANY_MARK.sub(r"\1", text)


def _reflow(body: str) -> str:
    """Join the 65-column wire lines into paragraphs: an indented line begins a new paragraph."""
    paragraphs: list[list[str]] = []
    for raw in SIGN_OFF.sub("", _clean(body)).split("\n"):
        if not raw.strip():
            continue
        if not paragraphs or raw[:1].isspace():
            paragraphs.append([])
        paragraphs[-1].append(raw.strip())
    return "\n\n".join(" ".join(lines) for lines in paragraphs)


def _date(raw: str) -> dt.date | None:
    found = DATE.search(raw)
    month = MONTHS.get(found.group(2).upper()) if found else None
    if not found or month is None:
        return None
    try:
        return dt.date(int(found.group(3)), month, int(found.group(1)))
    except ValueError:
        return None
