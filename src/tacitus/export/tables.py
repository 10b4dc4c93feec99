"""Every stored table as files in a directory: Parquet partitioned by month, CSV or JSON Lines.

Parquet is written as `OUT/<table>/month=YYYY-MM/*.parquet`, the layout `tacitus ... --parquet OUT` (and
DuckDB, pandas, pyarrow, Spark) read back as one dataset; CSV and JSON Lines write `OUT/<table>.csv|jsonl`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tacitus.store import Store


def write_tables(store: Store, directory: Path, fmt: str, *, since: dt.date | None = None,
                 until: dt.date | None = None) -> dict[str, int]:
    """Write each table of the documents in the date range; returns rows per table."""
    directory.mkdir(parents=True, exist_ok=True)
    return store.export_tables(directory, fmt, since=since, until=until)
