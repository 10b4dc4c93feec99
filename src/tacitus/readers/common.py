"""What every reader shares: decoding bytes, strict dates, stable ids and building a Document or a Failure."""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import re
import unicodedata
from pathlib import Path
from typing import Any

import charset_normalizer
from dateutil import parser as date_parser

from tacitus.schema import Document, Failure

# English news comes in UTF-8 or a Western single-byte code page; letting the detector consider every
# code page makes it pick cp775 or mac_roman for short, mostly-ASCII text with a few curly quotes.
CANDIDATE_ENCODINGS = ["utf_8", "cp1252", "latin_1"]
BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]
DATE_HINT = "give the record a date or pass --date"


class ReadProblem(Exception):
    """A reason a file or record cannot be read, for a person; `line` is 1-based when known."""

    def __init__(self, reason: str, line: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.line = line


def text_hash(text: str) -> str:
    """Hash of the normalised text: the id of a document without one, and the change detector on re-ingest."""
    # Must stay identical to tacitus.pipeline.text_hash (a test checks it): ids must not depend on the path
    # by which a document arrives.
    normalised = " ".join(unicodedata.normalize("NFC", text).split())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


def decode_bytes(data: bytes) -> str:
    """Bytes of a text file as str: BOM, then UTF-8, then charset-normalizer; raise ReadProblem if binary."""
    text = _decode(data)
    if not text.lstrip("\ufeff").strip():
        raise ReadProblem("empty file")
    return text


def _decode(data: bytes) -> str:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise ReadProblem(f"starts with a {encoding} byte-order mark but is not {encoding} ({exc.reason})")
    if b"\x00" in data:
        raise ReadProblem("binary file (contains NUL bytes), not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if _mostly_utf8(data):
        # UTF-8 with stray legacy bytes (a pasted cp1252 record, one corrupt byte): keep the UTF-8 and read
        # only the bad bytes as cp1252, rather than turning every accent of the file into mojibake.
        return data.decode("utf-8", errors=LEGACY_BYTES)
    match = charset_normalizer.from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if match is None:
        raise ReadProblem("binary or undecodable file (not UTF-8, cp1252 or latin-1 text)")
    return str(match)


def _legacy_bytes(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    return error.object[error.start:error.end].decode("cp1252", errors="replace"), error.end


LEGACY_BYTES = "tacitus-cp1252"
codecs.register_error(LEGACY_BYTES, _legacy_bytes)
_NON_ASCII = re.compile(r"[^\x00-\x7f\ufffd]")


def _mostly_utf8(data: bytes) -> bool:
    """True when the file has valid UTF-8 multi-byte characters and only a few undecodable bytes beside them.

    Random binary data holds a valid multi-byte sequence for every ~20 invalid bytes; cp1252 text hardly
    ever holds one (it would need e.g. "Ã" followed by a symbol between 0x80 and 0xBF).
    """
    replaced = data.decode("utf-8", errors="replace")
    bad = replaced.count("\ufffd")
    return 4 * len(_NON_ASCII.findall(replaced)) >= bad > 0


def clean_text(text: str) -> str:
    """Unify line ends, drop a stray BOM and surrounding blank space; offsets are into this text."""
    return text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").strip()


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# Two defaults that differ in year, month and day: a string that lacks one of them parses differently.
_DEFAULTS = (dt.datetime(1901, 1, 1), dt.datetime(1902, 2, 2))
MIN_YEAR, MAX_YEAR = 1800, 2200


def parse_date(value: Any) -> dt.date | None:
    """A calendar date from an ISO or common date string, a date or an epoch number; None when not certain.

    Strict: the string must name year, month and day ("May 2023" and "yesterday" are refused); a numeric
    date like 05/06/2023 is read month first, as dateutil does. The date of a timestamp is its local date.
    """
    if isinstance(value, dt.datetime):
        found = value.date()
    elif isinstance(value, dt.date):
        found = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        found = _epoch_date(float(value))
    elif isinstance(value, str):
        found = _string_date(value.strip())
    else:
        found = None
    if found is None or not MIN_YEAR <= found.year <= MAX_YEAR:
        return None
    return found


def _epoch_date(seconds: float) -> dt.date | None:
    if 1e11 <= seconds < 1e14:  # milliseconds
        seconds /= 1000
    if not 1e8 <= seconds < 1e11:
        return None
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC).date()


def _string_date(text: str) -> dt.date | None:
    if not text or len(text) > 64 or not any(c.isdigit() for c in text):
        return None
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        pass
    if _ISO_DAY.fullmatch(text[:10]) and len(text) > 10 and text[10] in "T ":
        try:  # ISO date followed by a time fromisoformat does not know (e.g. "12:00:00 +0200 (CEST)")
            return dt.date.fromisoformat(text[:10])
        except ValueError:
            return None
    found = []
    for default in _DEFAULTS:
        try:
            found.append(date_parser.parse(text, default=default).date())
        except (ValueError, OverflowError, TypeError):
            return None
    return found[0] if found[0] == found[1] else None


def failure(path: str | Path | None, reason: str, line: int | None = None) -> Failure:
    """A read Failure naming the file and line."""
    return Failure(path=None if path is None else str(path), line=line, stage="read", reason=reason)


def format_failure(item: Failure) -> str:
    """A failure as one line for people: `news.jsonl:17: no usable date ...`."""
    where = item.path or item.doc_id or "input"
    if item.line is not None:
        where = f"{where}:{item.line}"
    return f"{where}: {item.reason}"


def make_document(
    *,
    text: Any,
    path: str | Path,
    line: int | None = None,
    date: Any = None,
    default_date: dt.date | None = None,
    doc_id: Any = None,
    title: Any = None,
    source: Any = None,
    url: Any = None,
    metadata: dict[str, Any] | None = None,
) -> Document | Failure:
    """A Document from raw field values, or a Failure saying which field is unusable."""
    if text is None:
        return failure(path, "no text field", line)
    if not isinstance(text, str):
        return failure(path, f"the text field is a {type(text).__name__}, not a string", line)
    text = clean_text(text)
    if not text:
        return failure(path, "empty text", line)
    metadata = dict(metadata or {})
    found = parse_date(date)
    if found is None:
        if default_date is None:
            if date is None or date == "":
                return failure(path, f"no date; {DATE_HINT}", line)
            return failure(path, f"no usable date ({_show(date)}); {DATE_HINT}", line)
        if date not in (None, ""):
            metadata["unparsed_date"] = date
        found = default_date
    metadata["path"] = str(path)
    if line is not None:
        metadata["line"] = line
    return Document(
        id=_optional_str(doc_id) or text_hash(text),
        date=found,
        title=_optional_str(title),
        source=_optional_str(source),
        url=_optional_str(url),
        text=text,
        metadata=metadata,
    )


def _optional_str(value: Any) -> str | None:
    if isinstance(value, dict):  # e.g. {"source": {"name": "Reuters", "id": ...}}
        value = value.get("name")
    if value is None or isinstance(value, list | dict):
        return None
    value = " ".join(str(value).split())
    return value or None


def _show(value: Any) -> str:
    shown = value if isinstance(value, str) else repr(value)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return f'"{shown}"' if isinstance(value, str) else shown
