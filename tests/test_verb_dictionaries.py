"""PETRARCH/TABARI verb dictionaries as user event dictionaries: reader, precedence, integration, versions."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest

from tacitus.config import Config
from tacitus.extract import actors, events
from tacitus.extract.event_patterns import Group, Pattern, load_lexicon, preverb_words
from tacitus.lexicon import LexiconError
from tacitus.schema import Document
from tacitus.verb_dictionaries import (
    VerbDictionaryError,
    base_forms,
    is_verb_dictionary,
    read_verb_dictionary,
)

# A small dictionary in the PETRARCH verbs format, written for these tests.
VERBS = """<!-- tacitus test verbs dictionary -->
<!-- a comment that
     spans two lines -->
&PUNITIVE   # punitive measures
+SANCTIONS
+PUNITIVE_TARIFFS
+EMBARGO

&HARSH
+SHARPLY
+&STRONGLY

&STRONGLY
+STRONGLY
+FIERCELY

--- SLAM  [111]  ---
SLAM
+LAMBAST {LAMBASTED LAMBASTING}
- * OVER &PUNITIVE  [112]  # accusations over sanctions
- &HARSH *  [1121]

--- PULL_OUT  [---]  ---
PULL_OUT
+WALK OUT
- * OF TALKS  [161]
- * OF TALKS WITH +  [164]

--- VISIT  [042:043] ---
VISIT
- * MUSEUM  [---]

--- SWORE  [---] ---
SWORE
- * REVENGE AGAINST +  [138]
- % * PACT  [057:057]
- NEVER * SURRENDER  [---]

--- RECEIVE  [---] ---
RECEIVE
- + * MONEY $  [073]
- + WAS_ * TO_ ^ FROM $  [071]

--- BUG  [---] ---
WIRE_+TAP  [1711]

--- VOUCH  [051] ---
VOUCH

--- EMBRACE  [051:051] ---
EMBRACE

--- TOUR  [042] ---
TOUR

