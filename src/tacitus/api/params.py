"""Query parameters of the API: the event filters shared by every event route, paging, and strict checks.

Every value is validated here (type, pattern, bounds) before it reaches `Store`, which passes it to DuckDB as
a parameter; an unknown parameter name is refused with the list of allowed ones, so a typo never silently
returns everything.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
from typing import Annotated, Any

from fastapi import HTTPException, Query, Request

MAX_LIMIT = 1000
MAX_OFFSET = 100_000
SORTS = ("-date", "date", "-goldstein", "goldstein", "-confidence", "confidence")
MODALITIES = ("asserted", "negated", "hypothetical", "future", "denied")


def event_filters(
    actor: Annotated[
        str | None,
        Query(
            max_length=200, description="either side: CAMEO code prefix in capitals (USA, CHNGOV) or a name"
        ),
    ] = None,
    source: Annotated[
        str | None, Query(max_length=200, description="source actor: code prefix or name")
    ] = None,
    target: Annotated[
        str | None, Query(max_length=200, description="target actor: code prefix or name")
    ] = None,
    code: Annotated[
        str | None, Query(pattern=r"^\d{2,4}$", description="CAMEO code prefix, e.g. 19 or 190")
    ] = None,
    root: Annotated[
        str | None, Query(pattern=r"^\d{2}(,\d{2})*$", description="CAMEO root codes, comma separated")
    ] = None,
    quad_class: Annotated[
        str | None, Query(pattern=r"^[1-4](,[1-4])*$", description="QuadClass 1-4, comma separated")
    ] = None,
    plover_type: Annotated[
        str | None,
        Query(max_length=40, pattern=r"^[A-Za-z_,\- ]+$", description="PLOVER event types, comma separated"),
    ] = None,
    since: Annotated[dt.date | None, Query(description="first event date, YYYY-MM-DD")] = None,
    until: Annotated[dt.date | None, Query(description="last event date, YYYY-MM-DD")] = None,
    country: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]{3}$", description="location country, ISO 3166 alpha-3")
    ] = None,
    place: Annotated[str | None, Query(max_length=200, description="location name contains")] = None,
    modality: Annotated[
        str,
        Query(
            pattern=r"^(any|[a-z]+(,[a-z]+)*)$",
            description="asserted (default), negated, hypothetical, future, denied, or any",
        ),
    ] = "asserted",
    text: Annotated[
        str | None, Query(max_length=200, description="the event's sentence contains this text")
    ] = None,
    doc_id: Annotated[str | None, Query(max_length=200, description="events of one document")] = None,
) -> dict[str, Any]:
    """The event filters as a dict for `Store.event_*` (values checked, lists split)."""
    if since and until and since > until:
        raise HTTPException(422, f"since ({since}) is after until ({until})")
    if modality != "any":
        bad = [m for m in modality.split(",") if m not in MODALITIES]
        if bad:
            raise HTTPException(422, f"unknown modality {', '.join(bad)}; use any or {', '.join(MODALITIES)}")
    return {
        "actor": actor,
        "source": source,
        "target": target,
        "code": code,
        "root": root.split(",") if root else None,
        "quad_class": [int(q) for q in quad_class.split(",")] if quad_class else None,
        "plover_type": [p.strip().upper() for p in plover_type.split(",") if p.strip()]
        if plover_type
        else None,
        "since": since,
        "until": until,
        "country": country.upper() if country else None,
        "place": place,
        "modality": modality,
        "text": text,
        "doc_id": doc_id,
    }


EVENT_FILTER_NAMES = (
    "actor",
    "source",
    "target",
    "code",
    "root",
    "quad_class",
    "plover_type",
    "since",
    "until",
    "country",
    "place",
    "modality",
    "text",
    "doc_id",
)


def only(*allowed: str):
    """A dependency refusing query parameters outside `allowed` (400 listing the allowed ones)."""
    allowed_set = set(allowed)

    def check(request: Request) -> None:
        unknown = sorted(set(request.query_params) - allowed_set)
        if unknown:
            raise HTTPException(
                400, f"unknown parameter(s): {', '.join(unknown)}; allowed: {', '.join(allowed)}"
            )

    return check


def encode_cursor(sort: str, after: tuple[Any, int]) -> str:
    """An opaque cursor for the page after the row `after` (sort key, row id)."""
    key = after[0].isoformat() if isinstance(after[0], dt.date) else after[0]
    raw = json.dumps([sort, key, after[1]], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    """The row a cursor points after; 400 when it is malformed or was made for another sort."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        cursor_sort, key, rowid = json.loads(raw)
        if cursor_sort != sort:
            raise HTTPException(400, f"this cursor was made for sort={cursor_sort}, not sort={sort}")
        if key is not None and sort.lstrip("-") == "date":
            key = dt.date.fromisoformat(key)
        elif key is not None and not isinstance(key, (int, float)):
            raise TypeError(key)
        if not isinstance(rowid, int) or isinstance(rowid, bool) or rowid < 0:
            raise TypeError(rowid)
    except HTTPException:
        raise
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        raise HTTPException(400, "malformed cursor: pass back the next_cursor of the previous page") from None
    return key, rowid
