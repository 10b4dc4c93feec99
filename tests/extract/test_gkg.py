"""GKG fields per document: themes (with offsets), V2Tone, counts and money amounts, over the real model."""

from __future__ import annotations

import pytest

from tacitus.config import Config
from tacitus.extract import amounts, themes, tone
from tacitus.lexicon import LexiconError


@pytest.fixture(scope="module")
def resources():
    config = Config()
    return {"themes": themes.load(config), "amounts": amounts.load(config), "tone": tone.load(config)}


@pytest.mark.parametrize("text, expected", [
    ("Washington imposed sanctions on four officials over forced labour in the cotton fields.",
     {("SANCTIONS", "sanctions"), ("WB_1669_FORCED_LABOR", "forced labour"), ("SOC_SLAVERY", "forced labour")}),
    ("Lawmakers in Ottawa voted to call the treatment of the minority a genocide.",
     {("WB_2509_GENOCIDE", "genocide"), ("ELECTION", "voted"), ("TAX_FNCACT_LAWMAKERS", "Lawmakers")}),
    ("Rights groups said detainees described torture and forced labor at internment camps.",
     {("TORTURE", "torture"), ("WB_1669_FORCED_LABOR", "forced labor"),
      ("HUMAN_RIGHTS_ABUSES_CONCENTRATION_CAMPS", "internment camps"), ("WB_2203_HUMAN_RIGHTS", "Rights groups")}),
    ("The envoy said human rights abuses in the region must be investigated.",
     {("HUMAN_RIGHTS_ABUSES", "human rights abuses"), ("WB_2203_HUMAN_RIGHTS", "human rights"),
      ("TAX_FNCACT_ENVOY", "envoy")}),
    ("Protesters defied a curfew after troops opened fire, killing three people.",
     {("PROTEST", "Protesters"), ("CURFEW", "curfew"), ("MILITARY", "troops"), ("KILL", "killing")}),
    ("A ceasefire brokered by Qatar collapsed within hours as shelling resumed.",
     {("CEASEFIRE", "ceasefire"), ("TAX_WEAPONS_ARTILLERY", "shelling")}),
    ("Police arrested the opposition leader on corruption charges before the election.",
     {("ARREST", "arrested"), ("CORRUPTION", "corruption"), ("ELECTION", "election"), ("LEADER", "leader")}),
])
def test_themes_found_with_offsets(nlp, resources, text, expected):
    doc = nlp(text)
    found = themes.themes(doc, lexicon=resources["themes"])
    pairs = {(t.theme, t.text) for t in found}
    assert expected <= pairs, sorted(pairs)
    for t in found:
        assert text[t.start:t.end] == t.text
    assert [t.start for t in found] == sorted(t.start for t in found)


@pytest.mark.parametrize("text, absent", [
    ("Reports described ill-treatment of detainees.", {"MEDICAL"}),  # "treatment" inside a hyphenated word
    ("The human rights abuses were documented.", set()),
    ("The UN Secretary General met the envoy in March.", {"TAX_MILITARY_TITLE", "PROTEST"}),  # title; month
    ("The decision is mine, she said.", {"ENV_MINING"}),  # not a mine
    ("The minister vowed to press ahead before the general election.", {"MEDIA_MSM", "TAX_MILITARY_TITLE"}),
])
def test_theme_not_found_inside_longer_phrase_or_other_use(nlp, resources, text, absent):
    found = themes.themes(nlp(text), lexicon=resources["themes"])
    names = [t.theme for t in found]
    assert not absent & set(names)
    assert len(names) == len(set(names)), names  # "rights abuses" inside "human rights abuses" not counted again


def test_theme_lexicon_is_big_and_uses_gkg_names(resources):
    lexicon = resources["themes"]
    assert len(lexicon.themes) >= 300
    assert {"SANCTIONS", "WB_2509_GENOCIDE", "WB_2203_HUMAN_RIGHTS", "WB_1669_FORCED_LABOR"} <= lexicon.themes


def test_theme_names_exist_in_gkg_reference(resources):
    from tests.conftest import shared_path

    path = shared_path("reference", "GKG.themes.txt")
    known = {line.split("\t")[0] for line in path.read_text(encoding="utf-8").splitlines()}
    assert resources["themes"].themes - known == set()


def test_bad_theme_file_names_file_and_line(tmp_path):
    path = tmp_path / "my-themes.tsv"
    path.write_text("SANCTIONS\tembargo\nnot a theme\tword\n", encoding="utf-8")
    with pytest.raises(LexiconError, match=r"my-themes.tsv:2"):
        themes.load_lexicon([path])


@pytest.mark.parametrize("text, expected", [
    ("Canada imposed sanctions on four Chinese officials last week.", [(4, "officials", None)]),
    ("The government pledged $1.2 billion in aid to 12 provinces.",
     [(1.2e9, "USD", "USD"), (12, "provinces", None)]),
    ("Beijing offered 500 million yuan and 3,000 tonnes of rice.",
     [(5e8, "yuan", "CNY"), (3000, "tonnes", None)]),
    ("Two of the victims were children, police said.", [(2, "victims", None)]),
    ("The fund lost 20 million Canadian dollars and £3m in March 2021.",
     [(2e7, "canadian dollars", "CAD"), (3e6, "GBP", "GBP")]),
    ("About 1.5 million people fled the fighting, the agency said on Monday.", [(1.5e6, "people", None)]),
    ("The talks will resume at 10 a.m. on 4 May, with 90 percent turnout expected.", []),
])
def test_amounts(nlp, resources, text, expected):
    found = amounts.amounts(nlp(text), lexicon=resources["amounts"])
    assert [(a.amount, a.object, a.currency) for a in found] == expected
    for a in found:
        assert text[a.start:a.end] == a.text


@pytest.mark.parametrize("words, value", [
    (["four"], 4), (["1,200"], 1200), (["1.2", "billion"], 1.2e9), (["twenty", "-", "five"], 25),
    (["a", "dozen"], 12), (["3bn"], 3e9), (["two", "hundred", "thousand"], 2e5), (["several"], None),
])
def test_number_value(words, value):
    assert amounts.number_value(words) == value


@pytest.mark.parametrize("text, sign", [
    ("The talks were a great success and both sides praised the warm, friendly atmosphere.", 1),
    ("Troops killed dozens of protesters in a brutal attack, and the violence spread.", -1),
    ("The committee will meet on Tuesday in Geneva.", 0),
])
def test_tone_sign_and_fields(nlp, resources, text, sign):
    result = tone.tone(nlp(text), lexicon=resources["tone"])
    assert (result.tone > 0) - (result.tone < 0) == sign
    assert result.tone == pytest.approx(result.positive - result.negative, abs=1e-3)
    assert result.polarity == pytest.approx(result.positive + result.negative, abs=1e-3)
    assert result.word_count == len([t for t in nlp(text) if not t.is_punct])
    assert 0 <= result.activity_density <= 100


def test_tone_ignores_names_and_counts_pronouns(nlp, resources):
    result = tone.tone(nlp("We met the United Nations envoy and we spoke."), lexicon=resources["tone"])
    assert result.positive == 0  # "United" is part of a name
    assert result.self_group_density > 0
