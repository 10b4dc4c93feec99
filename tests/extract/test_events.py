"""Event coding: voice, coordination, targets, modality, nominal events, dates, codes and bad input."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tacitus.extract.event_patterns import load_lexicon, parse_pattern
from tacitus.lexicon import LexiconError, Row
from tests.conftest import shared_path


def triples(result, *, asserted_only: bool = False) -> set[tuple[str, str, str]]:
    return {
        ((e.source.actor_code if e.source else "") or "", e.cameo, (e.target.actor_code if e.target else "") or "")
        for e in result.events
        if not asserted_only or (e.modality in ("asserted", "future", "hypothetical") and not e.negated)
    }


def has(found: set[tuple[str, str, str]], source: str, code: str, target: str) -> bool:
    """An event whose codes start with the expected prefixes (CHN matches CHNGOV, 11 matches 1122)."""
    return any(s.startswith(source) and c.startswith(code) and t.startswith(target) for s, c, t in found)


@pytest.mark.parametrize("text, expected", [
    # active voice, verb + object + preposition
    ("The United States imposed sanctions on Russia on Tuesday.", [("USA", "163", "RUS")]),
    ("Japan held talks with South Korea in Tokyo on Friday.", [("JPN", "046", "KOR")]),
    ("Germany accused Russia of genocide in a statement on Monday.", [("DEU", "1122", "RUS")]),
    ("Israel expelled two Turkish diplomats on Wednesday.", [("ISR", "1663", "TUR")]),
    ("Brazil condemned Venezuela on Thursday.", [("BRA", "111", "VEN")]),
    ("France called on Iran to release the detained journalists.", [("FRA", "10", "IRN")]),
    ("India signed a trade agreement with Australia on Saturday.", [("IND", "06", "AUS")]),
    # passive voice: the agent is the source, the subject the target
    ("Sanctions were imposed on Iran by Britain on Tuesday.", [("GBR", "163", "IRN")]),
    ("Russia was accused by Ukraine of war crimes.", [("UKR", "112", "RUS")]),
    # coordination: one event per source
    ("Canada, Britain and Australia condemned China on Monday.",
     [("CAN", "111", "CHN"), ("GBR", "111", "CHN"), ("AUS", "111", "CHN")]),
    ("Egypt criticised Israel and Jordan.", [("EGY", "111", "ISR"), ("EGY", "111", "JOR")]),
    # relative clause: the antecedent is the source
    ("The statement came from Canada, which condemned Russia last week.", [("CAN", "111", "RUS")]),
    # reciprocal: "X and Y are in talks"
    ("Officials said Pakistan and India are in talks.", [("PAK", "046", "IND"), ("IND", "046", "PAK")]),
    # first person inside a quotation: the speaker's side
    ('"We will impose sanctions on Russia," the British foreign minister said on Friday.', [("GBR", "163", "RUS")]),
    # infinitive: the refusal is the event, the target another country than the source's own troops
    ("Moscow refused to withdraw its troops from Ukraine.", [("RUS", "12", "UKR")]),
    # "X, along with Y and Z, are ..." and a reported accusation by the speaker
    ("The spokesman for Beijing said Canada, along with Britain, is engaged in political manipulation against China.",
     [("CHN", "112", "CAN"), ("CHN", "112", "GBR")]),
    # nominal event with a possessive source
    ("Beijing's sanctions on Lithuania drew criticism in Brussels.", [("CHN", "163", "LTU")]),
])
def test_events_found(extract, text, expected):
    found = triples(extract(text))
    for source, code, target in expected:
        assert has(found, source, code, target), (source, code, target, found)


@pytest.mark.parametrize("text, expected", [
    # the "by" phrase of an event noun names the target, not the place after it
    ("The Kenyan government condemned an attack by Somali militants in northern Kenya on Monday.",
     [("KEN", "111", "SOM")]),
    # every actor coordinated inside the object phrase is a target
    ("Norway welcomed the resumption of diplomatic ties between Saudi Arabia and Iran.",
     [("NOR", "051", "SAU"), ("NOR", "051", "IRN")]),
    ("Oman welcomed the resumption of diplomatic ties with Qatar, Bahrain and Egypt.",
     [("OMN", "051", "QAT"), ("OMN", "051", "BHR"), ("OMN", "051", "EGY")]),
    # two subjects the parser attached to one verb, acting on each other
    ("Old rivals Ethiopia and Eritrea restored diplomatic relations on Monday.",
     [("ETH", "054", "ERI"), ("ERI", "054", "ETH")]),
    # "their meeting": coordinated subjects act on one another
    ("Sudan and Chad postponed their talks on Thursday.", [("SDN", "125", "TCD"), ("TCD", "125", "SDN")]),
    # a visit is hosted by the visited; a meeting involves both sides
    ("The Brazilian president arrived in Argentina on Monday for talks.", [("BRA", "042", "ARG"), ("ARG", "043", "BRA")]),
    ("The Indian prime minister met Japanese and Australian leaders in Tokyo on Friday.",
     [("IND", "040", "JPN"), ("IND", "040", "AUS"), ("JPN", "040", "IND"), ("AUS", "040", "IND")]),
    # a particle parsed as a preposition, a verb the lemmatizer gets wrong, a blockade by soldiers
    ("Israeli soldiers cordoned off the roads leading into Lebanon on Sunday.", [("ISR", "191", "LBN")]),
    # the subject receives: the giver is the source
    ("Ukraine received military aid from Germany on Tuesday.", [("DEU", "072", "UKR")]),
    ("Japan will contribute 5 million dollars to Haiti.", [("JPN", "071", "HTI")]),
    # "X is said to be about to ...": X acts
    ("Egypt is said to be about to restore diplomatic ties with Qatar.", [("EGY", "054", "QAT")]),
    # "it" in a reported clause is the reporting subject
    ("Nigeria said it deplored Ghana's decision.", [("NGA", "111", "GHA")]),
    # "lawmakers in X and Y": the parser coordinates Y with "lawmakers"; each country gets the role
    ("Lawmakers in France and Germany condemned Russia on Friday.", [("FRALEG", "111", "RUS"), ("DEULEG", "111", "RUS")]),
    ("Lawmakers and officials in France and Germany condemned Russia on Friday.",
     [("FRALEG", "111", "RUS"), ("FRAGOV", "111", "RUS"), ("DEULEG", "111", "RUS"), ("DEUGOV", "111", "RUS")]),
])
def test_roles_and_reciprocity(extract, text, expected):
    found = triples(extract(text))
    for source, code, target in expected:
        assert has(found, source, code, target), (source, code, target, found)


@pytest.mark.parametrize("text, expected", [
    ("Germany crushed Argentina 3-0 in the World Cup final on Sunday.", []),
    ("Pakistan will resume cricket matches with India in the championship next year.", []),
    ("Russia attacked Ukraine near the football stadium in Kharkiv on Thursday.", [("RUS", "18", "UKR")]),
    ("Britain will boycott the Beijing Olympics.", [("GBR", "14", "CHN")]),
])
def test_sports_are_not_material_events(extract, text, expected):
    found = triples(extract(text))
    material = {(s, c, t) for s, c, t in found if c[:2] in ("06", "07", "08", "17", "18", "19", "20")}
    if not expected:
        assert not material, found
    for source, code, target in expected:
        assert has(found, source, code, target), (source, code, target, found)


def test_possessive_of_the_sources_is_not_a_target(extract):
    found = triples(extract("France and Germany condemned their attack on Monday."))
    assert not [(s, c, t) for s, c, t in found if s[:3] in ("FRA", "DEU") and t[:3] in ("FRA", "DEU")], found


@pytest.mark.parametrize("text, source, wrong", [
    # the apposed name is the same person as the title
    ("Germany's Foreign Minister Heiko Maas arrived in Moscow on Tuesday.", "DEUGOV", "DEU"),
    # a country name with "and" is one actor, not a list
    ("The Bosnia and Herzegovina government condemned Serbia on Monday.", "BIHGOV", "BIH"),
])
def test_one_actor_is_one_source(extract, text, source, wrong):
    found = triples(extract(text))
    assert [s for s, c, t in found if s == source], found
    assert not [s for s, c, t in found if s == wrong], found


@pytest.mark.parametrize("text, code, modality, negated", [
    ("India did not condemn Russia on Friday.", "111", "negated", True),
    ("China stopped short of condemning Russia.", "111", "negated", True),
    ("Turkey will impose sanctions on Syria.", "163", "future", False),
    ("If Russia invades Ukraine, Poland could impose sanctions on Russia.", "163", "hypothetical", False),
    ("Britain imposed sanctions on Russia.", "163", "asserted", False),
    ("Neither France nor Germany condemned Russia on Friday.", "111", "negated", True),
    ("Russia denied attacking Ukrainian forces.", "1", "denied", False),
    ("The Liberal government has been reluctant to call Beijing's treatment of Uyghurs a genocide.", "112",
     "negated", True),
])
def test_modality(extract, text, code, modality, negated):
    events = [e for e in extract(text).events if e.cameo.startswith(code)]
    assert events, text
    assert events[0].modality == modality
    assert events[0].negated is negated


def test_refusal_is_a_reject_event(extract):
    found = triples(extract("Iran refused to release the detained French nationals."))
    assert any(c.startswith("12") and s.startswith("IRN") for s, c, t in found), found


@pytest.mark.parametrize("text", [
    "The Chinese foreign ministry said on Monday that it was concerned.",
    "A spokesman for the German government said the talks were useful.",
])
def test_statements_are_not_events_by_default(extract, text):
    assert not [e for e in extract(text).events if e.cameo.startswith("01")]


def test_event_record_fields(extract):
    text = "Canada imposed sanctions on China on Saturday."
    result = extract(text, date="2021-03-29")
    event = next(e for e in result.events if e.cameo == "163")
    assert event.root_code == "16" and event.base_code == "163" and event.quad_class == 4
    assert event.goldstein is not None and event.goldstein < -5
    assert event.cameo_name and "sanction" in event.cameo_name.lower()
    assert event.plover.type == "SANCTION"
    assert text[event.trigger.start:event.trigger.end] == "imposed"
    assert text[event.source.start:event.source.end] == "Canada"
    assert event.sentence.start == 0 and event.sentence.end == len(text)
    assert str(event.date) == "2021-03-27" and event.date_precision == "day" and event.date_text
    assert 0 < event.confidence < 1


def test_time_of_day_gives_the_day(extract):
    event = extract("Iran seized a British tanker on Monday morning.", date="2021-03-31").events[0]
    assert str(event.date) == "2021-03-29" and event.date_text == "Monday morning"


def test_event_without_time_gets_document_date(extract):
    event = extract("Canada imposed sanctions on China.", date="2021-03-29").events[0]
    assert str(event.date) == "2021-03-29"


@pytest.mark.parametrize("text", [
    "RUSSIA INVADES UKRAINE AS SANCTIONS BITE",
    "12 34 56 78 90 11 12 13 14 15 16 17 18",
    "La Chine a imposé des sanctions contre le Canada et les États-Unis.",
    "Sanctions on Russia.",
    " ".join(["Canada imposed sanctions on China and"] * 90) + " Russia.",
    "Q3 | 2021 | 4.5 | 3.2 | -1.1 | 0.4 | 7.7 | 8.8",
])
def test_bad_input_gives_no_garbage(extract, text):
    result = extract(text)
    assert not hasattr(result, "reason"), getattr(result, "reason", "")
    assert len(result.events) <= 1


# ------------------------------------------------------------------------------------------ lexicon

def test_lexicon_size_and_coverage():
    lexicon = load_lexicon()
    assert lexicon.pattern_count > 1000
    codes = {p.code for ps in lexicon.verbs.values() for p in ps}
    assert {c[:2] for c in codes} >= {f"{n:02d}" for n in range(1, 21)}
    assert not {c for c in codes if c not in lexicon.codes}, "every pattern code is a CAMEO code"


def test_goldstein_falls_back_to_parent():
    lexicon = load_lexicon()
    assert lexicon.goldstein("0871") == lexicon.goldstein("087") or lexicon.goldstein("0871") is not None
    assert lexicon.goldstein("1663") == lexicon.goldstein("166")
    assert lexicon.plover_for("1122").type == "ACCUSE"
    assert lexicon.plover_for("046").mode == "negotiate"


@pytest.mark.parametrize("text, groups, target", [
    # a preposition between two word lists is a constraint of its own
    ("stage hunger strike against policy|law", [{"hunger strike"}, {"against"}, {"policy", "law"}], None),
    ("deny entry|access to inspector|monitor", [{"entry", "access"}, {"to"}, {"inspector", "monitor"}], None),
    # a multi-word alternative with a preposition is written with "_"
    ("accuse +T of genocide|crime_against_humanity|rights abuse",
     [{"of"}, {"genocide", "crime against humanity", "rights abuse"}], set()),
    ("block road|square to demand_resignation", [{"road", "square"}, {"to"}, {"demand resignation"}], None),
    ("shell +T amid|despite ceasefire", [{"amid", "despite"}, {"ceasefire"}], set()),
])
def test_pattern_groups(text, groups, target):
    pattern = parse_pattern("111", text, Row(values=("111", text), path=Path("verbs.tsv"), line=1), {})
    assert [{" ".join(a) for a in g.alternatives} for g in pattern.groups] == groups
    assert pattern.target_prep == (frozenset(target) if target is not None else None)


@pytest.mark.parametrize("code, text, message", [
    ("1x3", "impose sanctions", "not a CAMEO code"),
    ("163", "+T sanctions", "must start with a verb"),
    ("163", "impose &NOSUCHSET", "unknown synset"),
])
def test_malformed_pattern_names_file_and_line(tmp_path, code, text, message):
    row = Row(values=(code, text), path=tmp_path / "verbs.tsv", line=7)
    with pytest.raises(LexiconError, match=rf"verbs.tsv:7: .*{message}"):
        parse_pattern(code, text, row, {})


# ------------------------------------------------------------------------------------------ a real article

def test_xinjiang_article_goals(extract):
    """The measured goals of issue 4 on the shared example article."""
    path = shared_path("examples", "xinjiang-un-visit-2021-03-29.txt")
    result = extract(path.read_text(encoding="utf-8"), date="2021-03-29")
    asserted = [e for e in result.events if not e.negated]
    found = {(e.source.actor_code if e.source else "", e.cameo, e.target.actor_code if e.target else "")
             for e in asserted}
    for source in ("CAN", "GBR", "IGOEEC", "USA"):
        assert any(e.cameo == "163" and e.source and e.source.actor_code == source and str(e.date) == "2021-03-22"
                   and e.date_precision == "week" for e in asserted), source
    assert any(e.cameo == "163" and e.source.actor_code.startswith("CHN") and e.target
               and e.target.actor_code == "CANLEG" and str(e.date) == "2021-03-27" for e in asserted)
    for target in ("CAN", "USA", "GBR", "IGOEEC"):
        assert has(found, "CHNGOV", "11", target), target
    assert has(found, "USA", "1122", "CHN")
    assert has(found, "IGOUNO", "046", "CHN") and has(found, "CHN", "046", "IGOUNO")
    assert has(found, "CHN", "03", "IGOUNO") and has(found, "CHN", "12", "IGOUNO")
    assert has(found, "IGOUNO", "10", "CHN")
    assert has(found, "CANLEG", "11", "CHN")
    assert all(e.date and dt.date(2021, 2, 1) <= e.date <= dt.date(2021, 3, 31) for e in result.events)


def test_code_statements_option(pipeline, extract):
    text = "The Chinese foreign ministry said on Monday that the United States had lied."
    assert not [e for e in extract(text).events if e.root_code == "01"]
    pipeline.config.code_statements = True
    try:
        events = extract(text).events
    finally:
        pipeline.config.code_statements = False
    assert [e for e in events if e.root_code == "01" and e.source and e.source.actor_code.startswith("CHN")]
