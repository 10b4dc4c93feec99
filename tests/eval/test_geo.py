"""`tacitus eval geo`: reading the LGL format and scoring detection and resolution."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from tacitus.commands import eval_geo
from tacitus.eval.geo import GeoEvalError, evaluate, format_report, read_lgl

ARTICLE = """  <article docid="{docid}">
    <title>{title}</title>
    <domain>example.com</domain>
    <dltime>2021-03-29 10:00:00.0-05</dltime>
    <text><![CDATA[{text}]]></text>
    <toponyms count="{count}">{toponyms}
    </toponyms>
  </article>
"""
TOPONYM = """
      <toponym><start>{start}</start><end>{end}</end><phrase>{phrase}</phrase>
        <gaztag geonameid="{gid}"><name>{phrase}</name><fclass>P</fclass><fcode>PPL</fcode>
          <lat>{lat}</lat><lon>{lon}</lon><country geonameid="1">X</country><admin1 geonameid="2">Y</admin1>
        </gaztag></toponym>"""

# (text, [(phrase, geonames id, lat, lon)]) written for these tests
ARTICLES = [
    ("Flooding closed roads in Paris, Texas, on Monday. Sudanese farmers sent aid to Paris.",
     [("Paris", 4717560, 33.66094, -95.55551), ("Texas", 4736286, 31.25044, -99.25061),
      ("Sudanese", 366755, 16.0, 30.0), ("Paris", 4717560, 33.66094, -95.55551)]),
    ("Police in Toronto said a man from Ontario was arrested in Beijing last week.",
     [("Toronto", 6167865, 43.70011, -79.4163), ("Ontario", 6093943, 49.25014, -84.49983),
      ("Beijing", 1816670, 39.9075, 116.39723)]),
]


def _write_corpus(path: Path) -> Path:
    articles = []
    for n, (text, toponyms) in enumerate(ARTICLES):
        parts, cursor = [], 0
        for phrase, gid, lat, lon in toponyms:
            start = text.index(phrase, cursor)
            cursor = start + len(phrase)
            parts.append(TOPONYM.format(start=start, end=cursor, phrase=phrase, gid=gid, lat=lat, lon=lon))
        articles.append(ARTICLE.format(docid=n, title=f"t{n}", text=text, count=len(parts), toponyms="".join(parts)))
    path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<articles>\n' + "".join(articles) + "</articles>\n",
                    encoding="utf-8")
    return path


def test_reads_lgl_format(tmp_path):
    articles = list(read_lgl(_write_corpus(tmp_path / "mini.xml")))
    assert [len(a.toponyms) for a in articles] == [4, 3]
    first = articles[0]
    assert first.document.date.isoformat() == "2021-03-29"
    assert all(first.document.text[t.start:t.end] == t.phrase for t in first.toponyms)
    assert first.toponyms[1].geonames_id == 4736286


def test_scores_detection_and_resolution(tmp_path, nlp):
    result = evaluate(_write_corpus(tmp_path / "mini.xml"), model="unused", nlp=nlp)
    assert (result.documents, result.gold, result.gold_adjectives) == (2, 7, 1)
    precision, recall, _ = result.strict_without_adjectives
    assert precision == 1.0 and recall == 1.0  # every real toponym found, the demonym not claimed
    assert result.strict[1] == pytest.approx(6 / 7)
    assert result.on_gold.total == 7 and result.on_gold.within == 7  # the demonym resolves to Sudan
    assert result.end_to_end.exact == result.end_to_end.total == 6
    report = format_report(result)
    assert "within 161 km 100.0%" in report and "F1" in report


@pytest.mark.parametrize("content, message", [
    ("this is not xml <", "cannot read as XML"),
    ("<articles></articles>", "no <article> elements"),
])
def test_bad_corpus_is_one_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.xml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(GeoEvalError, match=message):
        list(read_lgl(path))


def test_command_reports_a_missing_file_in_one_line(tmp_path):
    app, eval_app = typer.Typer(), typer.Typer()
    app.add_typer(eval_app, name="eval")
    eval_geo.register(app, eval_app)
    result = CliRunner().invoke(app, ["eval", "geo", str(tmp_path / "missing.xml")])
    assert result.exit_code == 2
    assert "is not a file" in result.output and "Traceback" not in result.output
