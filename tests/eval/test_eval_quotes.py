"""Quote evaluation: string location, speaker matching, scoring and the `tacitus eval quotes` command."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tacitus.eval.quotes import (
    GoldArticle,
    GoldFormatError,
    GoldQuote,
    Scores,
    evaluate,
    locate,
    read_gold,
    same_speaker,
    score_article,
)
from tacitus.schema import Quote, SentenceSpan, Speaker
from tests.conftest import shared_path

ARTICLE = ('Port workers walked off the job on Monday. "We have waited long enough," union leader Carla Mendes '
           'said. Mendes said the strike would last a week.')


@pytest.mark.parametrize("text, quote, hint, expected", [
    ("a b c a b", "a b", 0, (0, 3)),
    ("a b c a b", "a b", 7, (6, 9)),
    ("one  two\nthree", "one two three", None, (0, 14)),
    ("nothing here", "absent", 0, None),
    ("text", "   ", 0, None),
])
def test_locate(text, quote, hint, expected):
    assert locate(text, quote, hint) == expected


@pytest.mark.parametrize("predicted, reference, expected", [
    ("Kim", "Erin Kim", True),
    ("Erin Kim", "Kim", True),
    ("Ms. Kim", "Erin Kim", True),
    ("IRCC", "Immigration, Refugees and Citizenship Canada", True),
    ("Erin Kim", "Doug Purdy", False),
    (None, "Doug Purdy", False),
    ("she", "Erin Kim", False),
])
def test_same_speaker(predicted, reference, expected):
    assert same_speaker(predicted, reference) is expected


def quote(text: str, start: int, speaker: str | None, kind: str = "direct") -> Quote:
    found = None if speaker is None else Speaker(text=speaker, start=0, end=len(speaker), name=speaker)
    return Quote(id="Q1", text=text, start=start, end=start + len(text), kind=kind, speaker=found,
                 sentence=SentenceSpan(start=start, end=start + len(text)))


def test_score_article_counts_overlap_and_speakers():
    direct = '"We have waited long enough,"'
    indirect = "the strike would last a week"
    article = GoldArticle(id="a", text=ARTICLE, quotes=[
        GoldQuote(text=direct, start=ARTICLE.index(direct), end=ARTICLE.index(direct) + len(direct),
                  speaker="Carla Mendes", reference="Carla Mendes"),
        GoldQuote(text=indirect, start=ARTICLE.index(indirect), end=ARTICLE.index(indirect) + len(indirect),
                  speaker="she", reference="Carla Mendes"),
    ])
    predicted = [
        quote(direct, ARTICLE.index(direct), "Carla Mendes"),
        quote("the strike would last", ARTICLE.index(indirect), "Port workers", kind="indirect"),
        quote("Port workers walked off", 0, None),
    ]
    scores = Scores()
    score_article(article, predicted, scores, keep_misses=True)
    assert scores.gold == 2 and scores.predicted == 3
    assert scores.found == {0.3: 2, 0.8: 1}
    assert scores.correct == {0.3: 2, 0.8: 2}
    assert (scores.speaker_right, scores.speaker_total) == (1, 2)
    assert (scores.pronoun_right, scores.pronoun_total) == (0, 1)
    assert scores.f1(0.3) == pytest.approx(2 * (2 / 3) * 1.0 / (2 / 3 + 1.0))
    assert any("extra" in m for m in scores.misses) and any("speaker" in m for m in scores.misses)


def test_speaker_of_the_tightest_covering_quote():
    """A partial quote and the mixed quote holding it both cover the gold phrase: the partial's speaker counts."""
    text = "If his MPs resort to insults (Rempel called the minister a \"chicken\"), Scheer says it is fair game."
    words = '"chicken"'
    at = text.index(words)
    article = GoldArticle(id="a", text=text, quotes=[
        GoldQuote(text=words, start=at, end=at + len(words), speaker="Rempel", reference="Michelle Rempel")])
    mixed = quote(text[: text.index(", Scheer")], 0, "Scheer", kind="mixed")
    scores = Scores()
    score_article(article, [mixed, quote(words, at, "Michelle Rempel", kind="partial")], scores, keep_misses=False)
    assert (scores.speaker_right, scores.speaker_total) == (1, 1)


def write_gold(path, articles):
    path.write_text("\n".join(json.dumps(a) for a in articles) + "\n", encoding="utf-8")


def gold_row(text: str, quotes: list[tuple[str, str, str]]) -> dict:
    rows = []
    for speaker, words, reference in quotes:
        start = text.index(words)
        rows.append({"speaker": speaker, "verb": "said", "quote": words, "speaker_index": "",
                     "verb_index": "", "quote_index": f"({start},{start + len(words)})", "reference": reference})
    return {"id": "a1", "outlet": "Test Wire", "text": text, "quotations": rows}


def test_read_gold(tmp_path):
    path = tmp_path / "gold.jsonl"
    row = gold_row(ARTICLE, [("Carla Mendes", '"We have waited long enough,"', "Carla Mendes")])
    row["quotations"].append({"quote": "not in the text", "speaker": "", "reference": ""})
    write_gold(path, [row])
    (article,) = read_gold(path)
    assert article.id == "a1" and article.unlocated == 1
    assert article.quotes[0].text == '"We have waited long enough,"'
    path.write_text('{"id": 1}\n', encoding="utf-8")
    with pytest.raises(GoldFormatError, match=r"gold.jsonl:1"):
        read_gold(path)


def test_evaluate_runs_the_pipeline(tmp_path, pipeline):
    path = tmp_path / "gold.jsonl"
    write_gold(path, [gold_row(ARTICLE, [("union leader Carla Mendes", '"We have waited long enough,"', "Carla Mendes"),
                                         ("Mendes", "the strike would last a week", "Carla Mendes")])])
    scores = evaluate(read_gold(path), pipeline, date=dt.date(2019, 1, 1))
    assert scores.recall(0.3) == 1.0 and scores.precision(0.3) == 1.0
    assert scores.speaker_accuracy == 1.0


def test_eval_quotes_command(tmp_path):
    from typer.testing import CliRunner

    from tacitus.cli import app

    path = tmp_path / "gold.jsonl"
    write_gold(path, [gold_row(ARTICLE, [("Carla Mendes", '"We have waited long enough,"', "Carla Mendes")])])
    result = CliRunner().invoke(app, ["eval", "quotes", str(path)])
    assert result.exit_code == 0, result.output
    assert "F1" in result.output and "speaker accuracy" in result.output
    missing = CliRunner().invoke(app, ["eval", "quotes", str(tmp_path / "absent.jsonl")])
    assert missing.exit_code == 2
    assert "Traceback" not in missing.output


def test_dev_set_figures(pipeline):
    """The Gender Gap Tracker dev set (first articles only, to stay fast): well above the GGT's own F1 0.837."""
    articles = read_gold(shared_path("eval", "quotes", "ggt-dev.jsonl"))[:6]
    scores = evaluate(articles, pipeline, date=dt.date(2019, 1, 1))
    assert scores.f1(0.3) > 0.85
    assert scores.speaker_accuracy > 0.75
