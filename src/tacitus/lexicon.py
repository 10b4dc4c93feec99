"""Loading lexicon data files (TSV and YAML) with `file:line` errors for people.

Every data file in `tacitus/data/` is read through here, so a malformed entry names its file and line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

DATA_DIR = Path(str(resources.files("tacitus") / "data"))


class LexiconError(ValueError):
    """A malformed lexicon or dictionary entry; the message names file:line."""


@dataclass(frozen=True)
class Row:
    values: tuple[str, ...]
    path: Path
    line: int

    def where(self) -> str:
        return f"{self.path}:{self.line}"


def data_path(name: str) -> Path:
    """Path of a packaged data file."""
    return DATA_DIR / name


def read_tsv(path: Path, *, columns: int, min_columns: int | None = None, strict: bool = True,
             errors: list[str] | None = None) -> Iterator[Row]:
    """Rows of a tab-separated file, skipping blank lines and `#` comments.

    A row with the wrong number of columns raises LexiconError naming file:line when `strict`; otherwise
    the message is appended to `errors` and the row skipped.
    """
    min_columns = columns if min_columns is None else min_columns
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, start=1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            values = tuple(v.strip() for v in line.split("\t"))
            if not (min_columns <= len(values) <= columns) or not values[0]:
                message = f"{path}:{n}: expected {min_columns}-{columns} tab-separated columns, got {len(values)}"
                if min_columns == columns:
                    message = f"{path}:{n}: expected {columns} tab-separated columns, got {len(values)}"
                if strict:
                    raise LexiconError(message)
                if errors is not None:
                    errors.append(message)
                continue
            values = values + ("",) * (columns - len(values))
            yield Row(values=values, path=path, line=n)


def file_version(*paths: Path) -> str:
    """A short content hash of data files, stored with every run so results are reproducible."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]
