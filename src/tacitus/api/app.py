"""The FastAPI application: JSON routes under /api, the web page at /, errors as one clear line."""

from __future__ import annotations

import threading
from importlib import resources
from pathlib import Path

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles

from tacitus import __version__
from tacitus.api.routes import router
from tacitus.config import Config
from tacitus.errors import UserError
from tacitus.store import Store

STATIC_DIR = Path(str(resources.files("tacitus") / "web" / "static"))
DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "path", "body"))
        given = error.get("input")
        shown = f" (got {given!r})" if isinstance(given, (str, int, float)) and len(str(given)) < 60 else ""
        parts.append(f"{where or 'request'}: {error.get('msg', 'invalid')}{shown}")
    return "; ".join(parts)


def create_app(
    store: Store,
    *,
    config: Config | None = None,
    token: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> FastAPI:
    """The app serving one open store; `token` enables POST /api/documents."""
    # docs_url=None: FastAPI's default /docs loads Swagger UI from a CDN; ours serves the bundled copy
    app = FastAPI(
        title="tacitus",
        version=__version__,
        docs_url=None,
        redoc_url=None,
        description="Political events, quotes and actors extracted from news articles.",
    )
    app.state.store = store
    app.state.config = config or Config(db=store.path)
    app.state.token = token or None
    app.state.max_bytes = max_bytes
    app.state.write_lock = threading.Lock()
    # writes get their own connection: the main one only hands out per-request read cursors
    app.state.writer = store.reader() if token else None

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
        return JSONResponse({"error": _validation_message(exc)}, status_code=422)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> JSONResponse:
        return JSONResponse({"error": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(UserError)
    async def user_error(request: Request, exc: UserError) -> JSONResponse:
        return JSONResponse({"error": str(exc)}, status_code=400)

    for route in router.routes:  # the docstring's line is the OpenAPI summary; group routes by resource
        if isinstance(route, APIRoute):
            route.summary = route.summary or (route.description or "").strip().splitlines()[0]
            route.tags = route.tags or [route.path.split("/")[2]]
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC_DIR / "index.html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title="tacitus API",
            swagger_js_url="/static/vendor/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui.css",
            swagger_favicon_url="data:,",
        )

    return app