--- JOIN  [---] ---
JOIN
- NOT * TALKS  [125]
"""


@pytest.fixture(scope="module")
def verbs_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("verbs") / "test.verbs.txt"
    path.write_text(VERBS, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def dictionary(verbs_file):
    warnings: list[str] = []
    found = read_verb_dictionary(verbs_file, warnings)
    assert warnings == []
    return found


def _pattern(dictionary, line_text: str) -> Pattern:
    return next(p for p in dictionary.patterns if p.text.startswith(line_text))


# ------------------------------------------------------------------------------------------ reading

def test_counts(dictionary):
    assert (dictionary.verbs, dictionary.read, dictionary.null, dictionary.skipped) == (12, 11, 2, 0)
    assert "12 verbs, 11 patterns read (2 no-event)" in dictionary.summary()


@pytest.mark.parametrize("line, expected", [
    ("SLAM", {"code": "111", "verbs": {"slam"}, "groups": 0, "target_prep": None}),
    ("+LAMBAST", {"code": "111", "verbs": {"lambast"}}),
    ("- * OVER &PUNITIVE", {"code": "112", "groups": 2, "target_prep": None, "user": True}),
    ("- &HARSH *", {"code": "1121", "before_words": {"sharply", "strongly", "fiercely"}}),
    ("- * REVENGE AGAINST +", {"code": "138", "target_prep": frozenset({"against"}), "received": False}),
    ("- + WAS_ * TO_ ^ FROM $", {"code": "071", "target_prep": frozenset({"from"}), "received": True,
                                 "before_words": {"was"}}),
    ("- + * MONEY $", {"code": "073", "target_prep": None, "received": True}),  # "money from X"
    ("- NEVER * SURRENDER", {"code": "---", "negative": True}),
    ("- * REVENGE", {"negative": False}),
    ("- % * PACT", {"code": "057", "mirror": "057", "compound": True}),
    ("VISIT", {"code": "042", "mirror": "043"}),
    ("WIRE_+TAP", {"code": "1711", "verbs": {"tap"}, "before_words": {"wire"}}),
])
def test_patterns(dictionary, line, expected):
    pattern = _pattern(dictionary, line)
    for key, value in expected.items():
        if key == "groups":
            assert len(pattern.groups) == value
        elif key == "before_words":
            assert {w for g in pattern.before for alt in g.alternatives for w in alt} == value
        elif key == "verbs":
            assert value <= pattern.verbs
        else:
            assert getattr(pattern, key) == value, key


def test_phrasal_verbs_and_synset_phrases(dictionary):
    pull = [p for p in dictionary.patterns if "pull" in p.verbs]
    walk = [p for p in dictionary.patterns if "walk" in p.verbs]
    assert pull and walk and len(pull) == len(walk) == 2  # no default code: the two pattern lines
    assert pull[0].particles["pull"] == (("out",),) and walk[0].particles["walk"] == (("out",),)
    punitive = _pattern(dictionary, "- * OVER &PUNITIVE").groups[1].alternatives
    assert ("punitive", "tariffs") in punitive and ("sanction",) in punitive  # plural words match singulars


@pytest.mark.parametrize("word, lemma", [
    ("said", "say"), ("met", "meet"), ("held", "hold"), ("killed", "kill"), ("banned", "ban"),
    ("repelled", "repel"), ("denied", "deny"), ("exchang", "exchange"), ("defie", "defy"), ("eased", "ease"),
    ("condemn", "condemn"),
])
def test_base_forms(word, lemma):
    assert lemma in base_forms(word)


@pytest.mark.parametrize("line, message", [
    ("- * AID  [07A]", "[07A] is not a CAMEO code"),
    ("- * AID  [+++]", "[+++] is not a CAMEO code"),
    ("- * AID", "pattern without a [code]"),
    ("- AID WEAPONS  [070]", "exactly one '*'"),
    ("- * * AID  [070]", "more than one '*'"),
    ("- * &NOSUCHSET  [070]", "unknown synset &NOSUCHSET"),
    ("- * AID [070] TRAILING", "unexpected text after the code"),
    ("SEND_{", "unbalanced { }"),
    ("SEND [7x]", "[7x] is not a CAMEO code"),
    ("SEND_42", "not a verb"),
])
def test_malformed_lines_are_warnings_with_file_and_line(tmp_path, line, message):
    path = tmp_path / "bad.verbs"
    path.write_text(f"<!-- header -->\n--- SEND [070] ---\nSEND\n{line}\n- * TROOPS [182]\n", encoding="utf-8")
    warnings: list[str] = []
    found = read_verb_dictionary(path, warnings)
    assert len(warnings) == 1 and warnings[0].startswith(f"{path}:4: ") and message in warnings[0]
    assert found.skipped == 1
    assert any(p.code == "182" for p in found.patterns)  # the rest of the file is read


@pytest.mark.parametrize("text, message", [
    ("- * AID [070]\n--- SEND [070] ---\nSEND\n", ":1: pattern line before any"),
    ("SEND\n--- SEND [070] ---\nSEND\n", ":1: verb line 'SEND' before any"),
    ("--- SEND [070] [080] ---\nSEND\n", "several codes in a block header"),
    ("--- SEND ---\nSEND\n", "without a [code]"),
    ("--- SEND [070] ---\n--- GIVE [070] ---\nGIVE\n", ":1: verb block 'SEND' has no verbs"),
    ("&A\n+&B\n&B\n+&A\n--- SEND [070] ---\nSEND\n- * &A [071]\n", "includes itself"),
])
def test_structural_problems(tmp_path, text, message):
    path = tmp_path / "odd.verbs"
    path.write_text(text, encoding="utf-8")
    warnings: list[str] = []
    read_verb_dictionary(path, warnings)
    assert any(message in w for w in warnings), warnings


def test_not_a_verbs_dictionary_is_one_clear_error(tmp_path):
    path = tmp_path / "actors.verbs"
    path.write_text("GONDOR [GON]\nARNOR [ARN]\n", encoding="utf-8")
    with pytest.raises(VerbDictionaryError, match=r"not a PETRARCH verbs dictionary") as err:
        read_verb_dictionary(path, [])
    assert isinstance(err.value, LexiconError) and "\n" not in str(err.value)


@pytest.mark.parametrize("name, text, expected", [
    ("my.verbs", "", True),
    ("CAMEO.verbs.txt", "", True),
    ("rules.txt", "<!-- x -->\n--- CONDEMN [111] ---\nCONDEMN\n", True),
    ("PETR.actors.txt", "GONDOR [GON]\n", False),
    ("names.txt", "GONDOR [GON]\n", False),
    ("my-themes.tsv", "--- X [1] ---\n", False),
])
def test_is_verb_dictionary(tmp_path, name, text, expected):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert is_verb_dictionary(path) is expected


# ------------------------------------------------------------------------------------------ matching

def test_user_pattern_beats_builtin_and_no_code_blocks(verbs_file):
    lexicon = load_lexicon(verb_dictionaries=[verbs_file])
    found, _ = lexicon.best(lexicon.verbs, "slam", frozenset({"germany", "over", "sanction", "sanctions"}))
    assert found is not None and found.user and found.code == "112"
    assert lexicon.best(lexicon.verbs, "visit", frozenset({"museum"})) == (None, 0)
    builtin, _ = lexicon.best(lexicon.verbs, "condemn", frozenset({"attack"}))
    assert builtin is not None and not builtin.user


@pytest.mark.parametrize("before, expected", [
    (None, 1 + 1),  # no pre-verb words given: the pre-verb group is looked for in the bag
    (frozenset({"france", "sharply"}), 1 + 1),
    (frozenset({"france"}), -1),
])
def test_preverb_group(before, expected):
    pattern = Pattern(code="1121", verbs=frozenset({"slam"}), particles={}, groups=(), target_prep=None,
                      infinitive=False, line=1, text="- SHARPLY *", before=(Group((("sharply",),)),), user=True)
    assert pattern.score("slam", frozenset({"sharply", "germany"}), False, before) == expected


def test_preverb_words(nlp):
    doc = nlp("Gondor said it would not attack Mordor.")
    words = preverb_words(doc[5])
    assert {"would", "not", "say", "it"} <= words and "mordor" not in words


# ------------------------------------------------------------------------------------------ through the pipeline

@pytest.fixture(scope="module")
def user_extract(pipeline, verbs_file):
    """extract(text) with the test verbs file in config.dictionaries, sharing the session's spaCy model."""
    return _extract_with(pipeline, verbs_file)


