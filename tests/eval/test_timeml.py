"""TimeML evaluation: reading .tml files, scoring, the `tacitus eval timeml` command."""

from __future__ import annotations

import datetime as dt

import pytest
import typer
from typer.testing import CliRunner

from tacitus.commands import eval_timeml
from tacitus.eval.timeml import (
    Counts,
    GoldTimex,
    TimeMLError,
    evaluate,
    read_dir,
    read_tml,
    score_document,
    summarise,
)
from tacitus.schema import TimeRef

from ..conftest import shared_path

SAMPLE = """<?xml version="1.0" ?>
<TimeML>
<DOCID>T1</DOCID>
<DCT><TIMEX3 tid="t0" type="DATE" value="2021-03-29" temporalFunction="false" functionInDocument="CREATION_TIME">20210329</TIMEX3></DCT>
<TEXT>
The ministers <EVENT eid="e1" class="OCCURRENCE">met</EVENT> <TIMEX3 tid="t1" type="DATE" value="2021-03-27">Saturday</TIMEX3> &amp; agreed to talk again <TIMEX3 tid="t2" type="DATE" value="2021-W14">next week</TIMEX3>.
The dispute has lasted <TIMEX3 tid="t3" type="DURATION" value="P3Y">three years</TIMEX3>.
</TEXT>
</TimeML>
"""


@pytest.fixture()
def sample_dir(tmp_path):
    (tmp_path / "t1.tml").write_text(SAMPLE, encoding="utf-8")
    return tmp_path


def test_read_tml_strips_tags_and_keeps_offsets(sample_dir):
    doc = read_tml(sample_dir / "t1.tml")
    assert doc.dct == dt.date(2021, 3, 29)
    assert [(g.text, g.type, g.value) for g in doc.timexes] == [
        ("Saturday", "DATE", "2021-03-27"),
        ("next week", "DATE", "2021-W14"),
        ("three years", "DURATION", "P3Y"),
    ]
    for g in doc.timexes:
        assert doc.text[g.start : g.end] == g.text
    assert "&amp;" not in doc.text and " & " in doc.text


@pytest.mark.parametrize(
    "content, message",
    [
        ("<TimeML><TEXT>no date</TEXT></TimeML>", "no CREATION_TIME"),
        (
            '<TimeML><TIMEX3 functionInDocument="CREATION_TIME" value="soon">x</TIMEX3><TEXT>a</TEXT></TimeML>',
            "is not a date",
        ),
        (
            '<TimeML><TIMEX3 functionInDocument="CREATION_TIME" value="2021-01-01">x</TIMEX3></TimeML>',
            "no <TEXT>",
        ),
    ],
)
def test_bad_files_are_one_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.tml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TimeMLError, match=message):
        read_tml(path)


def test_empty_folder_is_an_error(tmp_path):
    with pytest.raises(TimeMLError, match="no .tml files"):
        read_dir(tmp_path)


def _ref(start, end, value):
    return TimeRef(text="x", start=start, end=end, type="DATE", value=value)


@pytest.mark.parametrize(
    "pred, expected",
    [
        ([_ref(0, 8, "2021-03-27")], {"strict": 1, "relaxed": 1, "value": 1}),
        ([_ref(0, 5, "2021-03-27")], {"strict": 0, "relaxed": 1, "value": 1}),
        ([_ref(0, 8, "2021-04-03")], {"strict": 1, "relaxed": 1, "value": 0}),
        ([_ref(20, 25, "2021-03-27")], {"strict": 0, "relaxed": 0, "value": 0}),
        ([], {"strict": 0, "relaxed": 0, "value": 0}),
    ],
)
def test_score_document(pred, expected):
    counts = Counts()
    score_document(counts, [GoldTimex(0, 8, "Saturday", "DATE", "2021-03-27")], pred)
    assert {"strict": counts.strict, "relaxed": counts.relaxed, "value": counts.value} == expected
    result = summarise(counts)
    assert 0.0 <= result["value_f1"] <= result["relaxed_f1"] <= 1.0


def test_evaluate_sample(nlp, sample_dir):
    result, _wrong = evaluate(sample_dir, model="unused", nlp=nlp)
    assert result["gold"] == 3
    assert result["value_f1"] == pytest.approx(1.0)
    assert result["calendar_span_accuracy"] == pytest.approx(1.0)


def test_evaluate_dev_set_sample(nlp):
    folder = shared_path("eval", "time", "tbaq", "TimeBank")
    result, _wrong = evaluate(folder, model="unused", nlp=nlp, limit=15)
    assert result["relaxed_f1"] > 0.8
    assert result["value_f1"] > 0.6


def test_command_reports_missing_folder_in_one_line(tmp_path):
    app, eval_app = typer.Typer(), typer.Typer()
    app.add_typer(eval_app, name="eval")
    eval_timeml.register(app, eval_app)
    result = CliRunner().invoke(app, ["eval", "timeml", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "is not a folder" in result.output
    assert "Traceback" not in result.output
