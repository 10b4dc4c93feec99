"""The one class that owns the DuckDB database: every SQL statement of tacitus lives here.

Tables are derived from `schema.table_schemas()`. Writes are bulk Arrow appends inside one transaction per
batch, so a killed process never leaves half a document: DuckDB rolls back what was not committed.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar, Self

import duckdb
import pyarrow as pa

from tacitus.errors import UserError
from tacitus.schema import (
    SCHEMA_VERSION,
    Extraction,
    Failure,
    extraction_rows,
    flat_fields,
    rebuild_extraction,
    table_schemas,
)


class StoreError(UserError):
    """The database cannot be opened or used as asked."""


RECORD_TABLE_ORDER = ["documents", "entities", "mentions", "quotes", "events", "places", "times", "themes",
                      "amounts"]
RUNS_SCHEMA = pa.schema([
    ("id", pa.string()), ("started_at", pa.timestamp("us")), ("finished_at", pa.timestamp("us")),
    ("tool_version", pa.string()), ("model", pa.string()), ("versions", pa.string()), ("timings", pa.string()),
    ("inputs", pa.string()), ("documents", pa.int64()), ("skipped", pa.int64()), ("failures", pa.int64()),
])

# Migrations after the initial layout: (version, list of SQL statements). Columns added to schema.py are
# also added automatically by `_sync_columns`, so a migration is only needed for renames and data changes.
MIGRATIONS: list[tuple[int, list[str]]] = []


def _like(text: str) -> str:
    """A LIKE pattern matching `text` literally anywhere (wildcards in user text are escaped)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _prefix(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


class Store:
    """A tacitus DuckDB database file (or, read-only, a tree of Parquet files)."""

    def __init__(self, path: Path | str, *, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise StoreError(f"no database at {self.path} (run `tacitus ingest` first, or pass --db)")
        try:
            self.con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            raise StoreError(self._open_error(exc)) from None
        except duckdb.Error as exc:
            raise StoreError(f"cannot open {self.path} as a DuckDB database: {str(exc).splitlines()[0]}") from None
        if not read_only:
            self._migrate()

    def _open_error(self, exc: Exception) -> str:
        message = str(exc)
        if "lock" in message.lower():
            try:
                from tacitus.api.server import running_server
            except ImportError:  # the server module is optional at this layer
                running_server = None
            url = running_server(self.path) if running_server else None
            if url:
                return (f"{self.path} is held by a running tacitus server; post documents to {url}/api/documents "
                        "or stop the server first")
            return f"{self.path} is open in another process (one writer at a time); stop it and retry"
        return f"cannot open {self.path}: {message.splitlines()[0]}"

    @classmethod
    def from_parquet(cls, directory: Path | str) -> Store:
        """A store over a Parquet tree written by the Ray engine (`DIR/<table>/month=.../*.parquet`), read into
        an in-memory DuckDB database; nothing is written back to the tree."""
        root = Path(directory)
        if not root.is_dir():
            raise StoreError(f"no Parquet tree at {root}")
        store = cls.__new__(cls)
        store.path = root
        store.read_only = True
        store.con = duckdb.connect(":memory:")
        for table, schema in (table_schemas() | {"runs": RUNS_SCHEMA}).items():
            files = sorted(root.glob(f"{table}/**/*.parquet"))
            if files:
                pattern = str(root / table / "**" / "*.parquet").replace("'", "''")
                columns = ", ".join(f'"{f.name}"' for f in schema)
                # copied into in-memory tables (not views): queries and the API's row ids work as on a file
                store.con.execute(f'CREATE TABLE "{table}" AS SELECT {columns} FROM read_parquet(\'{pattern}\', '
                                  "hive_partitioning = true, union_by_name = true)")
            else:
                store.con.register("_empty", schema.empty_table())  # visible to every cursor, unlike a view of it
                store.con.execute(f'CREATE TABLE "{table}" AS SELECT * FROM _empty')
                store.con.unregister("_empty")
        return store

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----------------------------------------------------------------------------------------- schema
    def _migrate(self) -> None:
        self.con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        rows = self.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
        version = int(rows[0][0]) if rows else 0
        if version > SCHEMA_VERSION:
            raise StoreError(f"{self.path} was written by a newer tacitus (schema {version}); upgrade tacitus")
        schemas = table_schemas() | {"runs": RUNS_SCHEMA}
        for table, schema in schemas.items():
            self.con.register("_empty", schema.empty_table())
            self.con.execute(f'CREATE TABLE IF NOT EXISTS "{table}" AS SELECT * FROM _empty')
            self.con.unregister("_empty")
            self._sync_columns(table, schema)
        for target, statements in MIGRATIONS:
            if version < target:
                for statement in statements:
                    self.con.execute(statement)
        self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])
        self.con.execute("CREATE INDEX IF NOT EXISTS documents_id ON documents (id)")
        self.ensure_cluster_tables()

    def _sync_columns(self, table: str, schema: pa.Schema) -> None:
        """Add columns that schema.py gained since the file was created (additive migration)."""
        existing = {r[0] for r in self.con.execute(f'DESCRIBE "{table}"').fetchall()}
        for field in schema:
            if field.name not in existing:
                self.con.execute(f'ALTER TABLE "{table}" ADD COLUMN "{field.name}" {_duck_type(field.type)}')

    # ----------------------------------------------------------------------------------------- writes
    def known_documents(self) -> dict[str, str]:
        """id -> text hash of every stored document (for idempotent, resumable ingest)."""
        return dict(self.con.execute("SELECT id, text_hash FROM documents").fetchall())

    def failed_documents(self) -> dict[str, str]:
        """doc id -> text hash of documents that failed extraction before."""
        rows = self.con.execute(
            "SELECT doc_id, text_hash FROM failures WHERE doc_id IS NOT NULL AND stage = 'extract'").fetchall()
        return dict(rows)

    def write(self, extractions: Sequence[Extraction], failures: Sequence[Failure] = (), *,
              hashes: dict[str, str], run_id: str | None = None, fresh: set[str] | frozenset[str] = frozenset()
              ) -> None:
        """Replace the records of these documents and record failures, atomically (one transaction).

        `fresh`: ids the caller knows have no rows yet, so their deletes are skipped (keeps big ingests linear)."""
        schemas = table_schemas()
        extractions = list({e.document.id: e for e in extractions}.values())  # a repeated id: the last wins
        rows: dict[str, list[dict]] = {t: [] for t in RECORD_TABLE_ORDER}
        for extraction in extractions:
            for table, table_rows in extraction_rows(extraction, text_hash=hashes[extraction.document.id],
                                                     run_id=run_id).items():
                rows[table].extend(table_rows)
        doc_ids = [e.document.id for e in extractions]
        failed_ids = [f.doc_id for f in failures if f.doc_id]
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        failure_rows = [f.model_dump() | {"run_id": run_id, "created_at": now} for f in failures]
        self.con.execute("BEGIN TRANSACTION")
        try:
            replace = [i for i in doc_ids + failed_ids if i not in fresh]
            if replace:
                self.con.register("_ids", pa.table({"id": pa.array(replace, pa.string())}))
                for table in RECORD_TABLE_ORDER:
                    key = "id" if table == "documents" else "doc_id"
                    self.con.execute(f'DELETE FROM "{table}" WHERE {key} IN (SELECT id FROM _ids)')
                self.con.execute("DELETE FROM failures WHERE doc_id IN (SELECT id FROM _ids)")
                self.con.unregister("_ids")
            for table in RECORD_TABLE_ORDER:
                if rows[table]:
                    self._append(table, pa.Table.from_pylist(rows[table], schema=schemas[table]))
            if failure_rows:
                paths = [(f.path, f.line) for f in failures if not f.doc_id and f.path]
                for path, line in paths:  # a re-read input failing again replaces its old failure record
                    self.con.execute("DELETE FROM failures WHERE doc_id IS NULL AND path = ? AND line IS NOT DISTINCT FROM ?",
                                     [path, line])
                self._append("failures", pa.Table.from_pylist(failure_rows, schema=schemas["failures"]))
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    def _append(self, table: str, data: pa.Table) -> None:
        self.con.register("_batch", data)
        try:
            self.con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM _batch')
        finally:
            self.con.unregister("_batch")

    def append_table(self, table: str, data: pa.Table) -> None:
        """Bulk-append an Arrow table (benchmarks, Parquet loads)."""
        self._append(table, data)

    def load_parquet(self, root: Path) -> dict[str, int]:
        """Load a Parquet tree (Ray engine output) into this database: new or changed documents replace
        their records, identical ones are skipped (idempotent by document id and text hash)."""
        root = Path(root)
        if not any(root.glob("documents/**/*.parquet")) and not any(root.glob("failures/**/*.parquet")):
            raise StoreError(f"no tacitus Parquet tree at {root} (expected {root}/documents/month=.../*.parquet)")
        schemas = table_schemas()

        def source(table: str) -> str | None:
            if not any(root.glob(f"{table}/**/*.parquet")):
                return None
            pattern = str(root / table / "**" / "*.parquet").replace("'", "''")
            columns = ", ".join(f'"{f.name}"' for f in schemas[table])
            return (f"(SELECT {columns} FROM read_parquet('{pattern}', hive_partitioning = true, "
                    "union_by_name = true))")

        loaded: dict[str, int] = {}
        self.con.execute("BEGIN TRANSACTION")
        try:
            documents = source("documents")
            if documents:
                self.con.execute(f"CREATE OR REPLACE TEMP TABLE _incoming AS SELECT DISTINCT p.id FROM {documents} p "
                                 "LEFT JOIN documents d ON d.id = p.id AND d.text_hash = p.text_hash WHERE d.id IS NULL")
                for table in RECORD_TABLE_ORDER:
                    key = "id" if table == "documents" else "doc_id"
                    self.con.execute(f'DELETE FROM "{table}" WHERE {key} IN (SELECT id FROM _incoming)')
                    rows = source(table)
                    if rows:
                        self.con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM {rows} '
                                         f"WHERE {key} IN (SELECT id FROM _incoming)")
                loaded["documents"] = self.con.execute("SELECT count(*) FROM _incoming").fetchall()[0][0]
                self.con.execute("DROP TABLE _incoming")
            failures = source("failures")
            if failures:
                self.con.execute("INSERT INTO failures BY NAME SELECT DISTINCT ON (path, line, doc_id, reason) * "
                                 f"FROM {failures} f WHERE NOT EXISTS ("
                                 "SELECT 1 FROM failures g WHERE g.path IS NOT DISTINCT FROM f.path AND g.line IS NOT "
                                 "DISTINCT FROM f.line AND g.doc_id IS NOT DISTINCT FROM f.doc_id AND g.reason = f.reason)")
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise
        return loaded

    def start_run(self, *, versions: dict[str, str], inputs: Iterable[str]) -> str:
        """Record the start of an ingest run and return its id."""
        run_id = uuid.uuid4().hex[:12]
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self.con.execute(
            "INSERT INTO runs (id, started_at, tool_version, model, versions, inputs) VALUES (?, ?, ?, ?, ?, ?)",
            [run_id, now, versions.get("tacitus"), versions.get("model"), json.dumps(versions),
             json.dumps(list(inputs))])
        return run_id

    def finish_run(self, run_id: str, *, versions: dict[str, str], timings: dict[str, Any], documents: int,
                   skipped: int, failures: int) -> None:
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        self.con.execute(
            "UPDATE runs SET finished_at = ?, versions = ?, model = ?, timings = ?, documents = ?, skipped = ?,"
            " failures = ? WHERE id = ?",
            [now, json.dumps(versions), versions.get("model"), json.dumps(timings), documents, skipped, failures,
             run_id])

    # ----------------------------------------------------------------------------------------- queries
    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.con.execute(sql, list(params))
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]

    def counts(self) -> dict[str, int]:
        """Number of rows per table."""
        tables = [*RECORD_TABLE_ORDER, "failures", "runs"]
        return {t: self.con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in tables}

    def stats(self) -> dict[str, Any]:
        """Counts, date range, top event codes and actors, last runs."""
        counts = self.counts()
        first, last = self.con.execute("SELECT min(date), max(date) FROM documents").fetchall()[0]
        top_codes = self._rows("SELECT root_code, count(*) AS events FROM events WHERE modality = 'asserted' "
                               "GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10")
        top_actors = self._rows("SELECT source_actor_code AS actor, count(*) AS events FROM events "
                                "WHERE source_actor_code IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 10")
        runs = self._rows("SELECT id, started_at, finished_at, model, documents, skipped, failures FROM runs "
                          "ORDER BY started_at DESC LIMIT 5")
        return {"counts": counts, "first_date": first, "last_date": last, "top_root_codes": top_codes,
                "top_source_actors": top_actors, "runs": runs}

    def documents(self, *, since: dt.date | None = None, until: dt.date | None = None, text: str | None = None,
                  limit: int = 50) -> list[dict[str, Any]]:
        """Stored documents (without their text), newest first."""
        where, params = _date_filter("date", since, until)
        if text:
            where.append("(text ILIKE ? ESCAPE '\\' OR title ILIKE ? ESCAPE '\\')")
            params += [_like(text), _like(text)]
        sql = ("SELECT id, date, title, source, url, length(text) AS chars, "
               "(SELECT count(*) FROM events e WHERE e.doc_id = d.id) AS events, "
               "(SELECT count(*) FROM quotes q WHERE q.doc_id = d.id) AS quotes "
               f"FROM documents d {_where(where)} ORDER BY date DESC, id LIMIT ?")
        return self._rows(sql, [*params, limit])

    def entities(self, *, actor: str | None = None, text: str | None = None, type: str | None = None,
                 since: dt.date | None = None, until: dt.date | None = None, limit: int = 50) -> list[dict]:
        """Entities across documents, grouped by name and actor code, most mentioned first."""
        where, params = _date_filter("d.date", since, until)
        if actor:
            where.append("e.actor_code LIKE ? ESCAPE '\\'")
            params.append(_prefix(actor.upper()))
        if text:
            where.append("e.name ILIKE ? ESCAPE '\\'")
            params.append(_like(text))
        if type:
            where.append("e.type = ?")
            params.append(type.upper())
        sql = ("SELECT e.name, e.type, e.actor_code, count(DISTINCT e.doc_id) AS documents, "
               "sum((SELECT count(*) FROM mentions m WHERE m.doc_id = e.doc_id AND m.entity_id = e.id)) AS mentions,"
               " list_distinct(flatten(list(e.titles)))[1:3] AS titles "
               f"FROM entities e JOIN documents d ON d.id = e.doc_id {_where(where)} "
               "GROUP BY 1, 2, 3 ORDER BY mentions DESC, e.name LIMIT ?")
        return self._rows(sql, [*params, limit])

    def events(self, *, actor: str | None = None, source: str | None = None, target: str | None = None,
               code: str | None = None, since: dt.date | None = None, until: dt.date | None = None,
               text: str | None = None, all_modalities: bool = False, limit: int = 50) -> list[dict]:
        """Events with the CLI filters; actor/source/target/code match as prefixes (CHN matches CHNGOV)."""
        where, params = _date_filter("ev.date", since, until)
        if not all_modalities:
            where.append("ev.modality = 'asserted'")
        if actor:
            where.append("(ev.source_actor_code LIKE ? ESCAPE '\\' OR ev.target_actor_code LIKE ? ESCAPE '\\')")
            params += [_prefix(actor.upper())] * 2
        if source:
            where.append("ev.source_actor_code LIKE ? ESCAPE '\\'")
            params.append(_prefix(source.upper()))
        if target:
            where.append("ev.target_actor_code LIKE ? ESCAPE '\\'")
            params.append(_prefix(target.upper()))
        if code:
            where.append("ev.cameo LIKE ? ESCAPE '\\'")
            params.append(_prefix(code))
        if text:
            where.append("substr(d.text, ev.sentence_start + 1, ev.sentence_end - ev.sentence_start) ILIKE ? "
                         "ESCAPE '\\'")
            params.append(_like(text))
        sql = ("SELECT ev.doc_id, ev.id, ev.date, ev.source_actor_code AS source, ev.cameo, ev.cameo_name, "
               "ev.target_actor_code AS target, ev.modality, ev.goldstein, ev.plover_type, "
               "ev.source_text, ev.trigger_text, ev.target_text, ev.location_name, "
               "substr(d.text, ev.sentence_start + 1, ev.sentence_end - ev.sentence_start) AS sentence "
               f"FROM events ev JOIN documents d ON d.id = ev.doc_id {_where(where)} "
               "ORDER BY ev.date DESC, ev.doc_id, ev.seq LIMIT ?")
        return self._rows(sql, [*params, limit])

    def quotes(self, *, speaker: str | None = None, actor: str | None = None, text: str | None = None,
               since: dt.date | None = None, until: dt.date | None = None, limit: int = 50) -> list[dict]:
        """Quotes with their speakers; speaker matches the name as written or resolved."""
        where, params = _quote_filter(speaker=speaker, actor=actor, text=text, since=since, until=until)
        sql = ("SELECT q.doc_id, q.id, d.date, q.kind, q.speaker_name, q.speaker_text, q.speaker_actor_code, "
               "q.cue_text, q.text "
               f"FROM quotes q JOIN documents d ON d.id = q.doc_id {_where(where)} "
               "ORDER BY d.date DESC, q.doc_id, q.seq LIMIT ?")
        return self._rows(sql, [*params, limit])

    def failures(self, *, limit: int = 50) -> list[dict]:
        """Recorded failures, newest first."""
        return self._rows("SELECT path, line, doc_id, stage, reason, created_at FROM failures "
                          "ORDER BY created_at DESC, path, line LIMIT ?", [limit])

    def document(self, doc_id: str) -> Extraction | None:
        """One document with every record, rebuilt as the Extraction the pipeline produced."""
        docs = self._rows("SELECT * FROM documents WHERE id = ?", [doc_id])
        if not docs:
            return None
        tables = {t: self._rows(f'SELECT * FROM "{t}" WHERE doc_id = ? ORDER BY seq', [doc_id])
                  for t in RECORD_TABLE_ORDER if t != "documents"}
        return rebuild_extraction(docs[0], tables)

    # ------------------------------------------------------------------------ API queries (tacitus serve)
    # Filters arrive as a dict whose keys the API has already checked against EVENT_FILTERS; values are
    # always passed as parameters, never formatted into SQL (only whitelisted names are).
    EVENT_FILTERS = ("actor", "source", "target", "code", "root", "quad_class", "plover_type", "since", "until",
                     "country", "place", "modality", "text", "doc_id")
    EVENT_SORTS: ClassVar[dict[str, str]] = {"date": "ev.date", "goldstein": "ev.goldstein",
                                             "confidence": "ev.confidence"}
    TIMELINE_GROUPS: ClassVar[dict[str, str]] = {"none": "NULL", "root": "ev.root_code",
                                                 "quad": "CAST(ev.quad_class AS VARCHAR)", "plover": "ev.plover_type"}
    TIMELINE_INTERVALS = ("day", "week", "month", "year")

    def reader(self) -> Store:
        """This store on its own DuckDB cursor, for one thread (the server's per-request reader)."""
        view = object.__new__(Store)
        view.__dict__.update(self.__dict__)
        view.con = self.con.cursor()
        return view

    @staticmethod
    def _actor_match(side: str, value: str) -> tuple[str, list[Any]]:
        """An actor as a CAMEO code prefix (all capitals: USA, CHNGOV) or else a name in the text or entity."""
        if value.isupper() and value.isalnum() and len(value) >= 3:  # starts_with: 2x faster than LIKE .. ESCAPE
            return f"starts_with(ev.{side}_actor_code, ?)", [value]
        clause = (f"(ev.{side}_text ILIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM entities en WHERE "
                  f"en.doc_id = ev.doc_id AND en.id = ev.{side}_entity AND en.name ILIKE ? ESCAPE '\\'))")
        return clause, [_like(value)] * 2

    def _event_where(self, filters: dict[str, Any]) -> tuple[list[str], list[Any], bool]:
        """WHERE clauses and parameters for the event filters; the flag says the documents join is needed."""
        unknown = set(filters) - set(self.EVENT_FILTERS)
        if unknown:
            raise StoreError(f"unknown event filter(s): {', '.join(sorted(unknown))}")
        f = {k: v for k, v in filters.items() if v not in (None, "", [])}
        where, params = _date_filter("ev.date", f.get("since"), f.get("until"))
        modality = f.get("modality", "asserted")
        if modality != "any":
            values = [m.strip() for m in str(modality).split(",") if m.strip()]
            where.append(f"ev.modality IN ({', '.join('?' * len(values))})" if len(values) > 1 else "ev.modality = ?")
            params += values
        if f.get("actor"):
            src, src_params = self._actor_match("source", f["actor"])
            tgt, tgt_params = self._actor_match("target", f["actor"])
            where.append(f"({src} OR {tgt})")
            params += src_params + tgt_params
        for side in ("source", "target"):
            if f.get(side):
                clause, side_params = self._actor_match(side, f[side])
                where.append(clause)
                params += side_params
        if f.get("code"):
            where.append("starts_with(ev.cameo, ?)")
            params.append(str(f["code"]))
        for key, column in (("root", "ev.root_code"), ("quad_class", "ev.quad_class"),
                            ("plover_type", "upper(ev.plover_type)"), ("country", "ev.location_country"),
                            ("doc_id", "ev.doc_id")):
            if f.get(key):
                values = list(f[key]) if isinstance(f[key], (list, tuple)) else [f[key]]
                where.append(f"{column} IN ({', '.join('?' * len(values))})")
                params += values
        if f.get("place"):
            where.append("ev.location_name ILIKE ? ESCAPE '\\'")
            params.append(_like(f["place"]))
        joined = bool(f.get("text"))
        if joined:
            where.append("substr(d.text, ev.sentence_start + 1, ev.sentence_end - ev.sentence_start) ILIKE ? "
                         "ESCAPE '\\'")
            params.append(_like(f["text"]))
        return where, params, joined

    def _event_from(self, filters: dict[str, Any]) -> tuple[str, list[Any]]:
        where, params, joined = self._event_where(filters)
        join = "JOIN documents d ON d.id = ev.doc_id " if joined else ""
        return f"FROM events ev {join}{_where(where)}", params

    EVENT_COLUMNS = ("doc_id", "id", "date", "date_precision", "date_text", "cameo", "cameo_name", "root_code",
                     "quad_class", "goldstein", "plover_type", "plover_mode", "source_text", "source_actor_code",
                     "target_text", "target_actor_code", "trigger_text", "location_name", "location_country",
                     "modality", "confidence")

    def event_page(self, filters: dict[str, Any], *, sort: str = "-date", limit: int = 50,
                   after: tuple[Any, int] | None = None, offset: int = 0,
                   ) -> tuple[list[dict[str, Any]], tuple[Any, int] | None]:
        """One page of events (keyset pagination after `after` = (sort key, rowid)), with sentence and title.

        Late materialisation: the top-N runs over the sort key and row ids only (plain column, NULLS LAST, so
        DuckDB prunes row groups by their min/max; rowid breaks ties, far cheaper than doc_id strings), then
        the page's rows and documents are fetched by id. A write between two pages may shift a cursor.
        """
        descending = sort.startswith("-")
        key = self.EVENT_SORTS[sort.lstrip("-")]
        where, params, joined = self._event_where(filters)
        if after is not None:
            if after[0] is None:
                where.append(f"({key} IS NULL AND ev.rowid > ?)")
                params.append(after[1])
            else:
                op = "<" if descending else ">"
                where.append(f"({key} {op} ? OR {key} IS NULL OR ({key} = ? AND ev.rowid > ?))")
                params += [after[0], after[0], after[1]]
        join = "JOIN documents d ON d.id = ev.doc_id " if joined else ""
        direction = "DESC" if descending else "ASC"
        self.con.execute("BEGIN TRANSACTION")  # one snapshot for every read of the page
        try:
            if sort.lstrip("-") != "date":
                # Few distinct Goldstein/confidence values: a top-N with the rowid tie-break sorts every row.
                # First find the key of the last row wanted (a cheap top-N on the key alone), then sort only
                # the rows at or before it; they are a prefix of the full order, so the page is the same.
                edge = self.con.execute(
                    f"SELECT {key} FROM events ev {join}{_where(where)} ORDER BY {key} {direction} NULLS LAST "
                    "LIMIT 1 OFFSET ?", [*params, offset + limit]).fetchone()
                if edge is not None and edge[0] is not None:
                    where = [*where, f"{key} {'>=' if descending else '<='} ?"]
                    params = [*params, edge[0]]
            top = self.con.execute(
                f"SELECT ev.rowid, {key}, ev.doc_id FROM events ev {join}{_where(where)} "
                f"ORDER BY {key} {direction} NULLS LAST, ev.rowid LIMIT ? OFFSET ?",
                [*params, limit + 1, offset]).fetchall()
            page = top[:limit]
            columns = ", ".join(f'"{c}"' for c in self.EVENT_COLUMNS)
            found = {r["rowid"]: r for r in self._rows(
                f"SELECT rowid, {columns}, sentence_start, sentence_end FROM events WHERE rowid = ANY(?::BIGINT[])",
                [[r[0] for r in page]])}
            doc_ids = sorted({r[2] for r in page})
            docs = {r["id"]: r for r in self._rows(
                f"SELECT id, title, date, text FROM documents WHERE id IN ({', '.join('?' * len(doc_ids))})",
                doc_ids)} if doc_ids else {}
        finally:
            self.con.execute("COMMIT")
        rows = []
        for rowid, *_ in page:
            row = found[rowid]
            doc = docs.get(row["doc_id"], {})
            start, end = row.pop("sentence_start"), row.pop("sentence_end")
            del row["rowid"]
            text = doc.get("text") or ""
            row |= {"title": doc.get("title"), "doc_date": doc.get("date"),
                    "sentence": text[start:end] if start is not None and end is not None else None}
            rows.append(row)
        next_after = (page[-1][1], page[-1][0]) if len(top) > limit else None
        return rows, next_after

    def event_timeline(self, filters: dict[str, Any], *, interval: str = "month", group: str = "root",
                       ) -> list[dict[str, Any]]:
        """Event counts per period (day, week, month, year) and group (root code, QuadClass, PLOVER type)."""
        if interval not in self.TIMELINE_INTERVALS or group not in self.TIMELINE_GROUPS:
            raise StoreError(f"bad timeline interval or group: {interval}, {group}")
        source, params = self._event_from(filters)
        source += (" AND" if " WHERE " in source else " WHERE") + " ev.date IS NOT NULL"
        sql = (f"SELECT CAST(date_trunc('{interval}', ev.date) AS DATE) AS period, "
               f"{self.TIMELINE_GROUPS[group]} AS grp, count(*) AS events, avg(ev.goldstein) AS goldstein "
               f"{source} GROUP BY 1, 2 ORDER BY 1, 2")
        return self._rows(sql, params)

    def event_dyads(self, filters: dict[str, Any], *, limit: int = 100) -> list[dict[str, Any]]:
        """Source-target pairs (actor code, else the text as written) with event counts and mean Goldstein."""
        source, params = self._event_from(filters)
        sql = ("SELECT coalesce(ev.source_actor_code, ev.source_text) AS source, "
               "coalesce(ev.target_actor_code, ev.target_text) AS target, count(*) AS events, "
               "avg(ev.goldstein) AS goldstein, count(*) FILTER (WHERE ev.quad_class >= 3) AS conflict "
               f"{source} GROUP BY 1, 2 HAVING source IS NOT NULL AND target IS NOT NULL "
               "ORDER BY events DESC, source, target LIMIT ?")
        return self._rows(sql, [*params, limit])

    def event_places(self, filters: dict[str, Any], *, limit: int = 1000) -> dict[str, list[dict[str, Any]]]:
        """Event counts per location country and per rounded coordinate, for the map."""
        source, params = self._event_from(filters)
        countries = self._rows(f"SELECT ev.location_country AS country, count(*) AS events {source} "
                               "GROUP BY 1 HAVING country IS NOT NULL ORDER BY 2 DESC", params)
        # group by the exact coordinates first (few distinct places), round afterwards: 4x faster than
        # rounding a million doubles
        points = self._rows("SELECT round(lat, 1) AS lat, round(lon, 1) AS lon, min(name) AS name, "
                            "sum(n) AS events, sum(g) / nullif(sum(gn), 0) AS goldstein FROM (SELECT ev.location_lat AS lat, "
                            "ev.location_lon AS lon, any_value(ev.location_name) AS name, count(*) AS n, "
                            f"sum(ev.goldstein) AS g, count(ev.goldstein) AS gn {source} GROUP BY 1, 2) "
                            "WHERE lat IS NOT NULL AND lon IS NOT NULL GROUP BY 1, 2 ORDER BY events DESC LIMIT ?",
                            [*params, limit])
        return {"countries": countries, "points": points}

    def quote_page(self, *, speaker: str | None = None, actor: str | None = None, text: str | None = None,
                   since: dt.date | None = None, until: dt.date | None = None, doc_id: str | None = None,
                   limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
        """Quotes with speaker, offsets and document, newest first."""
        where, params = _quote_filter(speaker=speaker, actor=actor, text=text, since=since, until=until)
        if doc_id:
            where.append("q.doc_id = ?")
            params.append(doc_id)
        sql = ("SELECT q.doc_id, q.id, d.date, d.title, q.kind, q.speaker_name, q.speaker_text, "
               "q.speaker_actor_code, q.cue_text, q.text, q.start, q.\"end\" "
               f"FROM quotes q JOIN documents d ON d.id = q.doc_id {_where(where)} "
               "ORDER BY d.date DESC, q.doc_id, q.seq LIMIT ? OFFSET ?")
        return self._rows(sql, [*params, limit, offset])

    def quote_speakers(self, *, name: str | None = None, limit: int = 100) -> list[dict[str, Any]]:
        """Speakers (resolved name, else as written) with their number of quotes and documents."""
        where: list[str] = ["coalesce(q.speaker_name, q.speaker_text) IS NOT NULL"]
        params: list[Any] = []
        if name:
            where.append("coalesce(q.speaker_name, q.speaker_text) ILIKE ? ESCAPE '\\'")
            params.append(_like(name))
        sql = ("SELECT coalesce(q.speaker_name, q.speaker_text) AS speaker, mode(q.speaker_actor_code) AS actor_code,"
               " count(*) AS quotes, count(DISTINCT q.doc_id) AS documents "
               f"FROM quotes q {_where(where)} GROUP BY 1 ORDER BY quotes DESC, speaker LIMIT ?")
        return self._rows(sql, [*params, limit])

    def document_page(self, *, since: dt.date | None = None, until: dt.date | None = None,
                      text: str | None = None, source: str | None = None, limit: int = 50,
                      offset: int = 0) -> list[dict[str, Any]]:
        """Documents (without text) newest first, with their number of events and quotes."""
        where, params = _date_filter("date", since, until)
        if text:
            where.append("(text ILIKE ? ESCAPE '\\' OR title ILIKE ? ESCAPE '\\')")
            params += [_like(text), _like(text)]
        if source:
            where.append("source ILIKE ? ESCAPE '\\'")
            params.append(_like(source))
        sql = (f"WITH page AS (SELECT id, date, title, source, url, length(text) AS chars FROM documents "
               f"{_where(where)} ORDER BY date DESC, id LIMIT ? OFFSET ?) "
               "SELECT page.*, (SELECT count(*) FROM events e WHERE e.doc_id = page.id) AS events, "
               "(SELECT count(*) FROM quotes q WHERE q.doc_id = page.id) AS quotes "
               "FROM page ORDER BY date DESC, id")
        return self._rows(sql, [*params, limit, offset])

    # ------------------------------------------------- exports and event clusters (tacitus.export, tacitus.dedup)
    CLUSTER_TABLES: ClassVar[dict[str, str]] = {
        "event_clusters": ("cluster_id BIGINT PRIMARY KEY, modality VARCHAR, base_code VARCHAR, source_key VARCHAR, "
                           "target_key VARCHAR, source_name VARCHAR, target_name VARCHAR, date DATE, date_exact BOOLEAN, first_date DATE, last_date DATE, location_country VARCHAR,"
                           " first_doc_id VARCHAR, first_event_id VARCHAR, num_mentions INTEGER, num_sources INTEGER,"
                           " num_articles INTEGER, avg_tone DOUBLE"),
        "cluster_members": ("cluster_id BIGINT, doc_id VARCHAR, event_id VARCHAR, date DATE, outlet VARCHAR, "
                            "reason VARCHAR"),
    }
    # the outlet of a document: its source name, else the web domain of its URL, else the document itself
    _OUTLET = ("coalesce(nullif(d.source, ''), nullif(regexp_extract(d.url, '^[a-zA-Z]+://(www\\.)?([^/:]+)', 2), ''),"
               " d.id)")

    def ensure_cluster_tables(self) -> None:
        """Create the event cluster tables (dedup) when missing; run once when a writable store opens."""
        for table, columns in self.CLUSTER_TABLES.items():
            self.con.execute(f'CREATE TABLE IF NOT EXISTS "{table}" ({columns})')
            for column in columns.split(", "):  # columns added since the table was created
                self.con.execute(f'ALTER TABLE "{table}" ADD COLUMN IF NOT EXISTS {column.replace(" PRIMARY KEY", "")}')

    def has_clusters(self) -> bool:
        """Whether cross-document event clusters have been computed in this store."""
        names = {r[0] for r in self.con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if not set(self.CLUSTER_TABLES) <= names:
            return False
        return self.con.execute("SELECT count(*) FROM event_clusters").fetchall()[0][0] > 0

    def cluster_inputs(self, doc_ids: Sequence[str]) -> list[dict[str, Any]]:
        """Event mentions of these documents with what dedup compares (actors, base code, date, place, outlet)."""
        self.con.register("_ids", pa.table({"id": pa.array(list(doc_ids), pa.string())}))
        try:
            return self._rows(
                "SELECT ev.doc_id, ev.id AS event_id, ev.seq, ev.modality, ev.base_code, "
                "coalesce(ev.date, d.date) AS date, ev.source_actor_code, coalesce(se.name, ev.source_text) AS "
                "source_name, se.name AS source_entity, ev.target_actor_code, coalesce(te.name, ev.target_text) AS "
                "target_name, te.name AS target_entity, "
                # a date stated in the text ("on Saturday") rather than the publication date
                "(ev.date_text IS NOT NULL AND ev.date_precision = 'day') AS date_exact, "
                f"ev.location_country, ev.location_name, {self._OUTLET} AS outlet "
                "FROM events ev JOIN documents d ON d.id = ev.doc_id "
                "LEFT JOIN entities se ON se.doc_id = ev.doc_id AND se.id = ev.source_entity "
                "LEFT JOIN entities te ON te.doc_id = ev.doc_id AND te.id = ev.target_entity "
                "WHERE ev.doc_id IN (SELECT id FROM _ids) "
                "ORDER BY coalesce(ev.date, d.date), ev.doc_id, ev.seq")
        finally:
            self.con.unregister("_ids")

    def cluster_candidates(self, blocks: Sequence[tuple[str, str]], since: dt.date, until: dt.date,
                           ) -> list[dict[str, Any]]:
        """Existing clusters with one of these (modality, base code) pairs and a date in [since, until]."""
        if not blocks:
            return []
        modalities, codes = zip(*blocks, strict=True)
        self.con.register("_blocks", pa.table({"modality": pa.array(list(modalities), pa.string()),
                                               "base_code": pa.array(list(codes), pa.string())}))
        try:
            return self._rows(
                "SELECT c.* FROM event_clusters c JOIN (SELECT DISTINCT * FROM _blocks) b USING (modality, base_code) "
                "WHERE c.date BETWEEN ? AND ? ORDER BY c.cluster_id", [since, until])
        finally:
            self.con.unregister("_blocks")

    def remove_cluster_members(self, doc_ids: Sequence[str]) -> list[int]:
        """Drop the cluster memberships of these documents (before re-clustering them); returns touched clusters."""
        self.con.register("_ids", pa.table({"id": pa.array(list(doc_ids), pa.string())}))
        try:
            touched = [r[0] for r in self.con.execute(
                "SELECT DISTINCT cluster_id FROM cluster_members WHERE doc_id IN (SELECT id FROM _ids)").fetchall()]
            self.con.execute("DELETE FROM cluster_members WHERE doc_id IN (SELECT id FROM _ids)")
        finally:
            self.con.unregister("_ids")
        return touched

    def save_clusters(self, clusters: pa.Table, members: pa.Table, touched: Sequence[int]) -> None:
        """Add new clusters and members, then recount every touched cluster (one transaction; empty ones go)."""
        ids = sorted({*touched, *members.column("cluster_id").to_pylist()})
        self.con.execute("BEGIN TRANSACTION")
        try:
            if clusters.num_rows:
                self._append("event_clusters", clusters)
            if members.num_rows:
                self._append("cluster_members", members)
            self.con.register("_cids", pa.table({"id": pa.array(ids, pa.int64())}))
            self.con.execute(
                "UPDATE event_clusters c SET num_mentions = s.n, num_sources = s.outlets, num_articles = s.docs, "
                "first_date = s.first, last_date = s.last, avg_tone = s.tone, first_doc_id = s.doc, "
                "first_event_id = s.ev FROM (SELECT m.cluster_id, "
                "count(*) AS n, count(DISTINCT m.outlet) AS outlets, count(DISTINCT m.doc_id) AS docs, "
                "min(m.date) AS first, max(m.date) AS last, avg(d.tone_tone) AS tone, "
                "arg_min(m.doc_id, strftime(m.date, '%Y%m%d') || m.doc_id || chr(31) || m.event_id) AS doc, "
                "arg_min(m.event_id, strftime(m.date, '%Y%m%d') || m.doc_id || chr(31) || m.event_id) AS ev "
                "FROM cluster_members m "
                "LEFT JOIN documents d ON d.id = m.doc_id WHERE m.cluster_id IN (SELECT id FROM _cids) GROUP BY 1) s "
                "WHERE c.cluster_id = s.cluster_id")
            self.con.execute("DELETE FROM event_clusters WHERE cluster_id IN (SELECT id FROM _cids) AND cluster_id "
                             "NOT IN (SELECT cluster_id FROM cluster_members WHERE cluster_id IN (SELECT id FROM _cids))")
            self.con.unregister("_cids")
            self.con.execute("COMMIT")
        except Exception:
            self.con.execute("ROLLBACK")
            raise

    def clear_clusters(self) -> None:
        """Delete every event cluster (before a full rebuild)."""
        self.con.execute("DELETE FROM cluster_members")
        self.con.execute("DELETE FROM event_clusters")

    def cluster_summary(self) -> dict[str, int]:
        """Mentions clustered, clusters, and clusters reported by more than one article."""
        mentions, clusters, merged = self.con.execute(
            "SELECT (SELECT count(*) FROM cluster_members), count(*), count(*) FILTER (WHERE num_articles > 1) "
            "FROM event_clusters").fetchall()[0]
        return {"mentions": mentions, "clusters": clusters, "merged": merged}

    def cluster_page(self, filters: dict[str, Any], *, min_articles: int = 1, limit: int = 50) -> list[dict]:
        """Event clusters (largest first) whose founding mention matches the event filters."""
        if not self.has_clusters():
            return []
        where, params, _joined = self._event_where(filters)
        where.append("c.num_articles >= ?")
        params.append(min_articles)
        sql = ("SELECT c.cluster_id, c.date, c.source_key AS source, c.base_code, c.target_key AS target, "
               "ev.cameo_name, c.location_country AS country, c.num_mentions, c.num_sources, c.num_articles, "
               "c.first_date, c.last_date FROM event_clusters c JOIN events ev ON ev.doc_id = c.first_doc_id AND "
               "ev.id = c.first_event_id JOIN documents d ON d.id = ev.doc_id "
               f"{_where(where)} ORDER BY c.num_articles DESC, c.num_mentions DESC, c.date, c.cluster_id LIMIT ?")
        return self._rows(sql, [*params, limit])

    def cluster_mentions(self, cluster_id: int) -> list[dict[str, Any]]:
        """The mentions of one cluster with why each joined it."""
        if not self.has_clusters():
            return []
        return self._rows(
            "SELECT m.doc_id, m.event_id, m.date, m.outlet, ev.source_text, ev.trigger_text, ev.target_text, "
            "m.reason FROM cluster_members m LEFT JOIN events ev ON ev.doc_id = m.doc_id AND ev.id = m.event_id "
            "WHERE m.cluster_id = ? ORDER BY m.date, m.doc_id, ev.seq", [cluster_id])

    def count_exportable(self, filters: dict[str, Any], *, documents_only: bool = False) -> int:
        """How many events (or documents) an export with these filters would write."""
        if documents_only:
            where, params = _date_filter("date", filters.get("since"), filters.get("until"))
            return self.con.execute(f"SELECT count(*) FROM documents {_where(where)}", params).fetchall()[0][0]
        source, params = self._event_from(filters)
        return self.con.execute(f"SELECT count(*) {source}", params).fetchall()[0][0]

    def event_export_rows(self, filters: dict[str, Any], *, clusters: bool = False,
                          batch_size: int = 100_000) -> pa.RecordBatchReader:
        """Events (one row per mention, or per cluster) joined with everything the GDELT/PLOVER exports write."""
        where, params, _joined = self._event_where(filters)
        have_clusters = self.has_clusters()
        cluster_join = cluster_cols = ""
        if have_clusters:
            cluster_join = ("LEFT JOIN cluster_members cm ON cm.doc_id = ev.doc_id AND cm.event_id = ev.id "
                            "LEFT JOIN event_clusters c ON c.cluster_id = cm.cluster_id ")
            cluster_cols = ("c.cluster_id, c.date AS cluster_date, strftime(c.date, '%Y%m%d') AS cluster_sqldate, "
                            "c.num_mentions, c.num_sources, c.num_articles, "
                            "c.avg_tone AS cluster_tone, c.first_doc_id, ")
            if clusters:
                where.append("ev.doc_id = c.first_doc_id AND ev.id = c.first_event_id")
        else:
            cluster_cols = ("NULL::BIGINT AS cluster_id, NULL::DATE AS cluster_date, NULL::VARCHAR AS cluster_sqldate, "
                            "NULL::INTEGER AS num_mentions, "
                            "NULL::INTEGER AS num_sources, NULL::INTEGER AS num_articles, NULL::DOUBLE AS cluster_tone,"
                            " NULL::VARCHAR AS first_doc_id, ")
        # a sentence's number: sentence ends in the text before it (approximate: abbreviations count too)
        sentence_no = ("len(regexp_extract_all(substr(d.text, 1, ev.sentence_start), '[.!?][\"'')\\]”’]*\\s+'))"
                       " + 1")
        # the place named inside an actor's words ("Beijing" in "officials in Beijing") is that actor's geography
        geo = ("{g} AS (SELECT ev.doc_id, ev.seq, arg_min(p.seq, p.start) AS place FROM events ev JOIN places p "
               "ON p.doc_id = ev.doc_id AND p.start < ev.{side}_end AND p.\"end\" > ev.{side}_start GROUP BY ALL)")
        sql = (
            f"WITH {geo.format(g='g1', side='source')}, {geo.format(g='g2', side='target')} "
            "SELECT ev.doc_id, ev.id AS event_id, ev.seq, ev.cameo, ev.cameo_name, ev.base_code, ev.root_code, "
            # tacitus.dedup.mention_id in SQL: the first 60 bits of sha1(doc id, US, event id)
            "('0x' || substr(sha1(ev.doc_id || chr(31) || ev.id), 1, 15))::BIGINT AS mention_id, "
            "ev.quad_class, ev.goldstein, ev.plover_type, ev.plover_mode, ev.plover_contexts, ev.modality, "
            "ev.confidence, coalesce(ev.date, d.date) AS event_date, ev.date_precision, "
            "strftime(coalesce(ev.date, d.date), '%Y%m%d') AS sqldate, "
            "coalesce(strftime(r.started_at, '%Y%m%d%H%M%S'), strftime(d.date, '%Y%m%d') || '000000') AS date_added, "
            "ev.source_actor_code, coalesce(se.name, ev.source_text) AS source_name, ev.source_text, "
            "ev.source_start, se.type AS source_type, "
            "ev.target_actor_code, coalesce(te.name, ev.target_text) AS target_name, ev.target_text, "
            "ev.target_start, te.type AS target_type, ev.trigger_text, ev.trigger_start, "
            "ev.location_name, ev.location_country, ev.location_country_fips, ev.location_admin1, "
            "ev.location_lat, ev.location_lon, ev.location_geonames_id, ev.location_precision, ev.location_text, "
            "p1.name AS source_geo_name, p1.country AS source_geo_country, p1.country_fips AS source_geo_country_fips, "
            "p1.admin1 AS source_geo_admin1, p1.lat AS source_geo_lat, p1.lon AS source_geo_lon, "
            "p1.geonames_id AS source_geo_geonames_id, p1.precision AS source_geo_precision, "
            "p2.name AS target_geo_name, p2.country AS target_geo_country, p2.country_fips AS target_geo_country_fips, "
            "p2.admin1 AS target_geo_admin1, p2.lat AS target_geo_lat, p2.lon AS target_geo_lon, "
            "p2.geonames_id AS target_geo_geonames_id, p2.precision AS target_geo_precision, "
            f"{cluster_cols}"
            "d.date AS doc_date, d.title, d.url, d.source AS doc_source, d.tone_tone AS doc_tone, "
            f"{self._OUTLET} AS outlet, length(d.text) AS doc_len, "
            "CASE WHEN ev.sentence_start <= coalesce(nullif(strpos(d.text, chr(10)), 0), length(d.text)) "
            "THEN 1 ELSE 0 END AS is_root, "
            f"{sentence_no} AS sentence_no, r.started_at AS added_at "
            "FROM events ev JOIN documents d ON d.id = ev.doc_id "
            "LEFT JOIN entities se ON se.doc_id = ev.doc_id AND se.id = ev.source_entity "
            "LEFT JOIN entities te ON te.doc_id = ev.doc_id AND te.id = ev.target_entity "
            "LEFT JOIN runs r ON r.id = d.run_id "
            f"{cluster_join}"
            "LEFT JOIN g1 ON g1.doc_id = ev.doc_id AND g1.seq = ev.seq "
            "LEFT JOIN places p1 ON p1.doc_id = g1.doc_id AND p1.seq = g1.place "
            "LEFT JOIN g2 ON g2.doc_id = ev.doc_id AND g2.seq = ev.seq "
            "LEFT JOIN places p2 ON p2.doc_id = g2.doc_id AND p2.seq = g2.place "
            f"{_where(where)} "
            "ORDER BY coalesce(ev.date, d.date), ev.doc_id, ev.seq")
        return self.con.sql(sql, params=params).to_arrow_reader(batch_size)

    def gkg_rows(self, *, since: dt.date | None = None, until: dt.date | None = None,
                 batch_size: int = 20_000) -> pa.RecordBatchReader:
        """Documents with their entity mentions, places, themes, times, quotes and amounts as lists (for GKG)."""
        where, params = _date_filter("d.date", since, until)
        sql = (
            "WITH docs AS (SELECT d.id, d.date, d.title, d.url, d.source, d.tone_tone, d.tone_positive, "
            "d.tone_negative, d.tone_polarity, d.tone_activity_density, d.tone_self_group_density, "
            f"d.tone_word_count, {self._OUTLET} AS outlet, r.started_at AS added_at FROM documents d "
            f"LEFT JOIN runs r ON r.id = d.run_id {_where(where)}), "
            "names AS (SELECT e.doc_id, list({'type': e.type, 'name': e.name, 'start': m.start} "
            "ORDER BY m.start) AS names FROM entities e JOIN mentions m ON m.doc_id = e.doc_id AND m.entity_id = e.id "
            "AND m.kind = 'name' WHERE e.doc_id IN (SELECT id FROM docs) GROUP BY 1), "
            "pl AS (SELECT doc_id, list({'name': coalesce(name, text), 'country': country, 'fips': country_fips, "
            "'admin1': admin1, 'lat': lat, 'lon': lon, 'id': geonames_id, 'precision': precision, 'start': start} "
            "ORDER BY start) AS places FROM places WHERE doc_id IN (SELECT id FROM docs) GROUP BY 1), "
            "th AS (SELECT doc_id, list({'theme': theme, 'start': start} ORDER BY start, theme) AS themes FROM themes "
            "WHERE doc_id IN (SELECT id FROM docs) GROUP BY 1), "
            "ti AS (SELECT doc_id, list({'value': value, 'precision': precision, 'start': start} ORDER BY start) "
            "AS times FROM times WHERE type = 'DATE' AND doc_id IN (SELECT id FROM docs) GROUP BY 1), "
            "qu AS (SELECT doc_id, list({'text': text, 'start': start, 'end': \"end\", 'cue': cue_text} "
            "ORDER BY start) AS quotes FROM quotes WHERE doc_id IN (SELECT id FROM docs) GROUP BY 1), "
            "am AS (SELECT doc_id, list({'amount': amount, 'object': object, 'start': start, 'end': \"end\", "
            "'currency': currency} ORDER BY start) "
            "AS amounts FROM amounts WHERE doc_id IN (SELECT id FROM docs) GROUP BY 1) "
            "SELECT docs.*, names.names, pl.places, th.themes, ti.times, qu.quotes, am.amounts FROM docs "
            "LEFT JOIN names ON names.doc_id = docs.id LEFT JOIN pl ON pl.doc_id = docs.id "
            "LEFT JOIN th ON th.doc_id = docs.id LEFT JOIN ti ON ti.doc_id = docs.id "
            "LEFT JOIN qu ON qu.doc_id = docs.id LEFT JOIN am ON am.doc_id = docs.id ORDER BY docs.date, docs.id")
        return self.con.sql(sql, params=params).to_arrow_reader(batch_size)

    def export_tables(self, out: Path, fmt: str, *, since: dt.date | None = None, until: dt.date | None = None,
                      ) -> dict[str, int]:
        """Write every table of the documents in the date range to `out` (parquet, csv or jsonl).

        Parquet: `out/<table>/month=YYYY-MM/*.parquet` (the layout `Store.from_parquet` reads); else
        `out/<table>.csv|jsonl`.
        """
        if fmt not in ("parquet", "csv", "jsonl"):
            raise StoreError(f"unknown table export format: {fmt}")
        where, params = _date_filter("d.date", since, until)
        tables = [*RECORD_TABLE_ORDER, "failures", "runs"]
        if self.has_clusters():
            tables += list(self.CLUSTER_TABLES)
        written: dict[str, int] = {}
        for table in tables:
            if table in ("failures", "runs"):  # bookkeeping, kept whole: no document date to filter on
                stamp = "created_at" if table == "failures" else "started_at"
                select = f"SELECT t.*, coalesce(strftime(t.{stamp}, '%Y-%m'), 'none') AS month FROM {table} t"
                written[table] = self.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
                self._copy(select, [], out, table, fmt)
                continue
            if table == "documents":
                select = f"SELECT d.*, strftime(d.date, '%Y-%m') AS month FROM documents d {_where(where)}"
            elif table == "event_clusters":
                select = ("SELECT t.*, strftime(t.date, '%Y-%m') AS month FROM event_clusters t JOIN documents d "
                          f"ON d.id = t.first_doc_id {_where(where)}")
            else:
                select = (f'SELECT t.*, strftime(d.date, \'%Y-%m\') AS month FROM "{table}" t '
                          f"JOIN documents d ON d.id = t.doc_id {_where(where)}")
            written[table] = self.con.execute(f"SELECT count(*) FROM ({select})", params).fetchall()[0][0]
            self._copy(select, params, out, table, fmt)
        return written

    def _copy(self, select: str, params: list[Any], out: Path, table: str, fmt: str) -> None:
        target = str(out / table if fmt == "parquet" else out / f"{table}.{fmt}").replace("'", "''")
        if fmt == "parquet":
            options = "FORMAT parquet, PARTITION_BY (month), OVERWRITE_OR_IGNORE true"
        elif fmt == "csv":
            options = "FORMAT csv, HEADER true"
            select = f"SELECT * EXCLUDE (month) FROM ({select})"
        else:  # jsonl: one JSON object per line
            options = "FORMAT json"
            select = f"SELECT * EXCLUDE (month) FROM ({select})"
        self.con.execute(f"COPY ({select}) TO '{target}' ({options})", params)


def _date_filter(column: str, since: dt.date | None, until: dt.date | None) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    params: list[Any] = []
    if since:
        where.append(f"{column} >= ?")
        params.append(since)
    if until:
        where.append(f"{column} <= ?")
        params.append(until)
    return where, params


def _quote_filter(*, speaker: str | None, actor: str | None, text: str | None, since: dt.date | None,
                  until: dt.date | None) -> tuple[list[str], list[Any]]:
    """WHERE clauses shared by the CLI's and the API's quote queries (table alias q, documents d)."""
    where, params = _date_filter("d.date", since, until)
    if speaker:
        where.append("(q.speaker_name ILIKE ? ESCAPE '\\' OR q.speaker_text ILIKE ? ESCAPE '\\')")
        params += [_like(speaker)] * 2
    if actor:
        where.append("q.speaker_actor_code LIKE ? ESCAPE '\\'")
        params.append(_prefix(actor.upper()))
    if text:
        where.append("q.text ILIKE ? ESCAPE '\\'")
        params.append(_like(text))
    return where, params


def _where(clauses: list[str]) -> str:
    return ("WHERE " + " AND ".join(clauses)) if clauses else ""


def _duck_type(arrow_type: pa.DataType) -> str:
    if pa.types.is_list(arrow_type):
        return _duck_type(arrow_type.value_type) + "[]"
    return {
        pa.string(): "VARCHAR", pa.int64(): "BIGINT", pa.int32(): "INTEGER", pa.float64(): "DOUBLE",
        pa.bool_(): "BOOLEAN", pa.date32(): "DATE", pa.timestamp("us"): "TIMESTAMP",
    }[arrow_type]


__all__ = ["Store", "StoreError", "flat_fields"]
