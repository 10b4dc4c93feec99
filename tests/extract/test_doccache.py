"""The shortcuts taken for speed give the same answers as the slow ways they replace."""

from __future__ import annotations

import datetime as dt

import pytest

from tacitus.config import Config
from tacitus.extract import times
from tacitus.extract.doccache import doc_values
from tacitus.extract.timex import _resolve, resolve
from tacitus.extract.timex_calendar import default_lexicon

TEXTS = [
    "MOSCOW, March 3 (Reuters) - Russia's foreign ministry said on Monday it would expel two diplomats.",
    "“We will not back down,” the minister told reporters in İstanbul at 10 A.M. local time.\n\nTalks resume TUESDAY.",
    "Officials met every day last week  \t in São Paulo; the ſunday session ran past noon, a 10 K (Kelvin) rise.",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_doc_values_match_spacy(nlp, text):
    doc = nlp(text)
    values = doc_values(doc)
    assert values.text == doc.text
    assert values.texts == [t.text for t in doc]
    assert values.lowers == [t.lower_ for t in doc]
    assert doc_values(doc) is values  # built once per Doc


@pytest.mark.parametrize("text", TEXTS + [
    "THE SUMMIT OPENS ON MONDAY AND ENDS ON WEDNESDAY",
    "İSTANBUL ıs busy every WEEK; on ſaturday at noon",
    "a Kelvin-scale reading at 9 a.m. on New Year's Day",
])
def test_extra_matches_equal_case_blind_scan(text):
    resources = times.load(Config())
    expected = [(m.start(), m.end()) for m in resources.extra.finditer(text)]
    assert [(m.start(), m.end()) for m in times._extra_matches(text, resources)] == expected


@pytest.mark.parametrize("text, tense", [("Saturday", "past"), ("the following year", None), ("1986", None),
                                         ("next month", "future"), ("not a date", None)])
def test_resolve_cache_returns_what_resolution_gives(text, tense):
    anchor = dt.date(2021, 3, 29)
    lexicon = default_lexicon()
    first = resolve(text, anchor, tense=tense)
    assert first == _resolve(text, anchor, tense, lexicon)
    assert resolve(text, anchor, tense=tense) == first
