"""Entity grouping: one entity per referent within a document, with every mention."""

from __future__ import annotations

import pytest

from tacitus.extract.entities import entities, normalise_name

GROUPING = [
    # (text, canonical name, expected mention texts)
    ("Foreign Minister Anna Lindqvist met envoys in Stockholm. Lindqvist said the talks were useful.",
     "Anna Lindqvist", ["Anna Lindqvist", "Lindqvist"]),
    ("Lindqvist spoke first. Later, Swedish Foreign Minister Anna Lindqvist told reporters she was hopeful.",
     "Anna Lindqvist", ["Lindqvist", "Anna Lindqvist"]),
    ("The U.K. imposed new sanctions on Monday. Britain said more would follow.",
     "United Kingdom", ["U.K.", "Britain"]),
    ("The United States and China held talks. The U.S. said it wanted progress.",
     "United States", ["United States", "U.S."]),
    ("The European Union condemned the vote. The EU said it would respond.",
     "European Union", ["European Union", "EU"]),
    ("President Carlos Mendoza arrived in Lima. Mr. Mendoza then met ministers.",
     "Carlos Mendoza", ["Carlos Mendoza", "Mendoza"]),
]


@pytest.mark.parametrize("text, name, mentions", GROUPING)
def test_mentions_join_one_entity(nlp, text, name, mentions):
    index = entities(nlp(text))
    found = [e for e in index.entities if e.name == name]
    assert len(found) == 1, [e.name for e in index.entities]
    assert [m.text for m in found[0].mentions] == mentions
    for m in found[0].mentions:
        assert text[m.start:m.end] == m.text


def test_two_people_sharing_a_surname_are_not_merged_by_the_surname(nlp):
    text = ("Maria Okafor and David Okafor both spoke at the summit in Abuja. "
            "Okafor said the meeting had gone well.")
    index = entities(nlp(text))
    names = sorted(e.name for e in index.entities if e.type == "PERSON")
    assert "Maria Okafor" in names and "David Okafor" in names
    # the bare surname is ambiguous, so it must not be attached to either full name
    for e in index.entities:
        if e.name in ("Maria Okafor", "David Okafor"):
            assert [m.text for m in e.mentions] == [e.name]


def test_noisy_ner_tail_is_trimmed_to_the_known_name(nlp):
    text = ("Secretary General Antonio Guterres spoke on Sunday. Antonio Guterres Politics News 4:29 "
            "Antonio Guterres said the talks would go on.")
    index = entities(nlp(text))
    people = [e for e in index.entities if e.type == "PERSON"]
    assert [e.name for e in people] == ["Antonio Guterres"]


def test_entity_for_token_maps_every_mention_token(nlp):
    doc = nlp("Prime Minister Justin Trudeau spoke in Ottawa. Trudeau said Canada would act.")
    index = entities(doc)
    trudeau = next(e for e in index.entities if e.name == "Justin Trudeau")
    for tok in doc:
        if tok.text in ("Justin", "Trudeau"):
            assert index.entity_for_token(tok).id == trudeau.id
    assert index.entity_for_token(doc[0]) is None  # "Prime" is a title, not part of the name


@pytest.mark.parametrize("raw, key", [
    ("the U.K.", "uk"), ("Britain's", "britain"), ("Zhao Lijian", "zhao lijian"), ("Côte d'Ivoire", "cote d ivoire"),
])
def test_normalise_name(raw, key):
    assert normalise_name(raw) == key


def test_region_suffix_joins_the_bare_place_name(nlp):
    text = "Officials visited Xinjiang Autonomous Region on Monday. Reports from Xinjiang were disputed."
    index = entities(nlp(text))
    xinjiang = [e for e in index.entities if e.name.startswith("Xinjiang")]
    assert len(xinjiang) == 1 and len(xinjiang[0].mentions) == 2
