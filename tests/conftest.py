"""Shared fixtures: the real spaCy model and pipeline, loaded once per test session."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tacitus.config import Config
from tacitus.pipeline import Pipeline
from tacitus.schema import Document

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    return Pipeline(Config())


@pytest.fixture(scope="session")
def nlp(pipeline):
    return pipeline.nlp


@pytest.fixture(scope="session")
def extract(pipeline):
    """extract(text, date="2021-03-29") -> Extraction, through the full pipeline."""

    def run(text: str, date: str = "2021-03-29", doc_id: str = "t"):
        document = Document(id=doc_id, date=dt.date.fromisoformat(date), text=text)
        (result,) = list(pipeline.run([document]))
        return result

    return run


def shared_path(*parts: str) -> Path:
    """A path under ../shared/, skipping the test when the folder is absent (users do not have it)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not available")
    return path
