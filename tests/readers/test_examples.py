"""The example articles in examples/ read as dated Documents with the features the demo relies on."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tacitus.readers import read_paths
from tacitus.schema import Document
from tests.conftest import EXAMPLES, shared_path

FILES = sorted(EXAMPLES.glob("*.txt"))


def test_examples_exist():
    assert 3 <= len(FILES) <= 5


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_example_article(path):
    (doc,) = list(read_paths([path]))
    assert isinstance(doc, Document)
    assert doc.date == dt.date.fromisoformat(path.stem[-10:])  # the date in the name is the date line
    assert 250 <= len(doc.text.split()) <= 500
    text = doc.text
    assert re.search(r'"[^"]+," \w[\w .-]* said', text), "direct quote with 'X said'"
    assert re.search(r"\b(he|she) (said|told)", text, re.IGNORECASE) or "told reporters" in text
    assert "told reporters" in text, "indirect speech"
    assert re.search(r"\bon (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b", text)
    assert re.search(r"\blast (week|month)\b", text)
    assert re.search(r"\b(demand|demanded|urges|urged)\b", text)
    assert re.search(r"\b(protest|expel|expelled|summoned)\b", text)


def test_shared_example_same_line_date():
    path = shared_path("examples", "xinjiang-un-visit-2021-03-29.txt")
    (doc,) = list(read_paths([path]))
    assert doc.date == dt.date(2021, 3, 29)
    assert doc.text.startswith("China would welcome")