def _extract_with(pipeline, dictionary: Path):
    """extract(text) -> Extraction with one user dictionary in config.dictionaries, on the session's model."""
    config = Config(dictionaries=[dictionary])
    user = copy.copy(pipeline)
    user.config = config
    user.resources = {**pipeline.resources, "events": events.load(config), "actors": actors.load(config)}

    def run(text: str):
        (result,) = list(user.run([Document(id="u", date=dt.date(2021, 3, 29), text=text)]))
        return result

    return run


def _coded(result) -> set[tuple]:
    return {(e.source and e.source.actor_code, e.cameo, e.target and e.target.actor_code) for e in result.events}


@pytest.mark.parametrize("text, user", [
    ("France slammed Germany over the sanctions on Monday.", {("FRA", "112", "DEU")}),  # built-in: 111
    ("France sharply slammed Germany on Monday.", {("FRA", "1121", "DEU")}),  # built-in: 111
    ("Iran pulled out of talks on Tuesday.", {("IRN", "161", None)}),  # built-in: 164
    ("Hamas swore revenge against Israel after the raid.", {("PSEHMS", "138", "ISR")}),  # built-in: nothing
    ("Kenya received money from Japan on Monday.", {("JPN", "073", "KEN")}),  # built-in: 071
    ("The Japanese prime minister visited a museum in South Korea on Sunday.", set()),  # built-in: 042 and 043
    # no target slot: PETRARCH's default target prepositions include "for", "of", "in", "about", "over"
    ("France vouched for Germany on Monday.", {("FRA", "051", "DEU")}),  # built-in: nothing
    # the user's "[051:051]" is the target's mirrored event; CAMEO's 042 -> 043 does not apply to a user 042
    ("France embraced Germany on Monday.", {("FRA", "051", "DEU"), ("DEU", "051", "FRA")}),  # built-in: one
    ("The Japanese prime minister toured South Korea on Sunday.", {("JPNGOV", "042", "KOR")}),  # built-in: +043
    # "NOT * TALKS [125]": the code says "not", so the event is asserted (built-in: a negated 050)
    ("Iran did not join the talks with France on Monday.", {("IRN", "125", "FRA")}),
    # verbs the user file does not cover, and user verbs whose patterns do not match, keep the built-in codes
    ("France criticized Germany on Monday.", None),
    ("Iran pulled its troops out of Syria.", None),
    ("The Japanese prime minister visited South Korea on Sunday.", None),
    ("Kenya received a loan from Japan on Monday.", None),
])
def test_extract_with_user_verbs(extract, user_extract, text, user):
    builtin = _coded(extract(text))
    if user is None:
        assert builtin and _coded(user_extract(text)) == builtin
    else:
        assert _coded(user_extract(text)) == user != builtin


