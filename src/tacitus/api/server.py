"""Starting the server, and the info file beside the database that tells other commands it is held.

DuckDB allows one process to hold a database for writing; while `tacitus serve` runs, `<db>.server.json`
holds its URL and pid so `tacitus ingest` can say "post to http://... instead" rather than a lock error.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import AsyncIterator
from pathlib import Path

from tacitus.api.app import DEFAULT_MAX_BYTES, create_app
from tacitus.config import Config
from tacitus.store import Store


def info_path(db_path: Path | str) -> Path:
    """The server info file of a database: `<db>.server.json`."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + ".server.json")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def running_server(db_path: Path | str) -> str | None:
    """URL of a live tacitus server holding this database, or None (a stale info file is ignored)."""
    path = info_path(db_path)
    try:
        info = json.loads(path.read_text(encoding="utf-8"))
        url, pid = str(info["url"]), int(info["pid"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return url if _alive(pid) else None


def write_info(db_path: Path, url: str) -> Path:
    """Record that this process serves `db_path` at `url`."""
    path = info_path(db_path)
    path.write_text(
        json.dumps({"url": url, "pid": os.getpid(), "db": str(db_path.resolve())}), encoding="utf-8"
    )
    return path


def remove_info(db_path: Path) -> None:
    """Remove the info file if it is ours."""
    path = info_path(db_path)
    try:
        if json.loads(path.read_text(encoding="utf-8")).get("pid") == os.getpid():
            path.unlink()
    except (OSError, ValueError):
        pass


def open_store(db_path: Path, *, writable: bool) -> Store:
    """The server's store: read-write when posting is enabled (it is then the one writer), else read-only."""
    if writable:
        return Store(db_path)
    if not db_path.exists():
        Store(db_path).close()  # an empty database, so the page works before the first ingest
    return Store(db_path, read_only=True)


def serve(
    db_path: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    config: Config | None = None,
    token: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    parquet: Path | None = None,
) -> None:
    """Run the API and web page with uvicorn until interrupted (on the DuckDB file, or a Parquet tree)."""
    import uvicorn

    token = token if token is not None else os.environ.get("TACITUS_API_TOKEN") or None
    if parquet is not None:
        token = None  # a Parquet tree is served read-only
        store = Store.from_parquet(parquet)
    else:
        store = open_store(db_path, writable=token is not None)
    app = create_app(store, config=config, token=token, max_bytes=max_bytes)
    shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    url = f"http://{shown_host}:{port}"

    @contextlib.asynccontextmanager
    async def lifespan(_app: object) -> AsyncIterator[None]:
        # in the app's lifespan, not around uvicorn.run: uvicorn re-raises SIGTERM/SIGINT after its shutdown,
        # which would skip a `finally` there and leave a stale info file
        if parquet is None:
            write_info(db_path, url)
        try:
            yield
        finally:
            if parquet is None:
                remove_info(db_path)

    app.router.lifespan_context = lifespan
    try:
        uvicorn.run(app, host=host, port=port, log_level="info")
    finally:
        if parquet is None:
            remove_info(db_path)
        store.close()
