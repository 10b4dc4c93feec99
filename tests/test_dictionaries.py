"""Actor dictionaries: the user TSV/YAML formats and PETRARCH/TABARI .actors/.agents files."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from tacitus.dictionaries import (
    ActorDictionary,
    DatedCode,
    apply_agent,
    load_dictionaries,
    normalise_phrase,
    plural_phrase,
    sniff_format,
)
from tests.conftest import shared_path

D = dt.date.fromisoformat

PETRARCH_ACTORS = """\
<!-- A SMALL TEST DICTIONARY -->
<!--
# a comment block over
# several lines -->
ARNOR_  [ARN]
+ARNORIAN
GONDOR [GON]   # trailing comment
+MINAS_TIRITH
+ANORIEN

GOLLUM  # a person whose code changes
+SMEAGOL
\t[HOB < 950601]
\t[HOBGOV 19950601 - 19990815]
\t[HOBREB > 990816]

SAM_GAMGEE [HOB]
\t[HOBCIV <20080120]
\t[ORCHOB 20100109-20100112]
\t[HOBMIL 20080120-20121109]
LORIEN  [ELR/GAL]
PALESTINIAN [pse]
AL-QAEDA [IMGMOSALQ]
PRESIDENT_GEORGE_W._BUSH [USAGOV]
BROKEN_ENTRY [950601-990815]
+ORPHAN_WITHOUT_CODE_IS_FINE
NO_CODE_AT_ALL
ODD LINE [ABC] trailing words
"""

PETRARCH_AGENTS = """\
<!-- AGENTS -->
!PERSON! = MAN, MEN, WOMAN, WOMEN
!MINST! = MINISTER, MINISTERS, MINISTRY
CONGRESS!PERSON! [~LEG]
FOREIGN_!MINST! [~GOV]
POLICE {} [ ~COP]
ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOV]
HUMAN_RIGHTS_BODY  [  NGO~]
PARTY [~PTY]
SPOKESMAN [~GOV]
"""


@pytest.fixture
def petrarch(tmp_path: Path) -> tuple[ActorDictionary, list[str]]:
    actors = tmp_path / "test.actors"
    agents = tmp_path / "test.agents"
    actors.write_text(PETRARCH_ACTORS, encoding="utf-8")
    agents.write_text(PETRARCH_AGENTS, encoding="utf-8")
    return load_dictionaries([actors, agents])


@pytest.mark.parametrize("phrase, date, expected", [
    ("Arnor", None, ["ARN"]),
    ("arnorian", None, ["ARN"]),
    ("Minas Tirith", None, ["GON"]),
    ("ANORIEN", "2001-01-01", ["GON"]),
    ("Gollum", "1994-05-01", ["HOB"]),
    ("Smeagol", "1995-06-01", ["HOBGOV"]),
    ("Smeagol", "1999-08-15", ["HOBGOV"]),
    ("Smeagol", "1999-08-17", ["HOBREB"]),
    ("Gollum", None, []),  # no unrestricted code and no date
    ("Sam Gamgee", "2007-12-31", ["HOBCIV"]),
    ("Sam Gamgee", "2010-01-10", ["ORCHOB"]),  # the first matching restriction wins
    ("Sam Gamgee", "2011-05-05", ["HOBMIL"]),
    ("Sam Gamgee", "2020-01-01", ["HOB"]),  # outside every range: the default code
    ("Lorien", None, ["ELR", "GAL"]),
    ("Palestinian", None, ["PSE"]),
    ("al-Qaeda", None, ["IMGMOSALQ"]),
    ("al Qaeda", None, ["IMGMOSALQ"]),
    ("President George W. Bush", None, ["USAGOV"]),
    ("president george w bush", None, ["USAGOV"]),
    ("Mordor", None, []),
])
def test_petrarch_actors(petrarch, phrase, date, expected):
    dictionary, _ = petrarch
    assert dictionary.lookup(phrase, D(date) if date else None) == expected


@pytest.mark.parametrize("phrase, expected", [
    ("congressman", ["~LEG"]),
    ("congresswomen", ["~LEG"]),
    ("foreign ministry", ["~GOV"]),
    ("foreign ministers", ["~GOV"]),
    ("police", ["~COP"]),
    ("polices", []),  # {} means no plural
    ("attorneys general", ["~GOV"]),
    ("human rights bodies", ["NGO~"]),
    ("parties", ["~PTY"]),
    ("spokesmen", ["~GOV"]),
])
def test_petrarch_agents(petrarch, phrase, expected):
    dictionary, _ = petrarch
    assert dictionary.agent(phrase) == expected


def test_petrarch_warnings_name_file_and_line(petrarch):
    _, warnings = petrarch
    text = "\n".join(warnings)
    assert "test.actors:25:" in text and "950601-990815" in text  # malformed code block
    assert "test.actors:27:" in text and "NO CODE AT ALL" in text  # phrase without a code
    assert "test.actors:28:" in text and "trailing words" in text
    assert len(warnings) == 4  # BROKEN_ENTRY's block, BROKEN_ENTRY without code, NO_CODE_AT_ALL, ODD LINE


def test_user_tsv_and_date_ranges(tmp_path):
    path = tmp_path / "mine.tsv"
    path.write_text(
        "# my actors\n"
        "Donald Trump|Trump|President Trump\tUSAGOV\t2017-01-20\t2021-01-19\n"
        "Donald Trump|Trump|President Trump\tUSAGOV\t2025-01-20\n"
        "Bank of Canada\tCANGOV\n"
        "finance minister\t~GOV\n"
        "bad line without code\n"
        "Someone\tUSAGOV\t2021-13-01\n"
        "Someone Else\tnot a code!\n", encoding="utf-8")
    dictionary, warnings = load_dictionaries([path])
    assert dictionary.lookup("Trump", D("2019-06-01")) == ["USAGOV"]
    assert dictionary.lookup("Trump", D("2022-06-01")) == []
    assert dictionary.lookup("President Trump", D("2025-03-01")) == ["USAGOV"]
    assert dictionary.lookup("bank of canada") == ["CANGOV"]
    assert dictionary.agent("finance ministers") == ["~GOV"]  # agent plurals are added
    assert [w.split(": ")[0] for w in warnings] == [f"{path}:6", f"{path}:7", f"{path}:8"]


def test_user_yaml(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(
        "actors:\n"
        "  - names: [Donald Trump, Trump]\n"
        "    code: USAGOV\n"
        "    from: 2017-01-20\n"
        "    until: 2021-01-19\n"
        "  - names: Acme Holdings\n"
        "    code: USABUS\n"
        "  - names: [No Code]\n"
        "agents:\n"
        "  - names: [spokesperson]\n"
        "    code: GOV\n", encoding="utf-8")
    dictionary, warnings = load_dictionaries([path])
    assert dictionary.lookup("trump", D("2018-01-01")) == ["USAGOV"]
    assert dictionary.lookup("Acme Holdings") == ["USABUS"]
    assert dictionary.agent("spokespersons") == ["~GOV"]
    assert len(warnings) == 1 and warnings[0].startswith(f"{path}:8:")


def test_bad_yaml_is_one_warning(tmp_path):
    path = tmp_path / "broken.yml"
    path.write_text("actors: [\n  - names: x\n", encoding="utf-8")
    dictionary, warnings = load_dictionaries([path])
    assert len(dictionary) == 0 and len(warnings) == 1 and str(path) in warnings[0]


def test_later_files_override(tmp_path):
    first, second = tmp_path / "a.tsv", tmp_path / "b.tsv"
    first.write_text("Acme\tUSABUS\n", encoding="utf-8")
    second.write_text("Acme\tCANBUS\n", encoding="utf-8")
    dictionary, _ = load_dictionaries([first, second])
    assert dictionary.lookup("ACME") == ["CANBUS"]


def test_longest_match_over_words():
    dictionary = ActorDictionary()
    dictionary.add("United Nations", [DatedCode("IGOUNO")])
    dictionary.add("United Nations Security Council", [DatedCode("IGOUNOSEC")])
    words = normalise_phrase("the United Nations Security Council met").split()
    assert dictionary.longest_match(words, 1) == (4, ["IGOUNOSEC"])
    assert dictionary.longest_match(words, 0) == (0, [])


@pytest.mark.parametrize("country, agent, expected", [
    ("CHN", "~GOV", "CHNGOV"), ("USA", "NGO~", "NGOUSA"), (None, "~COP", "COP"), ("CAN", "~LEG", "CANLEG")])
def test_apply_agent(country, agent, expected):
    assert apply_agent(country, agent) == expected


@pytest.mark.parametrize("word, expected", [
    ("spokesman", "spokesmen"), ("party", "parties"), ("police", "police"), ("minister", "ministers"),
    ("foreign ministry", "foreign ministries"), ("congress", "congresses"), ("troops", "troops")])
def test_plural_phrase(word, expected):
    assert plural_phrase(word) == expected


def test_petrarch_validation_dictionaries_load():
    folder = shared_path("eval", "events", "petrarch-unittest")
    dictionary, warnings = load_dictionaries([folder / "PETR.Validate.actors.txt",
                                              folder / "PETR.Validate.agents.txt"])
    assert len(dictionary.actors) > 150 and len(dictionary.agents) > 150
    assert warnings == []
    assert dictionary.lookup("Sam Gamgee", D("2010-01-10")) == ["ORCHOB"]
    assert dictionary.lookup("Zimbabwe", D("1978-01-01")) == ["RHO"]
    assert dictionary.agent("congressmen") == ["~LEG"]


@pytest.mark.parametrize("name, content, expected", [
    ("a.txt", "# mine\nAcme\tUSABUS\n", "tsv"),
    ("b.txt", "actors:\n  - names: [Acme]\n    code: USABUS\n", "yaml"),
    ("c.txt", "<!-- x -->\nACME [USABUS]\n", "petrarch"),
    ("d.dict", "!PERSON! = MAN, MEN\nCONGRESS!PERSON! [~LEG]\n", "petrarch"),
    ("e.yml", "", "yaml"),
])
def test_format_is_sniffed(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    assert sniff_format(path) == expected