def test_negative_user_pattern_is_not_a_negated_event(extract, user_extract):
    text = "Iran did not join the talks with France on Monday."
    (user,) = user_extract(text).events
    assert (user.cameo, user.modality, user.negated) == ("125", "asserted", False)
    assert all(e.negated for e in extract(text).events)  # built-in: "did not join" negates its 05x


def test_verbs_file_is_not_an_actor_dictionary(verbs_file):
    lexicon = actors.load(Config(dictionaries=[verbs_file]))
    assert verbs_file not in lexicon.files and not lexicon.warnings


def test_version_hash_follows_the_verbs_file(tmp_path):
    path = tmp_path / "mine.verbs"
    path.write_text("--- CONDEMN [111] ---\nCONDEMN\n", encoding="utf-8")
    config = Config(dictionaries=[path])
    first = events.version(events.load(config))
    assert first != events.version(events.load(Config()))
    assert first == events.version(events.load(config))
    path.write_text("--- CONDEMN [112] ---\nCONDEMN\n", encoding="utf-8")
    assert events.version(events.load(config)) != first


def test_load_warns_with_file_and_line(tmp_path):
    path = tmp_path / "mine.verbs"
    path.write_text("--- CONDEMN [111] ---\nCONDEMN\n- * ATTACK [11X]\n", encoding="utf-8")
    with pytest.warns(UserWarning, match=r"mine\.verbs:3: \[11X\] is not a CAMEO code"):
        lexicon = events.load(Config(dictionaries=[path]))
    assert lexicon.user_dictionaries[0].skipped == 1


# ------------------------------------------------------------------------------------------ PETRARCH reading rules

# A second small file: an inflected form with its own block, a `_` phrase, and a pattern over a that-clause.
VERBS_READING = """--- LEAVE  [---] ---
LEAVE

--- LEFT  [032:033] ---
LEFT

--- WELCOME  [041] ---
WELCOME
- * GOODWILL_GESTURE  [036]

--- SUGGEST  [---] ---
SUGGEST
- * UNFAIR TRADE  [112]

--- CELEBRATE  [---] ---
CELEBRATE
- * HOLIDAY AT ^ ^ +  [043]

--- RESCUE  [---] ---
RESCUE
- + * FROM $  [0661]

--- MEET  [---] ---
MEET
- SECRETLY_*  [046]
"""


@pytest.fixture(scope="module")
def reading_extract(pipeline, tmp_path_factory):
    """extract(text) with VERBS_READING as the user verbs file."""
    path = tmp_path_factory.mktemp("verbs2") / "reading.verbs.txt"
    path.write_text(VERBS_READING, encoding="utf-8")
    extract_with = _extract_with(pipeline, path)
    return lambda text: _coded(extract_with(text))


