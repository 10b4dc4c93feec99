"""The JSON routes. Each is a few lines calling one `Store` query; the web page uses the same routes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Annotated, Any

import pycountry
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request

from tacitus import __version__
from tacitus.api import params, writes
from tacitus.api.params import EVENT_FILTER_NAMES, MAX_LIMIT, MAX_OFFSET, SORTS, event_filters, only
from tacitus.schema import Extraction
from tacitus.store import Store

router = APIRouter(prefix="/api")


def reader(request: Request) -> Iterator[Store]:
    """A store view on its own cursor for this request (DuckDB connections are not shared across threads)."""
    view = request.app.state.store.reader()
    try:
        yield view
    finally:
        view.con.close()


Reader = Annotated[Store, Depends(reader)]
Filters = Annotated[dict, Depends(event_filters)]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"rows per page, at most {MAX_LIMIT}")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip (prefer cursor for deep pages)")]
Date = Annotated[dt.date | None, Query(description="YYYY-MM-DD")]
Text = Annotated[str | None, Query(max_length=200, description="contains this text (case-insensitive)")]
Code = Annotated[
    str | None, Query(max_length=40, pattern=r"^[A-Za-z0-9]+$", description="CAMEO actor code prefix")
]


@router.get("/health", dependencies=[Depends(only())])
def health(store: Reader, request: Request) -> dict[str, Any]:
    """Server status, database path, row counts and whether writes are enabled."""
    counts = store.counts()
    return {
        "status": "ok",
        "version": __version__,
        "db": str(store.path),
        "documents": counts["documents"],
        "events": counts["events"],
        "quotes": counts["quotes"],
        "writable": request.app.state.token is not None,
    }


@router.get("/stats", dependencies=[Depends(only())])
def stats(store: Reader) -> dict[str, Any]:
    """Counts per table, date range, top root codes and source actors, last runs."""
    return store.stats()


@router.get("/documents", dependencies=[Depends(only("since", "until", "text", "source", "limit", "offset"))])
def documents(
    store: Reader,
    since: Date = None,
    until: Date = None,
    text: Text = None,
    source: Text = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Stored documents without their text, newest first."""
    items = store.document_page(
        since=since, until=until, text=text, source=source, limit=limit, offset=offset
    )
    return {"items": items, "limit": limit, "offset": offset}


@router.get("/documents/{doc_id:path}", response_model=Extraction, dependencies=[Depends(only())])
def document(store: Reader, doc_id: Annotated[str, Path(max_length=500)]) -> Extraction:
    """One document: its text and every entity, quote, event, place and time with character offsets."""
    found = store.document(doc_id)
    if found is None:
        raise HTTPException(404, f"no document with id {doc_id!r}")
    return found


POST_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {"oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]},
                "example": [
                    {
                        "id": "wire-0001",
                        "date": "2024-03-11",
                        "title": "Manila protests to Beijing",
                        "text": "The Philippines lodged a diplomatic protest with China on Monday ...",
                        "source": "Wire",
                    }
                ],
            }
        },
    }
}


@router.post("/documents", status_code=200, openapi_extra=POST_BODY)
async def post_documents(request: Request) -> dict[str, Any]:
    """Ingest one or many documents (reader JSON fields: id, date, text, title, source, url ...); needs the token."""
    return await writes.post_documents(request)


@router.get("/events", dependencies=[Depends(only(*EVENT_FILTER_NAMES, "limit", "cursor", "offset", "sort"))])
def events(
    store: Reader,
    filters: Filters,
    limit: Limit = 50,
    offset: Offset = 0,
    cursor: Annotated[str | None, Query(max_length=1000, description="next_cursor of the last page")] = None,
    sort: Annotated[str, Query(description=f"one of {', '.join(SORTS)}")] = "-date",
) -> dict[str, Any]:
    """Events matching the filters, one page at a time (limit + cursor), sorted by date, Goldstein or confidence."""
    if sort not in SORTS:
        raise HTTPException(422, f"unknown sort {sort!r}; use one of {', '.join(SORTS)}")
    after = params.decode_cursor(cursor, sort) if cursor else None
    items, next_after = store.event_page(filters, sort=sort, limit=limit, after=after, offset=offset)
    next_cursor = params.encode_cursor(sort, next_after) if next_after else None
    return {"items": items, "next_cursor": next_cursor, "limit": limit, "sort": sort}


@router.get("/stats/timeline", dependencies=[Depends(only(*EVENT_FILTER_NAMES, "interval", "group"))])
def timeline(
    store: Reader,
    filters: Filters,
    interval: Annotated[str, Query(pattern=r"^(day|week|month|year)$")] = "month",
    group: Annotated[
        str,
        Query(
            pattern=r"^(root|quad|plover|none)$",
            description="root (CAMEO root), quad (QuadClass), plover (type), none",
        ),
    ] = "root",
) -> dict[str, Any]:
    """Event counts per period, split by CAMEO root code, QuadClass or PLOVER type, with the event filters."""
    rows = store.event_timeline(filters, interval=interval, group=group)
    return {"interval": interval, "group": group, "items": rows}


@router.get("/stats/dyads", dependencies=[Depends(only(*EVENT_FILTER_NAMES, "limit"))])
def dyads(
    store: Reader, filters: Filters, limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100
) -> dict[str, Any]:
    """Source-target actor pairs with event counts, mean Goldstein and conflict events, most active first."""
    return {"items": store.event_dyads(filters, limit=limit)}


@router.get("/stats/places", dependencies=[Depends(only(*EVENT_FILTER_NAMES, "limit"))])
def places(
    store: Reader, filters: Filters, limit: Annotated[int, Query(ge=1, le=5000)] = 1000
) -> dict[str, Any]:
    """Event counts per location country (ISO alpha-3 and numeric) and per rounded coordinate, for the map."""
    found = store.event_places(filters, limit=limit)
    for row in found["countries"]:
        country = pycountry.countries.get(alpha_3=row["country"])
        row["numeric"] = country.numeric if country else None
        row["name"] = country.name if country else row["country"]
    return found


@router.get(
    "/quotes",
    dependencies=[Depends(only("speaker", "actor", "text", "since", "until", "doc_id", "limit", "offset"))],
)
def quotes(
    store: Reader,
    speaker: Text = None,
    actor: Code = None,
    text: Text = None,
    since: Date = None,
    until: Date = None,
    doc_id: Annotated[str | None, Query(max_length=200, description="quotes of one document")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Quotes with their speakers, newest first."""
    items = store.quote_page(
        speaker=speaker,
        actor=actor,
        text=text,
        since=since,
        until=until,
        doc_id=doc_id,
        limit=limit,
        offset=offset,
    )
    return {"items": items, "limit": limit, "offset": offset}


@router.get("/quotes/speakers", dependencies=[Depends(only("name", "limit"))])
def speakers(
    store: Reader, name: Text = None, limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100
) -> dict[str, Any]:
    """Speakers with their number of quotes and documents, most quoted first."""
    return {"items": store.quote_speakers(name=name, limit=limit)}


@router.get("/entities", dependencies=[Depends(only("name", "type", "actor", "since", "until", "limit"))])
def entities(
    store: Reader,
    name: Text = None,
    type: Annotated[str | None, Query(pattern=r"^[A-Za-z_]+$")] = None,
    actor: Code = None,
    since: Date = None,
    until: Date = None,
    limit: Limit = 50,
) -> dict[str, Any]:
    """Entities across documents grouped by name, type and actor code, most mentioned first."""
    return {"items": store.entities(actor=actor, text=name, type=type, since=since, until=until, limit=limit)}
