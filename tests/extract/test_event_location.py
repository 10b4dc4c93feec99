"""Event location: the place attached to the clause, else the source actor's own place (issue 4, must have 5)."""

from __future__ import annotations

import pytest

from tacitus.extract.event_location import actor_location, country_of
from tacitus.schema import EventActor, Place


def _event(result, source: str):
    """The first event whose source actor code starts with `source`."""
    found = [e for e in result.events if e.source and (e.source.actor_code or "").startswith(source)]
    assert found, [(e.source and e.source.actor_code, e.cameo) for e in result.events]
    return found[0]


@pytest.mark.parametrize("text, source, expected", [
    # the clause names no place: the place inside the source actor's words
    ("Nairobi summoned the Ugandan ambassador on Monday.", "KEN", ("Nairobi", "city", "actor")),
    ("The foreign ministry in Warsaw expelled three Belarusian diplomats.", "POL", ("Warsaw", "city", "actor")),
    ("Officials in Ankara condemned the bombing on Monday, blaming Kurdish militants.", "TUR",
     ("Ankara", "city", "actor")),
    # a visit happens where the visited actor is, and is hosted there
    ("The Brazilian finance minister will visit Japan next week.", "BRA", ("Japan", "country", "actor")),
    ("The Brazilian finance minister will visit Japan next week.", "JPN", ("Japan", "country", "actor")),
    # a place attached to the clause wins over the actors' own
    ("Chile and Peru held talks in Lima on Tuesday.", "CHL", ("Lima", "city", "clause")),
    ("Kenyan police arrested three Somali nationals in Mombasa on Friday.", "KEN", ("Mombasa", "city", "clause")),
    ("Turkish troops shelled Kurdish positions in northern Syria on Sunday.", "TUR", ("Syria", "country", "clause")),
    # an actor coded to a country: the article's own mention of that country, at country precision
    ("Chinese officials criticised Canada on Monday. Relations between China and Canada have soured since 2018.",
     "CHN", ("China", "country", "actor")),
    # no mention of the country, an international organisation, a place without a precision: no location
    ("Chinese officials criticised Canada on Monday.", "CHN", None),
    ("The United Nations condemned Russia on Tuesday.", "IGOUNO", None),
    ("The European Union imposed new sanctions on Russia on Monday.", "IGOEEC", None),
])
def test_event_location(extract, text, source, expected):
    event = _event(extract(text), source)
    if expected is None:
        assert event.location is None and event.location_basis is None
    else:
        assert event.location is not None
        assert (event.location.text, event.location.precision, event.location_basis) == expected
        assert text[event.location.start:event.location.end] == event.location.text


def _coded(result) -> set[tuple]:
    return {(e.source and e.source.actor_code, e.cameo, e.target and e.target.actor_code) for e in result.events}


@pytest.mark.parametrize("text, expected", [
    # a visit to a place in another country is a visit to that country, hosted by it (CAMEO 042 / 043)
    ("The Japanese prime minister visited a museum in South Korea on Sunday.",
     {("JPNGOV", "042", "KOR"), ("KOR", "043", "JPNGOV")}),
    ("Ugandan officials toured a refugee camp near Goma on Monday.", {("UGAGOV", "042", "COD")}),
    # a place in the visitor's own country is a domestic trip, not an event
    ("The Japanese prime minister visited a museum in Tokyo on Sunday.", set()),
])
def test_visit_to_a_place_is_a_visit_to_its_country(extract, text, expected):
    coded = {c for c in _coded(extract(text)) if c[1] in ("042", "043")}
    assert expected <= coded and (expected or not coded)


@pytest.mark.parametrize("code, country", [
    ("CHNGOV", "CHN"), ("KEN", "KEN"), ("IGOUNO", None), ("MNCUSA", None), ("GOV", None), (None, None), ("", None),
])
def test_country_of_actor_code(code, country):
    assert country_of(code) == country


def test_actor_location_prefers_the_most_precise_place_in_the_actor():
    source = EventActor(text="the ministry in Warsaw, Poland", start=0, end=30, actor_code="POLGOV")
    places = [Place(text="Poland", start=24, end=30, country="POL", precision="country"),
              Place(text="Warsaw", start=16, end=22, country="POL", precision="city"),
              Place(text="Poland", start=80, end=86, country="POL", precision="country")]
    found = actor_location(source, places)
    assert found is not None and found.text == "Warsaw"
    assert actor_location(None, places) is None
