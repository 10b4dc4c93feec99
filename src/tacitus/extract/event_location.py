"""Where an event happened when its clause names no place: the source actor's own place.

The events extractor first takes the place attached to the event's clause ("imposed sanctions in Brussels").
When there is none, the location falls back to the actor, as GDELT's ActionGeo falls back to the actor's
geography, but only from words in the article so that the provenance stays exact:

1. a place inside the source actor's words: "Nairobi" in "Nairobi summoned ...", "Warsaw" in "the foreign
   ministry in Warsaw";
2. else, for an actor coded to a country (CHNGOV, KEN), the article's own mention of that country, at
   country precision ("Chinese officials" -> the article's "China").

Actors without a country (IGOUNO, a bare "officials") give no location: None rather than a guess.

A place inside the source's own words is the actor's place, not the clause's (`clause_places`); a visit to a
place in another country is a visit to that country (`visited_countries`, CAMEO 042/043).
"""

from __future__ import annotations

from functools import cache

from spacy.tokens import Doc

from tacitus.extract.entities import EntityIndex
from tacitus.extract.event_roles import Participant
from tacitus.schema import EventActor, Place


def actor_location(source: EventActor | None, places: list[Place]) -> Place | None:
    """The source actor's place for an event whose clause has none, or None."""
    if source is None:
        return None
    # only geocoded places: "the European Union" in "The European Union imposed ..." is a place mention
    # without a precision (no point, city, region or country), not where the actor is
    inside = [p for p in places if source.start <= p.start and p.end <= source.end and p.precision in _RANK]
    if inside:
        # the most precise place named in the actor's own words ("the ministry in Warsaw, Poland" -> Warsaw)
        return min(inside, key=lambda p: (_RANK.get(p.precision or "", 9), p.start))
    country = country_of(source.actor_code)
    if country is None:
        return None
    same = [p for p in places if p.country == country and p.precision == "country"]
    if not same:
        return None
    # the mention of the country nearest to the actor (an article may name it many times)
    return min(same, key=lambda p: abs(p.start - source.start))


def visited_countries(doc: Doc, found: list[Place], sources: list[Participant],
                       entities: EntityIndex) -> list[Participant]:
    """"visited a museum in South Korea", "flew to a base near Kandahar": a visit to a place in another country
    is a visit to that country (CAMEO 042, hosted 043); the place's words are the target's provenance."""
    own = {country_of(p.code) for p in sources}
    out: list[Participant] = []
    for place in found:
        if not place.country or place.country in own or any(t.code == place.country for t in out):
            continue
        span = doc.char_span(place.start, place.end, alignment_mode="expand")
        if span is None:
            continue
        entity = entities.entity_for_span(span)
        out.append(Participant(span.root, span, entity.id if entity else None, place.country))
    return out[:1]


def clause_places(found: list[Place], sources: list[Participant]) -> list[Place]:
    """Places of the clause outside its sources' words: "the ministry in Warsaw expelled ..." names where the
    actor is (the actor fallback, event_location), not a place the clause attaches to the act."""
    return [p for p in found if not any(s.span.start_char <= p.start and p.end <= s.span.end_char for s in sources)]


_RANK = {"point": 0, "city": 1, "admin1": 2, "country": 3}


def country_of(code: str | None) -> str | None:
    """The country part of a CAMEO actor code (CHNGOV -> CHN); None for IGOs, NGOs and sector-only codes."""
    if not code or len(code) < 3 or not code[:3].isalpha() or not code[:3].isupper():
        return None
    head = code[:3]
    return head if head in _countries() else None


@cache
def _countries() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries) | {"XKX"}
