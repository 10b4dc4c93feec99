"""POST /api/documents: the server is the one DuckDB writer, so posted documents are ingested here.

Posted records go through the same record reader and `tacitus.ingest.ingest_documents` as `tacitus ingest`,
one request at a time, under the API token.
"""

from __future__ import annotations

import hmac
import json
from typing import Any

from fastapi import HTTPException, Request
from starlette.concurrency import run_in_threadpool

from tacitus.errors import UserError
from tacitus.readers.records import record_document
from tacitus.schema import Failure

MAX_DOCUMENTS = 1000


def check_token(request: Request) -> None:
    """401/403 unless the request carries `Authorization: Bearer <TACITUS_API_TOKEN>`; 403 when none is set."""
    token: str | None = request.app.state.token
    if not token:
        raise HTTPException(
            403, "writes are disabled: start the server with TACITUS_API_TOKEN set to allow them"
        )
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        raise HTTPException(
            401,
            "missing API token: send the header 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    if not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPException(403, "wrong API token")


async def read_body(request: Request, max_bytes: int) -> bytes:
    """The request body, refused with 413 as soon as it passes `max_bytes` (declared or streamed)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise HTTPException(
            413, f"request body of {int(declared):,} bytes is over the limit of {max_bytes:,}"
        )
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > max_bytes:
            raise HTTPException(413, f"request body is over the limit of {max_bytes:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def parse_records(body: bytes) -> list[dict[str, Any]]:
    """Documents from a JSON body: one object, a list of objects, or {"documents": [...]}."""
    if not body.strip():
        raise HTTPException(
            400, "empty body: send a JSON object or a list of objects with at least text and date"
        )
    try:
        data = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise HTTPException(400, f"body is not valid JSON: {exc}") from None
    if isinstance(data, dict) and isinstance(data.get("documents"), list):
        data = data["documents"]
    records = data if isinstance(data, list) else [data]
    if not records:
        raise HTTPException(422, "no documents in the body")
    if len(records) > MAX_DOCUMENTS:
        raise HTTPException(413, f"{len(records):,} documents in one request; send at most {MAX_DOCUMENTS:,}")
    problems = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise HTTPException(
                422, f"document {number}: expected a JSON object, found {type(record).__name__}"
            )
        found = record_document(record, path="request", line=number, default_date=None)
        if isinstance(found, Failure):
            problems.append(f"document {number}: {found.reason}")
    if len(problems) == len(records):  # nothing usable: say so without loading the pipeline
        raise HTTPException(422, "no document could be ingested: " + "; ".join(problems[:10]))
    return records


def _ingest_records(state: Any, records: list[dict[str, Any]]) -> dict[str, Any]:
    from tacitus.ingest import ingest_documents

    items = [record_document(record, path="request", line=n, default_date=None)
             for n, record in enumerate(records, start=1)]
    with state.write_lock:
        summary = ingest_documents(items, store=state.writer, config=state.config, inputs=["POST /api/documents"])
    failures = [
        f"document {f.line}: {f.reason}" if f.line else f"{f.doc_id or 'document'}: {f.reason}"
        for f in summary.failures
    ]
    return {
        "run_id": summary.run_id,
        "received": len(records),
        "written": summary.written,
        "skipped": summary.skipped,
        "records": summary.records,
        "failures": failures,
    }


async def post_documents(request: Request) -> dict[str, Any]:
    """Check the token, read and validate the body, ingest it in a worker thread (one write at a time)."""
    check_token(request)
    records = parse_records(await read_body(request, request.app.state.max_bytes))
    try:
        result = await run_in_threadpool(_ingest_records, request.app.state, records)
    except UserError as exc:
        raise HTTPException(422, str(exc)) from None
    if result["failures"] and not result["written"] and not result["skipped"]:
        raise HTTPException(422, "no document could be ingested: " + "; ".join(result["failures"][:10]))
    return result