@pytest.mark.parametrize("text, expected, absent", [
    # a form the file lists as its own verb ("LEFT") is coded by its own block, not by its lemma's ("LEAVE")
    ("Japan's foreign minister left for Beijing on Monday for talks with Chinese officials.",
     {("JPNGOV", "032", "CHNGOV"), ("CHNGOV", "033", "JPNGOV")}, set()),
    ("Japan's foreign minister leaves for Beijing on Monday for talks with Chinese officials.", set(),
     {("JPNGOV", "032", "CHNGOV")}),
    # a `_` phrase needs its words side by side, as PETRARCH reads it
    ("Japan welcomed the goodwill gesture from China on Monday.", {("JPN", "036", "CHN")}, set()),
    ("Japan welcomed the gesture of goodwill from China on Monday.", {("JPN", "041", "CHN")},
     {("JPN", "036", "CHN")}),
    # pattern words may sit in the that-clause, whose subject is the target when the verb has no object
    ("Japan suggested that China was engaged in unfair trade.", {("JPN", "112", "CHN")}, set()),
    # "AT ^ ^ +": the words after "at" are skipped; the target is the next actor phrase
    ("Jordan celebrated the holiday at Cairo with the leaders of Syria.", {("JOR", "043", "SYRGOV")},
     {("JOR", "043", "EGY"), ("JOR", "043", "EGYGOV")}),
    # "+ * FROM $" on a passive clause: the subject is still the "+" (here the one the event is done to)
    ("Kenyan soldiers were rescued from Somalia on Monday.", {("SOM", "0661", "KENMIL")}, set()),
    # "SECRETLY_*": the word glued to the verb must come right before it
    ("Israeli officials secretly met Saudi officials in Cairo.", {("ISRGOV", "046", "SAUGOV")}, set()),
    ("Israeli officials secretly and repeatedly met Saudi officials in Cairo.", set(),
     {("ISRGOV", "046", "SAUGOV")}),
])
def test_petrarch_reading_rules(reading_extract, text, expected, absent):
    found = reading_extract(text)
    assert expected <= found and not absent & found, found


# ------------------------------------------------------------------------------------------ discards files

@pytest.fixture(scope="module")
def discards_extract(pipeline, tmp_path_factory):
    """extract(text) with a PETRARCH discards file of our own in config.dictionaries."""
    path = tmp_path_factory.mktemp("discards") / "news.discards.txt"
    path.write_text("# stories about sport are not politics\n+WORLD_CUP_\nfriendly match\nHURRICANE\n",
                    encoding="utf-8")
    return _extract_with(pipeline, path), path


@pytest.mark.parametrize("text, expected, discarded", [
    # "+" phrase: the whole story codes nothing
    ("Brazil accused Argentina of cheating on Sunday. The dispute overshadowed the World Cup draw.", set(), True),
    # sentence phrases: only that sentence is dropped; the stem also matches a plural
    ("Brazil accused Argentina of cheating after a friendly match. Chile condemned Peru on Monday.",
     {("CHL", "111", "PER")}, True),
    ("Cuba blamed the United States for slow help after the hurricanes. Chile condemned Peru on Monday.",
     {("CHL", "111", "PER")}, True),
    ("Chile condemned Peru on Monday.", {("CHL", "111", "PER")}, False),
])
def test_discards_file_drops_stories_and_sentences(extract, discards_extract, text, expected, discarded):
    run, _ = discards_extract
    assert _coded(run(text)) == expected
    builtin = _coded(extract(text))
    assert builtin > expected if discarded else builtin == expected  # without the file, more is coded


def test_discards_file_is_no_actor_dictionary_and_changes_the_version(discards_extract):
    _, path = discards_extract
    config = Config(dictionaries=[path])
    assert path not in actors.load(config).files
    assert events.version(events.load(config)) != events.version(events.load(Config()))
