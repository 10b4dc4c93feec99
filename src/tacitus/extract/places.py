"""Toponyms found in the text and resolved to GeoNames entries, offline.

Detection: GPE/LOC/FAC names from the NER (never names the entity index holds as people or
organisations), split on "Paris, Tenn."-style commas, plus gazetteer matches of capitalised names the NER
missed (countries, states, large cities, or towns followed by their state). Demonyms are not places.
Names are also found by their shape, whatever the NER says: streets, rivers, parks and townships named
with a generic word from `data/places/feature_words.tsv` ("Darby Street", "Lake Lanier"), numbered roads
("Interstate 45", "W.Va. 61"), datelines ("TORRINGTON —"), a lawmaker's home ("D-Braxton") and lists
("Barrow and Jackson counties"). Those the gazetteer does not hold are reported without a point, with
their GeoNames feature class (R road, H water, L park, T terrain, S spot, A area) and precision "point".

Resolution scores each gazetteer candidate by a population prior and its kind, then by document context
in a second pass: the countries and states the other toponyms point to, "Town, State" containment,
closeness to the other places, towns lying in a county the article names ("Paris" beside "Henry County"),
the outlet's country when known (`doc._.document.metadata["country"]` or the country-code domain of its
source or url), and the town in the outlet's domain name ("columbuslocalnews.com"), which counts as one
more place of the article without being reported.
"""

from __future__ import annotations

import gc
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy
from spacy.attrs import IDX, IS_ALPHA, IS_UPPER, LENGTH
from spacy.tokens import Doc, Span

from tacitus.config import Config
from tacitus.extract.doccache import doc_values
from tacitus.extract.entities import EntityIndex
from tacitus.gazetteer import (
    ADMIN1,
    ADMIN2,
    CITY,
    COUNTRY,
    DATA_FILES,
    REGION,
    Gazetteer,
    cache_key,
    load_gazetteer,
    normalise,
)
from tacitus.lexicon import LexiconError, data_path, file_version, read_tsv
from tacitus.schema import Place

VERSION = "tacitus.places.v2"
PLACE_LABELS = {"GPE", "LOC", "FAC"}
_LEXICON_FILES = ("places/demonyms.tsv", "places/not_places.tsv", "places/feature_words.tsv")
_AREA_WORDS = {"county", "parish", "borough", "province", "state", "region", "district", "prefecture",
               "oblast", "governorate"}
_KIND_PRIOR = {COUNTRY: 4.0, ADMIN1: 2.0, REGION: 3.0, ADMIN2: -1.0, CITY: 0.0}
_MAX_CANDIDATES = 40
_COUNTRY_WEIGHT = 0.5


@dataclass
class Resources:
    """What `places` needs: the gazetteer (loaded on first use) and the small lexicons."""

    demonyms: dict[str, str]
    not_places: dict[str, str]  # normalised word -> why (word, town, name, organisation)
    features: FeatureWords | None = None
    _gazetteer: Gazetteer | None = None

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = load_gazetteer()
            # Millions of freshly loaded rows would be walked by the next full collections (half a second,
            # in the middle of the first documents); they live as long as the process, so exempt them.
            gc.freeze()
        return self._gazetteer


def load(config: Config | None = None) -> Resources:
    """Read the demonym and stop lists; the gazetteer itself loads lazily on the first document."""
    demonyms = {normalise(r.values[0]): r.values[1] for r in read_tsv(data_path("places/demonyms.tsv"), columns=2)}
    not_places = {normalise(r.values[0]): r.values[1] or "word"
                  for r in read_tsv(data_path("places/not_places.tsv"), columns=2, min_columns=1)}
    return Resources(demonyms=demonyms, not_places=not_places,
                     features=FeatureWords.read(data_path("places/feature_words.tsv")))


def is_demonym(text: str, resources: Resources) -> bool:
    """Whether a phrase is a demonym or country adjective ("Sudanese", "Palestinians"), which is no place."""
    key = normalise(text)
    return key in resources.demonyms or key.rstrip("s") in resources.demonyms


def version(resources: Any) -> str:
    """Extractor version with the hash of its data files and the gazetteer's (package versions included)."""
    data = file_version(*(data_path(n) for n in DATA_FILES + _LEXICON_FILES))
    return f"{VERSION}+data-{data}+gazetteer-{cache_key()}"


@dataclass
class Mention:
    """A toponym in the text and its gazetteer candidates (start -1: the town in the outlet's name)."""

    start: int
    end: int
    text: str
    candidates: list[int]
    area_word: bool = False  # "Henry County": only subdivisions
    within: list[int] = field(default_factory=list)  # rows of the state/country written after it
    demonym_country: str | None = None


# ---------------------------------------------------------------------------------------------------------
# Detection


def places(doc: Doc, *, entities: EntityIndex, lexicon: Resources) -> list[Place]:
    """Toponyms of the document resolved to GeoNames entries, in document order."""
    gaz = lexicon.gazetteer
    text = _text(doc)
    outlet = outlet_country(doc, gaz)
    home = outlet_home(doc, gaz)
    named, unlisted, certain, areas = _named_features(doc, text, gaz, lexicon)
    # "Darby Street", "the Neches River": the whole name is the toponym, not the town inside it
    claimed = [(f.start_char, f.end_char) for f in named + [u for u, _ in unlisted]]
    ents = doc.ents  # spaCy builds the tuple of entity spans anew on every access
    strong = [s for s in _ner_spans(doc, ents, text, entities, gaz, lexicon)
              if not any(s.start_char < e and b < s.end_char for b, e in claimed)]
    strong = sorted(strong + named, key=lambda s: s.start)
    mentions = _mentions(text, strong, gaz, lexicon, areas)
    # what the NER's places say about the document decides which gazetteer-only names are places too
    resolved = _resolve(mentions, gaz, outlet, home)
    context = _Context.of(resolved, gaz)
    home_iso3 = _home_country(home, gaz)
    weak = _gazetteer_spans(doc, ents, strong + [u for u, _ in unlisted], gaz, lexicon, context, entities, text)
    if weak:  # without new names the same mentions resolve the same way: no second pass
        mentions = _mentions(text, sorted(strong + weak, key=lambda s: s.start), gaz, lexicon, areas)
        resolved = _resolve(mentions, gaz, outlet, home)
    names_by_country: dict[str, set[str]] = {}
    for place in resolved:
        names_by_country.setdefault(place.country or "", set()).add(place.name or "")
    counts = {country: len(names) for country, names in names_by_country.items()}
    outlet_iso3 = gaz.countries[outlet][0] if outlet in gaz.countries else home_iso3
    # a dateline or a lawmaker's "D-Braxton" names a town, however small
    kept = [p for p in resolved if p.start in certain or _plausible(p, gaz, counts, outlet_iso3)]
    if not unlisted:
        return kept
    dateline = next((p for p in kept if p.start in certain and p.text.isupper() and p.precision == "city"), None)
    return sorted(kept + [_unlisted_place(u, fclass, text, kept, dateline) for u, fclass in unlisted],
                  key=lambda p: p.start)


# ---------------------------------------------------------------------------------------------------------
# Named features (streets, rivers, townships), numbered roads and datelines


_NAME_WORD = r"(?:(?:St|Ste|Ft|Mt|Pt|[NSEW])\.|(?:Mc|Mac|O['’]|De|La|Le|Van)?[A-Z][a-z][\w'’-]*|\d{1,3}(?:st|nd|rd|th))"
_NAME_BEFORE = re.compile(rf"(?<![\w'’.-])(?:{_NAME_WORD}[ ]+){{1,4}}$")
_ROUTE = re.compile(r"\b(?P<road>Highway|Route|Interstate|Hwy\.|Rte\.|Road)[ ]+\d{1,4}[A-Z]?\b"
                    r"|\b(?:I|US|FM|CR|SR|SH|RM)[- ]\d{1,4}\b(?!-)")
# "W.Va. 61", "Ky. 80", "on KY 90": a state road; a postal code needs a preposition before it ("AK 47")
_STATE_ROUTE = re.compile(r"(?=[A-Zoav])(?<![\w.])(?:(?P<ap>[A-Z][a-z]{0,3}\.(?:[A-Z][a-z]{0,2}\.)?)|(?:on|of|onto|along|off|via) "
                          r"(?P<postal>[A-Z]{2})) \d{1,3}[A-Z]?\b(?![.,]\d)")
_ROUTE_LEAD = re.compile(r"(?:State|U\.S\.|US|[A-Z][a-z]+|[A-Z]\.[A-Z][a-z]?\.)[ ]+$")
_ROUTE_PREFIX = {"state", "u s", "us", "county", "farm", "old", "interstate"}
# a dateline: "TORRINGTON —", "SOUTH CHARLESTON, W.Va. --", "ST. JOHN'S, N.L. -" after the headline
_DATELINE = re.compile(r"(?:^|(?<=[.!?:\n] )|(?<=\n))([A-Z][A-Z.'’-]+(?: (?:OF |DE |LA )?[A-Z][A-Z.'’-]+){0,3})"
                       r"(?=(?:, [A-Z][\w.]+(?: [A-Z][\w.]+)?)? ?(?:—|–|--|-|\((?:AP|Reuters|AFP)\)))")
_CUE_WORDS = {"in", "at", "near", "from", "to", "into", "across", "toward", "towards", "around", "of", "via",
              "through", "on", "along", "off", "onto", "down", "up", "past", "and", "block", "crossing"}


@dataclass
class FeatureWords:
    """Generic words that make a capitalised name a street, river or township, as two patterns."""

    after: re.Pattern[str]
    before: re.Pattern[str]
    kinds: dict[str, tuple[str, bool]]  # word -> (GeoNames feature class, may stand inside a longer name)

    @classmethod
    def read(cls, path: Any) -> FeatureWords:
        """Read `feature_words.tsv` (word, position, class, joins)."""
        kinds: dict[str, tuple[str, bool]] = {}
        words: dict[str, list[str]] = {"after": [], "before": []}
        for row in read_tsv(path, columns=4):
            word, position, fclass, joins = row.values
            if position not in words or len(fclass) != 1 or joins not in ("yes", "no"):
                raise LexiconError(f"{row.where()}: expected word, after|before, one-letter class, yes|no")
            words[position].append(word)
            kinds[f"{position}:{word}"] = (fclass, joins == "yes")

        def alternatives(items: list[str]) -> str:
            return "|".join(re.escape(w) for w in sorted(items, key=len, reverse=True))

        # the generic word first, then the name before it: a scan for every capital letter is slower
        # "(?=[A-Z])" first: a cheap test that lets the regex engine skip most positions
        after = re.compile(rf"(?=[A-Z])(?<=[ ])(?P<word>{alternatives(words['after'])})(?![\w'’])")
        before = re.compile(rf"(?=[A-Z])\b(?P<word>{alternatives(words['before'])})[ ]+(?P<name>{_NAME_WORD}(?:[ ]+{_NAME_WORD})?)\b")
        return cls(after=after, before=before, kinds=kinds)


def _named_features(doc: Doc, text: str, gaz: Gazetteer, lexicon: Resources,
                    ) -> tuple[list[Span], list[tuple[Span, str]], set[int], dict[int, str]]:
    """Streets, rivers, roads, datelines: those the gazetteer knows, the others, the sure ones, the areas."""
    features = lexicon.features
    if features is None:
        return [], [], set(), {}
    found: list[tuple[int, int, str, bool]] = []  # start, end, feature class, look it up in the gazetteer
    for match in features.after.finditer(text):
        fclass, joins = features.kinds["after:" + match["word"]]
        name = _NAME_BEFORE.search(text, max(0, match.start() - 80), match.start())
        if name is None:
            continue
        start = _trim_name(doc, name.start(), name.end(), text)
        hyphen = text.rfind("-", start or 0, match.start())
        if start is not None and hyphen > 0 and fclass == "A" and not gaz.lookup(text[start:match.end()]) \
                and gaz.lookup(text[hyphen + 1:match.end()]):
            start = hyphen + 1  # "Paris-Henry County" is Paris and Henry County
        if start is None or not _stands_alone(doc, text, match.end(), joins, match["word"]):
            continue
        found.append((start, match.end(), fclass, fclass != "R"))
    # names that need no check against the NER's people: "Lake Lanier" is no person, whatever the NER says
    sure_shape: set[int] = set()
    for match in features.before.finditer(text):
        fclass, joins = features.kinds["before:" + match["word"]]
        end = match.end() - (2 if re.search(r"['’]s$", match.group()) else 0)  # "Mount Hood's slopes"
        last = text.rfind(" ", match.start("name"), end)
        if last > 0 and not gaz.lookup(text[match.start():end]) and gaz.lookup(text[match.start():last]):
            end = last  # "the Mount Pleasant City Council": the town is "Mount Pleasant"
        if _stands_alone(doc, text, end, joins, match["word"]):
            found.append((match.start(), end, fclass, True))
            sure_shape.add(match.start())
    for match in _ROUTE.finditer(text):
        start = match.start()
        lead = _ROUTE_LEAD.search(text, max(0, start - 12), start) if match["road"] else None
        if lead is not None:
            word = normalise(lead.group())
            # "State Highway 360", "Illinois Route 159": all of it; "Take Route 9": only the road
            if word in _ROUTE_PREFIX or word in gaz.state_abbrev or any(
                    gaz.kind[r] == ADMIN1 for r in gaz.primary.get(word, ())):
                start = lead.start()
        if match["road"] == "Road" and start == match.start():
            continue  # "Road 5" alone is too often a list item
        found.append((start, match.end(), "R", False))
    for match in _STATE_ROUTE.finditer(text):
        if normalise(match["ap"] or match["postal"]) in gaz.state_abbrev:
            found.append((match.start("ap" if match["ap"] else "postal"), match.end(), "R", False))
    certain: set[int] = set()
    for match in _DATELINE.finditer(text, 0, 400):  # a dateline opens the story
        if gaz.lookup(match.group(1)):
            found.append((match.start(1), match.end(1), "P", True))
            certain.add(match.start(1))
    for match in _PARTY_HOME.finditer(text):  # "Rep. Nick Rahall, D-W.Va.,"
        if gaz.lookup(match.group(1)) or normalise(match.group(1)) in gaz.state_abbrev:
            found.append((match.start(1), match.end(1), "P", True))
            certain.add(match.start(1))
    areas: dict[int, str] = {}
    for start, end, fclass, area in _listed_names(text, gaz):
        found.append((start, end, fclass, bool(area)))
        sure_shape.add(start)
        if area:
            areas[start] = area
    named: list[Span] = []
    unlisted: list[tuple[Span, str]] = []
    end_of_last = -1
    for start, end, fclass, look_up in sorted(found, key=lambda f: (f[0], -f[1])):
        if start < end_of_last:
            continue  # the longest of overlapping names, first in the text
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None or (start not in sure_shape and not _not_a_person(span, text)):
            continue
        end_of_last = end
        if look_up and _mention(text, span.start_char, span.end_char, gaz, lexicon, allow_demonym=False,
                                area=areas.get(span.start_char)):
            named.append(span)  # "Elbow Lake", "Licking County", "Mount Vernon": in the gazetteer
        elif fclass != "P":
            unlisted.append((span, fclass))
    return named, unlisted, certain, areas


_PARTY_HOME = re.compile(r"(?=[DRI]-)(?<![\w-])[DRI]-((?:[A-Z][\w.'’]*)(?: [A-Z][\w.'’]*){0,2})(?=[,);]|$| [“\"(])")
_LISTED_KINDS = {"counties": ("A", "county"), "parishes": ("A", "parish"), "townships": ("A", ""),
                 "streets": ("R", ""), "roads": ("R", ""), "avenues": ("R", ""), "drives": ("R", ""),
                 "rivers": ("H", ""), "lakes": ("H", ""), "creeks": ("H", "")}
_LISTED_END = re.compile(r"(?<=[a-z.’'] )(?:and|or|&) " + _NAME_WORD + r"(?: " + _NAME_WORD + r")? (" +
                         "|".join(_LISTED_KINDS) + r")\b")
_LISTED_NAME = re.compile(rf"{_NAME_WORD}(?: {_NAME_WORD})?")


def _listed_names(text: str, gaz: Gazetteer) -> list[tuple[int, int, str, str]]:
    """Each name of "Douglas, Sarpy and Lancaster counties" or "Hampden and Center streets"."""
    found: list[tuple[int, int, str, str]] = []
    for match in _LISTED_END.finditer(text):
        fclass, area = _LISTED_KINDS[match.group(1)]
        # walk back over "Douglas, Sarpy" before "and Lancaster counties"
        start = match.start()
        names: list[re.Match[str] | None] = list(_LISTED_NAME.finditer(text, match.start(), match.start(1)))
        pos = start - 1
        while True:
            prev = re.search(rf"(?:^|(?<=[ (]))({_NAME_WORD}(?: {_NAME_WORD})?),? $", text[max(0, pos - 40):pos + 1])
            if prev is None:
                break
            offset = max(0, pos - 40)
            names.insert(0, _LISTED_NAME.match(text, offset + prev.start(1)))
            before = text[max(0, offset + prev.start(1) - 2):offset + prev.start(1)]
            if before != ", ":
                break
            pos = offset + prev.start(1) - 1
        for name in names:
            if name is not None and text[name.start():name.start() + 3] != "The":
                found.append((name.start(), name.end(), fclass, area))
    return found


def _trim_name(doc: Doc, start: int, end: int, text: str) -> int | None:
    """Start of a feature's name without the sentence's first words ("On Main Street" -> "Main Street").

    A possessive ends the words before the name: "Utah's Zion National Park" -> "Zion National Park".
    """
    owner = max((m.end() for m in re.finditer(r"['’]s?[ ]+", text[start:end])), default=0)
    start += owner
    for word in re.finditer(r"\S+", text[start:end]):
        lower = word.group().lower()
        if not doc.vocab[lower].is_stop and lower.rstrip(".") not in _MONTHS_AND_DAYS:
            return start + word.start()
    return None


_MONTHS_AND_DAYS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
                    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep",
                    "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday", "friday",
                    "saturday", "sunday", "mr", "mrs", "ms", "dr", "sen", "rep", "gov", "officer", "sgt", "lt"}


def _stands_alone(doc: Doc, text: str, end: int, joins: bool, word: str) -> bool:
    """A street ends its name ("Wall Street Journal" is no street); a river or county may go on."""
    if joins:
        return True
    after = re.match(r"[ ]+([A-Z][\w'’-]*)", text[end:end + 40])
    if after is None:
        return True
    # "at Main St. Police said": a new sentence, not "St. Louis"
    return word.endswith(".") and doc.vocab[after.group(1).lower()].is_stop


def _not_a_person(span: Span, text: str) -> bool:
    """"Officer Kelly Lane said" is a person; "on Kelley Lane" is a street."""
    if not any(t.ent_type_ == "PERSON" for t in span):
        return True
    head = span.doc[span.start - 1] if span.start > 0 else None
    return head is not None and head.lower_ in _CUE_WORDS


_HOST_GAPS = {"", "in", "near", "outside", "at", "of", "in downtown", "in the city of", "in the town of"}


def _unlisted_place(span: Span, fclass: str, text: str, places: list[Place], dateline: Place | None) -> Place:
    """A named street, river or township the gazetteer does not hold, located by the town it is in, if any.

    "Darby Street in Torrington", "Orchard St., Alexandria": the town's point, country and state, no GeoNames
    id of its own; a street in a story datelined TORRINGTON lies in Torrington.
    """
    place = Place(text=span.text, start=span.start_char, end=span.end_char, feature_class=fclass, precision="point")
    end = span.end_char
    host = next((p for p in places if end <= p.start <= end + 24 and p.lat is not None
                 and p.precision in ("city", "admin1") and text[end:p.start].strip(" ,") in _HOST_GAPS), None)
    if host is None and fclass == "R":
        host = dateline
    if host is not None:
        place.lat, place.lon, place.country, place.country_fips = host.lat, host.lon, host.country, host.country_fips
        place.admin1, place.precision = host.admin1 if host.precision == "city" else host.name, host.precision
    return place


def _text(doc: Doc) -> str:
    """The document text: spaCy rebuilds `doc.text` from its tokens on each access, the Document holds it."""
    return doc_values(doc).text


def _mentions(text: str, spans: list[Span], gaz: Gazetteer, lexicon: Resources,
              areas: dict[int, str] | None = None) -> list[Mention]:
    areas = areas or {}
    found = [_mention(text, s.start_char, s.end_char, gaz, lexicon, allow_demonym=False,
                      area=areas.get(s.start_char)) for s in spans]
    mentions = [m for m in found if m is not None]
    _link_containment(text, mentions, gaz)
    return mentions


_DIRECTIONS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest", "northern",
               "southern", "eastern", "western", "central", "downtown", "greater", "upper", "lower", "metro"}
_STREET_WORDS = {"st", "street", "rd", "road", "ave", "avenue", "blvd", "boulevard", "dr", "drive", "ln", "lane",
                 "hwy", "highway", "pkwy", "parkway", "trail", "way", "ct", "court", "pl", "place", "circle", "square",
                 "bridge", "plaza", "mall", "park", "school", "center", "centre", "hall", "building", "airport"}
_GENERIC_WORDS = {"valley", "river", "lake", "creek", "mountain", "mountains", "island", "islands", "bay", "forest",
                  "street", "town", "city", "county", "beach", "hills", "springs", "falls", "park", "central",
                  "grand", "new", "old", "saint", "fort", "mount", "point", "port", "lakes", "woods", "heights"}
# words after a place name inside a longer name that keep the place a place ("Athens Police Department")
_INSTITUTION_WORDS = {"police", "county", "city", "university", "college", "school", "high", "department", "council",
                      "board", "state", "fire",
                      "sheriff", "hospital", "medical", "chamber", "public", "district", "airport", "regional", "area",
                      "community", "national", "international", "township", "village", "borough", "church",
                      "library", "museum", "court", "jail", "parish", "metro", "municipal", "region", "province",
                      "government", "assembly", "legislature", "senate", "house", "office", "port", "harbor",
                      "harbour", "station", "zoo", "symphony", "economic", "development", "water", "utilities",
                      "census", "army", "navy", "air", "marine", "marines", "forces", "attorney", "embassy",
                      "military", "supreme", "congress", "geological", "coast", "bureau", "agency", "commission",
                      "ministry", "cabinet", "parliament", "highway", "route", "interstate", "capitol",
                      "secretary", "representatives", "justice", "treasury", "postal", "customs", "consulate",
                      "service", "services", "association", "society", "foundation", "authority", "observatory",
                      "institute", "administration", "patrol", "guard", "lottery", "commonwealth", "magistrate",
                      "immigration", "fish", "wildlife", "forestry", "health", "education", "elections", "election"}
_LOCAL_BODIES = {"police", "fire", "sheriff", "city", "town", "township", "village", "borough", "mayor", "council",
                 "selectman", "selectmen", "board", "chamber", "public", "civic", "municipal", "planning", "zoning",
                 "county", "parish", "firefighters", "aldermen", "commissioners"}
_LOCAL_BODY_TITLES = _LOCAL_BODIES | {"manager", "hall", "commission", "attorney", "clerk", "administrator",
                                     "engineer", "schools", "limits", "officials", "government", "court"}
_LOCATIVE = {"in", "at", "near", "from", "to", "outside", "between", "into", "across", "toward", "towards",
             "around", "of", "throughout", "via", "through"}


def _place_votes(ents: Sequence[Span], text: str) -> dict[str, int]:
    """Per name, NER place labels minus person labels: one name keeps one sense within an article."""
    votes: dict[str, int] = {}
    for ent in ents:
        label = ent.label_
        if label in {"GPE", "LOC"}:
            key = normalise(text[ent.start_char:ent.end_char])
            votes[key] = votes.get(key, 0) + 1
        elif label == "PERSON":
            key = normalise(text[ent.start_char:ent.end_char])
            votes[key] = votes.get(key, 0) - 1
    return votes


def _ner_spans(doc: Doc, ents: Sequence[Span], text: str, entities: EntityIndex, gaz: Gazetteer,
               lexicon: Resources) -> list[Span]:
    votes = _place_votes(ents, text)
    spans: list[Span] = []
    for ent in ents:
        if ent.label_ not in PLACE_LABELS:
            continue
        key = normalise(text[ent.start_char:ent.end_char])
        if lexicon.not_places.get(key) == "word":
            continue
        entity = entities.entity_for_span(ent)
        # "Jordan" standing for "Michael Jordan" mentioned earlier
        if entity is not None and entity.type == "PERSON" and votes.get(key, 0) < 0:
            continue
        for part in _split_on_commas(ent):
            core = _core_span(part, gaz, fac=ent.label_ == "FAC")
            if core is not None and not _person_or_holiday(doc, core.start, core.end):
                spans.append(core)
    return spans


def _core_span(span: Span, gaz: Gazetteer, *, fac: bool = False) -> Span | None:
    """The toponym inside an NER span: "Fargo City Commission" -> "Fargo", "Northeast Georgia" -> "Georgia"."""
    if normalise(span.text) in _DIRECTIONS or not span.text[:1].isupper():
        return None
    if _city_of_body(span, gaz):
        return span[:-1]
    if _known(span.text, gaz):
        return span
    if span[-1].lower_.rstrip(".") in _STREET_WORDS:
        return None  # "Memphis St." is a street, not Memphis
    n = len(span)
    for length in range(n - 1, 0, -1):
        for i in range(n - length + 1):
            sub = span[i:i + length]
            if not sub[0].text[:1].isupper() or not sub[-1].text[:1].isupper():
                continue
            if i > 0 and not all(t.lower_ in _DIRECTIONS or t.lower_ == "the" for t in span[:i]):
                continue  # only leading direction words may be dropped
            key = normalise(sub.text)
            if key in _DIRECTIONS or key in _GENERIC_WORDS or key in _INSTITUTION_WORDS:
                continue  # "South" of "South Arlington", "Valley" of "Kanawha Valley"
            if _known(sub.text, gaz, strict=True):
                return sub
    return None if fac or n > 1 else (span if _known(span.text, gaz) else None)


def _city_of_body(span: Span, gaz: Gazetteer) -> bool:
    """"Dublin City Council", "Dublin City Manager": the town is Dublin, as no town is called "Dublin City"."""
    doc = span.doc
    return (len(span) > 1 and span[-1].lower_ == "city" and span.end < len(doc)
            and doc[span.end].lower_ in _LOCAL_BODY_TITLES and normalise(span[:-1].text) in gaz.primary
            and not any(gaz.kind[r] == CITY for r in gaz.primary.get(normalise(span.text), ())))


def _known(text: str, gaz: Gazetteer, *, strict: bool = False) -> bool:
    key = normalise(text)
    if not key or (strict and len(key) < 3):
        return False
    if key in gaz.primary or key in gaz.state_abbrev:
        return True
    return not strict and key in gaz.alternate


def _split_on_commas(ent: Span) -> list[Span]:
    """"Charleston, W.Va." is two toponyms; leading "the" and a possessive are dropped."""
    parts: list[Span] = []
    start = ent.start
    doc = ent.doc
    for i in range(ent.start, ent.end + 1):
        if i == ent.end or doc[i].text == ",":
            s, e = start, i
            while s < e and (doc[s].lower_ == "the" or doc[s].is_punct):
                s += 1
            while e > s and (doc[e - 1].tag_ == "POS" or doc[e - 1].is_punct and doc[e - 1].text != "."):
                e -= 1
            if e > s:
                parts.append(doc[s:e])
            start = i + 1
    return parts


@dataclass
class _Context:
    """Where the NER's places put the document: their names, countries, states and points."""

    names: set[str] = field(default_factory=set)
    countries: set[str] = field(default_factory=set)
    admin1s: set[int] = field(default_factory=set)
    points: list[tuple[float, float]] = field(default_factory=list)

    @classmethod
    def of(cls, resolved: list[Place], gaz: Gazetteer) -> _Context:
        context = cls()
        for place in resolved:
            context.names.add(normalise(place.text))
            if place.country:
                context.countries.add(place.country)
            if place.precision in ("city", "admin1") and place.lat is not None and place.lon is not None:
                context.points.append((place.lat, place.lon))
        admin1_names = {normalise(p.admin1) for p in resolved if p.admin1}
        for name in admin1_names:
            context.admin1s.update(r for r in gaz.primary.get(name, ()) if gaz.kind[r] == ADMIN1)
        return context

    def supports(self, row: int, gaz: Gazetteer) -> bool:
        """The candidate lies in a state the document is about, or near one of its places."""
        if gaz.kind[row] in (COUNTRY, ADMIN1, REGION):
            return True
        if gaz.admin1[row] in self.admin1s:
            return True
        return any(distance_km(gaz.lat[row], gaz.lon[row], lat, lon) < 100 for lat, lon in self.points[:50])


def _home_country(home: Mention | None, gaz: Gazetteer) -> str | None:
    """The country (ISO alpha-3) of the town in the outlet's name as resolved, if any.

    Its state is no context for finding names: any hamlet of the state would be "supported" ("White House").
    """
    if home is None or len(home.candidates) != 1:
        return None
    row = home.candidates[0]
    return gaz.countries[gaz.cc[row]][0] if gaz.cc[row] in gaz.countries else None


def _gazetteer_spans(doc: Doc, ents: Sequence[Span], found: list[Span], gaz: Gazetteer, lexicon: Resources,
                     context: _Context, entities: EntityIndex, text: str) -> list[Span]:
    """Capitalised names the NER missed or mislabelled that the gazetteer and the document context support."""
    taken = {i for s in found for i in range(s.start, s.end)}
    labels = {i: ent.label_ for ent in ents for i in range(ent.start, ent.end)}
    cap, starts, ends = _capitalised_tokens(doc, text, taken, labels)
    spans: list[Span] = []
    i, n = 0, len(cap)
    while i < n:
        if not cap[i]:
            i += 1
            continue
        match = None
        for length in (4, 3, 2, 1):
            j = i + length
            if j > n or not all(cap[i:j]):
                continue
            surface = text[starts[i]:ends[j - 1]]
            key = normalise(surface)
            if length == 1 and key in gaz.state_abbrev and "." in surface and (
                    (i > 0 and text[starts[i - 1]] == ",") or _state_initials(doc, i, surface)):
                match = (i, j)  # "Greer, S.C.", "the S.C. Highway Patrol", "to D.C."
                break
            if key not in gaz.primary and key not in context.names and not _region_rows(key, gaz):
                continue
            if length > 1 and _city_of_body(doc[i:j], gaz):
                continue
            if _accept(doc[i:j], key, doc, gaz, lexicon, context, labels, entities, taken):
                match = (i, j)
                break
        if match is not None:
            spans.append(doc[match[0]:match[1]])
            taken.update(range(match[0], match[1]))
            i = match[1]
        else:
            i += 1
    return spans


def _capitalised_tokens(doc: Doc, text: str, taken: set[int], labels: dict[int, str],
                        ) -> tuple[list[bool], list[int], list[int]]:
    """Per token, whether it may be part of a name (capitalised, free, not a number); token offsets.

    Computed over arrays: spaCy builds a Token object on every access, and Python is slow per token.
    """
    rows = doc.to_array([IDX, LENGTH, IS_ALPHA, IS_UPPER]).astype(numpy.int64)
    starts, lengths, alpha, upper = rows[:, 0], rows[:, 1], rows[:, 2] > 0, rows[:, 3] > 0
    codes = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
    first = codes[starts] if len(starts) else codes[:0]
    capital = (first >= 65) & (first <= 90)
    for k in numpy.nonzero(first > 127)[0].tolist():  # accented capitals: "Écija"
        capital[k] = text[starts[k]].isupper()
    word = alpha & (~upper | (lengths > 1))
    for k in numpy.nonzero(capital & ~alpha)[0].tolist():  # "U.S.", "D.C."
        word[k] = bool(_INITIALS.fullmatch(text[starts[k]:starts[k] + lengths[k]]))
    cap = capital & word
    blocked = list(taken) + [k for k, label in labels.items() if label in _NOT_PLACE_LABELS]
    if blocked:
        cap[blocked] = False
    start_list = starts.tolist()
    return cap.tolist(), start_list, [s + n for s, n in zip(start_list, lengths.tolist())]


_INITIALS = re.compile(r"(?:[A-Z]\.){2,3}")  # U.S., D.C.
_NOT_PLACE_LABELS = {"DATE", "TIME", "MONEY", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY"}


def _accept(span: Span, key: str, tokens: Doc, gaz: Gazetteer, lexicon: Resources, context: _Context,
            labels: dict[int, str], entities: EntityIndex, placed: set[int]) -> bool:
    """Whether a capitalised name that the NER did not call a place is one here."""
    if not key or key in lexicon.demonyms or key.rstrip("s") in lexicon.demonyms or key in _DIRECTIONS:
        return False
    rows = _region_rows(key, gaz) or gaz.primary.get(key, ())
    first = tokens[span.start]
    if first.is_stop or (len(key) < 3 and not _INITIALS.fullmatch(span.text)
                         and not (span.text.isupper() and any(gaz.kind[r] in (COUNTRY, REGION)
                                                              for r in _region_rows(key, gaz)))):  # "EU", "UK"
        return False
    entity = entities.entity_for_span(span)
    if entity is not None and entity.type == "PERSON" and len(normalise(entity.name).split()) > len(key.split()) \
            and normalise(entity.name).endswith(" " + key):
        return False  # "Hopkins" standing for "Ann Hopkins" (people go by their surname, not "Greer" of "Greer Station")
    if _inside_longer_name(span, tokens, labels, placed) or _person_or_holiday(tokens, span.start, span.end):
        return False
    if key in lexicon.not_places:
        # "Jordan" is a place only where the article is about that country ("talks in Amman")
        iso3 = {gaz.countries[gaz.cc[r]][0] for r in rows[:3]
                if gaz.kind[r] in (COUNTRY, ADMIN1) and gaz.cc[r] in gaz.countries}
        return bool(iso3 & context.countries)
    if key in context.names:
        return True  # the NER calls the same name a place elsewhere in the article
    if not rows:
        return False
    person = any(labels.get(k) == "PERSON" for k in range(span.start, span.end))
    end = span.end
    cue = (span.start > 0 and tokens[span.start - 1].lower_ in _LOCATIVE) or (
        end + 1 < len(tokens) and tokens[end].text == "," and normalise(tokens[end + 1].text) in gaz.state_abbrev) or (
        # "Grand Ledge Police Chief", "Bloomfield Town Council": a town's own public bodies
        end < len(tokens) and tokens[end].text[:1].isupper() and tokens[end].lower_ in _LOCAL_BODIES)
    top = rows[:10]
    continues = (end < len(tokens) and labels.get(end) is not None and labels.get(end) == labels.get(end - 1)
                 and tokens[end].text[:1].isupper() and not _institution_follows(tokens, end, labels))
    if any(gaz.kind[r] in (COUNTRY, ADMIN1, REGION) for r in top) and key not in lexicon.not_places:
        if continues:
            return False  # "Georgia Tech", "China Daily": the name goes on past the place
        if not person or cue:
            return True
        # a lone country name tagged PERSON ("Jordan would host") is the place; a province abroad is a surname
        lone = entity is None or len(normalise(entity.name).split()) == len(key.split())
        if lone and any(gaz.kind[r] == COUNTRY or gaz.countries.get(gaz.cc[r], ("",))[0] in context.countries
                        for r in top if gaz.kind[r] in (COUNTRY, ADMIN1)):
            return True
        # else the name may still be a city ("Alexandria" is a province of Egypt and a city)
        top = tuple(dict.fromkeys(top + gaz.primary.get(key, ())[:10]))
    supported = any(context.supports(r, gaz) for r in top if gaz.kind[r] in (CITY, ADMIN2))
    if continues and not supported:
        return False  # "Paris Hilton": the name goes on past the place
    big = any(gaz.kind[r] == CITY and gaz.population[r] >= 100_000 for r in top)
    if first.is_sent_start and len(span) == 1 and not cue:
        return supported
    if person:
        return supported or big or cue
    county = key.split()[-1] in _AREA_WORDS and any(gaz.kind[r] == ADMIN2 for r in top)
    return county or supported or big or (cue and any(gaz.population[r] >= 5_000 for r in top))


_STATE_INITIALS = re.compile(r"[A-Z]\.[A-Z][a-z]?\.")  # "S.C.", "N.J.", "W.Va.": no word spelt like that


def _state_initials(doc: Doc, i: int, surface: str) -> bool:
    """A state's initials naming the state itself: before a capitalised name or after a locative word."""
    if not _STATE_INITIALS.fullmatch(surface):
        return False
    after = doc[i + 1] if i + 1 < len(doc) else None
    before = doc[i - 1] if i > 0 else None
    return (after is not None and after.text[:1].isupper() and after.is_alpha) or (
        before is not None and before.lower_ in _LOCATIVE)


# entity labels of names that may hold a place name inside them ("United Russia", "Club America")
_NAME_LABELS = {"ORG", "PERSON", "FAC", "WORK_OF_ART", "EVENT", "PRODUCT", "LAW", "NORP", "GPE", "LOC"}


def _inside_longer_name(span: Span, tokens: Doc, labels: dict[int, str], placed: set[int]) -> bool:
    """A place name that a capitalised word of the same name comes before ("United Russia", "Club America").

    A place before it is no such word: "Fort Worth Texas" is two places.
    """
    k = span.start - 1
    label = labels.get(span.start)
    if k < 0 or k in placed or label not in _NAME_LABELS or labels.get(k) != label:
        return False
    word = tokens[k]
    # a headline's first word is capitalised whatever it is ("New Gainesville prison opens")
    return (word.text[:1].isupper() and word.is_alpha and not word.is_stop and not word.is_sent_start
            and word.lower_ not in _DIRECTIONS)


# words before a name that make it a person's: "coach Ripley", "Mrs. Fairfield" (not "Chief Kanawha Circuit Judge")
_PERSON_TITLES = {"mr", "mrs", "ms", "miss", "dr", "coach", "officer", "judge", "sgt", "cpl", "pvt", "lt", "capt",
                  "col", "gen", "maj", "sen", "rep", "gov", "rev", "pastor", "father", "detective", "trooper",
                  "deputy", "sheriff", "mayor", "president", "senator", "governor", "councilman", "councilwoman",
                  "commissioner", "superintendent", "principal", "professor", "prof", "sir", "lady", "lord"}


def _person_or_holiday(tokens: Doc, start: int, end: int) -> bool:
    """"coach Ripley said", "St. Patrick's Day", "Columbus Day": a person's name or a holiday, no place."""
    after = tokens[end] if end < len(tokens) else None
    if after is not None and (after.text == "Day" or (
            after.tag_ == "POS" and end + 1 < len(tokens) and tokens[end + 1].text == "Day")):
        return True
    if start == 0 or (after is not None and after.text[:1].isupper()):
        return False
    return tokens[start - 1].lower_.rstrip(".") in _PERSON_TITLES


def _institution_follows(tokens: Doc, end: int, labels: dict[int, str]) -> bool:
    """"U.S. Fish and Wildlife Service", "Texas Forest Service": a public body named after the place.

    "Georgia Tech" and "Texas Instruments" hold no such word, so the name there is no place.
    """
    label = labels.get(end - 1)
    for k in range(end, min(end + 6, len(tokens))):
        if labels.get(k) != label:
            return False
        if tokens[k].lower_ in _INSTITUTION_WORDS:
            return True
    return False


def _region_rows(key: str, gaz: Gazetteer) -> tuple[int, ...]:
    """Countries, states and regions known by another name ("U.S.", "Britain", "EU")."""
    return tuple(r for r in gaz.alternate.get(key, ())[:5] if gaz.kind[r] in (COUNTRY, ADMIN1, REGION))


def _plausible(place: Place, gaz: Gazetteer, counts: dict[str, int], outlet_iso3: str | None) -> bool:
    """A village abroad that nothing else in the article points to is most often a misread word."""
    if place.precision != "city" or place.geonames_id is None:
        return True
    if counts.get(place.country or "", 0) >= 2 or place.country == outlet_iso3:
        return True
    rows = [r for r in gaz.lookup(place.text) if gaz.gid[r] == place.geonames_id]
    if not rows:
        return True
    official = normalise(gaz.name[rows[0]]) == normalise(place.text)
    return gaz.population[rows[0]] >= (50_000 if official else 500_000)


def _mention(text: str, start: int, end: int, gaz: Gazetteer, lexicon: Resources, *,
             allow_demonym: bool, area: str | None = None) -> Mention | None:
    """A toponym with its candidates, or None when nothing in the gazetteer matches."""
    if "." in text[start:end] and text[end:end + 1] == "." and normalise(text[start:end + 1]) in gaz.state_abbrev:
        end += 1  # "W.Va." at the end of a sentence, whose final period the tokenizer split off
    surface = text[start:end]
    key = normalise(surface)
    if not key:
        return None
    if key in lexicon.demonyms or key.rstrip("s") in lexicon.demonyms:
        if not allow_demonym:
            return None
        iso2 = lexicon.demonyms.get(key) or lexicon.demonyms.get(key.rstrip("s"))
        row = gaz.country_row(iso2 or "")
        return Mention(start, end, surface, [row] if row is not None else [], demonym_country=iso2)
    words = key.split()
    if area:  # "Barrow" of "Barrow and Jackson counties"
        rows = [r for r in gaz.lookup(f"{key} {area}") if gaz.kind[r] in (ADMIN1, ADMIN2)]
        return Mention(start, end, surface, rows[:_MAX_CANDIDATES], area_word=True) if rows else None
    area_word = len(words) > 1 and words[-1] in _AREA_WORDS
    if key in gaz.state_abbrev and ("." in surface or surface.isupper()):
        return Mention(start, end, surface, [gaz.state_abbrev[key]])  # "Kan.", "TN": a US state
    rows = list(gaz.lookup(surface))
    if not rows and key in gaz.state_abbrev:
        rows = [gaz.state_abbrev[key]]
    if not rows and area_word:
        rows = list(gaz.lookup(" ".join(words[:-1])))
    if not rows and len(words) > 1 and words[0] in {"north", "south", "east", "west", "northern", "southern",
                                                    "eastern", "western", "central", "downtown", "greater"}:
        rows = list(gaz.lookup(" ".join(words[1:])))
    if area_word:
        rows = [r for r in rows if gaz.kind[r] in (ADMIN1, ADMIN2)] or rows
    if not rows:
        return None
    return Mention(start, end, surface, rows[:_MAX_CANDIDATES], area_word=area_word)


def _link_containment(text: str, mentions: list[Mention], gaz: Gazetteer) -> None:
    """"Paris, Texas": the second toponym, right after a comma, restricts the first."""
    for a, b in itertools.pairwise(mentions):
        gap = text[a.end:b.start]
        if gap.strip() != ",":
            continue
        containers = [r for r in b.candidates if gaz.kind[r] in (COUNTRY, ADMIN1)]
        inside = [r for r in a.candidates if any(_contains(c, r, gaz) for c in containers)]
        if inside:
            a.within = containers
            a.candidates = inside
            b.candidates = [c for c in containers if any(_contains(c, r, gaz) for r in inside)] or b.candidates


def _contains(container: int, row: int, gaz: Gazetteer) -> bool:
    if container == row:
        return False
    if gaz.kind[container] == COUNTRY:
        return gaz.cc[row] == gaz.cc[container]
    return gaz.admin1[row] == container


# ---------------------------------------------------------------------------------------------------------
# Resolution


def resolve_spans(doc: Doc, spans: Sequence[tuple[int, int]], *, lexicon: Resources,
                  country: str | None = None) -> list[Place | None]:
    """Resolve given character spans (e.g. gold toponyms) in the context of each other; None if unknown."""
    gaz = lexicon.gazetteer
    text = _text(doc)
    mentions: list[Mention | None] = [_mention(text, s, e, gaz, lexicon, allow_demonym=True) for s, e in spans]
    known = sorted((m for m in mentions if m is not None), key=lambda m: m.start)
    _link_containment(text, known, gaz)
    outlet = country or outlet_country(doc, gaz)
    resolved = {(p.start, p.end): p for p in _resolve(known, gaz, outlet, outlet_home(doc, gaz))}
    return [resolved.get((s, e)) for s, e in spans]


def _priors(mention: Mention, gaz: Gazetteer) -> list[float]:
    """Priors of a mention's candidates; a capital beats a province of its name ("Tbilisi", "Washington")."""
    scores = [_prior(r, mention, gaz) for r in mention.candidates]
    cities = [r for r in mention.candidates if gaz.kind[r] == CITY]
    for n, r in enumerate(mention.candidates):
        # a province smaller than a town of its name anywhere is the lesser known ("Savannah")
        if gaz.kind[r] == ADMIN1 and any((gaz.admin1[c] == r and gaz.population[c] * 3 >= gaz.population[r])
                                         or (gaz.fcode[c] == "PPLC" and gaz.cc[c] == gaz.cc[r])
                                         or gaz.population[c] >= gaz.population[r] for c in cities):
            scores[n] -= 2.5
    return scores


def _prior(row: int, mention: Mention, gaz: Gazetteer) -> float:
    """What a candidate is worth before context: population, kind, capital, official name or not."""
    kind = gaz.kind[row]
    score = math.log10(gaz.population[row] + 100) + _KIND_PRIOR[kind]
    if kind == CITY and gaz.fcode[row] == "PPLC":
        score += 1.5  # "Washington" in the news is the capital more often than the state
    if mention.area_word and kind == ADMIN2:
        score += 3.0
    if kind in (CITY, ADMIN1, ADMIN2) and normalise(gaz.name[row]) != normalise(mention.text):
        score -= 1.0  # matched on an alternate name
    return score


def _resolve(mentions: list[Mention], gaz: Gazetteer, outlet: str | None,
             home: Mention | None = None) -> list[Place]:
    """Local scores, then the same scores plus what the document's other toponyms say.

    Mentions of one name are one group (one sense per article), counted once as context; a name made
    precise once ("Paris, Tenn.") lends that sense to its bare mentions. The town in the outlet's name
    (`home`) counts as one more toponym of the article but is not reported.
    """
    groups: dict[tuple, list[Mention]] = {}
    if home is not None and (not mentions or any(normalise(m.text) == home.text for m in mentions)):
        home = None  # an article that names the outlet's town says itself which one it is
    for m in ([home] if home is not None else []) + mentions:
        if m.candidates:
            groups.setdefault((normalise(m.text), tuple(m.within)), []).append(m)
    keys = list(groups)
    priors = {k: _priors(groups[k][0], gaz) for k in keys}
    # what each group says about the document: a distribution over its candidates
    contributions: dict[tuple, tuple[dict[str, float], dict[int, float], list[tuple[float, float, float]]]] = {}
    countries: dict[str, float] = {}
    admin1s: dict[int, float] = {}
    # counties: those the names may be, and those the towns named may lie in ("Paris" and "Henry County");
    # any candidate counts, however unlikely alone: the pair of them is what makes them likely
    counties: dict[int, set[tuple]] = {}
    for k in keys:
        own_cc: dict[str, float] = {}
        own_a1: dict[int, float] = {}
        own_pts: list[tuple[float, float, float]] = []
        for r in groups[k][0].candidates:
            county = r if gaz.kind[r] == ADMIN2 else gaz.admin2.get(r, -1)
            if county >= 0:
                counties.setdefault(county, set()).add(k)
        for r, p in zip(groups[k][0].candidates, _softmax(priors[k])):
            if p < 0.05:
                continue
            # naming a country says less about where the article is than naming its towns and states
            weight = _COUNTRY_WEIGHT if gaz.kind[r] in (COUNTRY, REGION) else 1.0
            own_cc[gaz.cc[r]] = own_cc.get(gaz.cc[r], 0.0) + p * weight
            if gaz.admin1[r] >= 0:
                own_a1[gaz.admin1[r]] = own_a1.get(gaz.admin1[r], 0.0) + p
            if gaz.kind[r] in (CITY, ADMIN2):
                own_pts.append((gaz.lat[r], gaz.lon[r], p))
        contributions[k] = (own_cc, own_a1, own_pts)
        for cc, p in own_cc.items():
            countries[cc] = countries.get(cc, 0.0) + p
        for a1, p in own_a1.items():
            admin1s[a1] = admin1s.get(a1, 0.0) + p
    total = sum(countries.values())
    grid = _Grid(gaz, {k: groups[k][0].candidates for k in keys})
    chosen: dict[tuple, int] = {}
    # containment-restricted groups first, so that their sense carries over to the bare name
    for k in sorted(keys, key=lambda k: not k[1]):
        own_cc, own_a1, own_pts = contributions[k]
        others = max(total - sum(own_cc.values()), 1.0)
        points = [pt for kk, (_, _, pts) in contributions.items() if kk != k for pt in pts]
        settled = {chosen[kk] for kk in chosen if kk[0] == k[0]}
        best, best_score = -1, -math.inf
        # the pull of the document's countries grows with the evidence, up to two other places' worth
        strength = min((total - sum(own_cc.values())) / 2.0, 1.0)
        for r, s in zip(groups[k][0].candidates, priors[k]):
            share = (countries.get(gaz.cc[r], 0.0) - own_cc.get(gaz.cc[r], 0.0)) / others
            s += 4.0 * max(share, 0.0) * strength
            if gaz.cc[r] and gaz.cc[r] == outlet:
                s += 1.5
            a1 = gaz.admin1[r]
            if a1 >= 0 and gaz.kind[r] in (CITY, ADMIN2, ADMIN1):
                # a town in a state the article names, or a state whose towns it names ("Georgia", "Atlanta")
                s += 2.5 * min(admin1s.get(a1, 0.0) - own_a1.get(a1, 0.0), 1.0)
            county = r if gaz.kind[r] == ADMIN2 else gaz.admin2.get(r, -1)
            if county >= 0:  # a town in a county the article names, or a county whose town it names
                s += 2.0 * min(len(counties.get(county, ())) - 1, 1)
            if gaz.kind[r] in (CITY, ADMIN2):
                if points:
                    s += _nearby(gaz.lat[r], gaz.lon[r], points)
                s += 1.0 * min(grid.neighbours(r, k), 3)
            if r in settled:
                s += 5.0
            if s > best_score:
                best, best_score = r, s
        chosen[k] = best
    if home is not None:
        home.candidates = [chosen[k] for k in keys if home in groups[k]]  # where the outlet is, for the caller
    return sorted((_place(m, chosen[k], gaz) for k in keys for m in groups[k] if m.start >= 0),
                  key=lambda p: p.start)


class _Grid:
    """Candidates of every name on a one-degree grid, to find the names that have a candidate nearby.

    Places named together tend to lie together: "Paris" and "Henry County" are the Tennessee ones.
    """

    def __init__(self, gaz: Gazetteer, candidates: dict[tuple, list[int]]):
        self.gaz = gaz
        self.cells: dict[tuple[int, int], list[tuple[float, float, tuple]]] = {}
        for key, rows in candidates.items():
            for r in rows:
                if gaz.kind[r] in (CITY, ADMIN2):
                    cell = (int(gaz.lat[r] // 1), int(gaz.lon[r] // 1))
                    self.cells.setdefault(cell, []).append((gaz.lat[r], gaz.lon[r], key))

    def neighbours(self, row: int, own: tuple) -> int:
        """How many other names have a candidate within 60 km of this one."""
        lat, lon = self.gaz.lat[row], self.gaz.lon[row]
        ci, cj = int(lat // 1), int(lon // 1)
        found = set()
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for plat, plon, key in self.cells.get((ci + di, cj + dj), ()):
                    if key != own and key[0] != own[0] and key not in found and distance_km(lat, lon, plat, plon) < 60:
                        found.add(key)
        return len(found)


def _softmax(scores: list[float]) -> list[float]:
    if not scores:
        return []
    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]


def _nearby(lat: float, lon: float, points: list[tuple[float, float, float]]) -> float:
    """A bonus for being close to where the document's other places are (self excluded by distance > 0)."""
    weight = 0.0
    for plat, plon, p in points:
        if abs(plat - lat) > 1.5 or abs(plon - lon) > 2.5 * (1 + abs(lat) / 45):
            continue  # cheap box test before the great circle
        d = distance_km(lat, lon, plat, plon)
        if 0.5 < d < 150:
            weight += p
            if weight >= 2.0:
                break
    return min(weight, 2.0)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


_PRECISION = {COUNTRY: "country", ADMIN1: "admin1", ADMIN2: "admin1", CITY: "city"}
_WATER = {"SEA", "OCN", "GULF", "LK", "STM", "BAY"}


def _place(m: Mention, row: int, gaz: Gazetteer) -> Place:
    kind = gaz.kind[row]
    cc = gaz.cc[row]
    iso3, fips, _ = gaz.countries.get(cc, (None, None, 0))
    a1 = gaz.admin1[row]
    feature_class = "H" if gaz.fcode[row] in _WATER else ("L" if kind == REGION else "A" if kind != CITY else "P")
    return Place(text=m.text, start=m.start, end=m.end, name=gaz.name[row], geonames_id=gaz.gid[row] or None,
                 lat=round(gaz.lat[row], 5), lon=round(gaz.lon[row], 5), country=iso3 or None,
                 country_fips=fips or None, admin1=gaz.name[a1] if a1 >= 0 else None,
                 feature_class=feature_class, precision=_PRECISION.get(kind))


# ---------------------------------------------------------------------------------------------------------
# Outlet country


_TLD = {"uk": "GB", "com": None, "org": None, "net": None, "edu": "US", "gov": "US", "int": None, "info": None}


def outlet_country(doc: Doc, gaz: Gazetteer) -> str | None:
    """ISO alpha-2 of the outlet: metadata country if given, else the country-code domain of source or url."""
    document = doc._.document if doc.has_extension("document") else None
    if document is None:
        return None
    meta = document.metadata or {}
    for key in ("country", "outlet_country", "source_country"):
        value = meta.get(key)
        if isinstance(value, str) and value.strip():
            return _country_code(value.strip(), gaz)
    for value in (document.source, document.url):
        if value:
            host = re.sub(r"^[a-z]+://", "", value.lower()).split("/")[0].split(":")[0]
            tld = host.rsplit(".", 1)[-1] if "." in host else ""
            if tld in _TLD:
                return _TLD[tld]
            if len(tld) == 2 and tld.upper() in gaz.countries:
                return tld.upper()
    return None


def outlet_home(doc: Doc, gaz: Gazetteer) -> Mention | None:
    """The town or state in the outlet's domain name ("columbuslocalnews.com", "chronicle.augusta.com")."""
    document = doc._.document if doc.has_extension("document") else None
    if document is None:
        return None
    for value in (document.source, document.url):
        if value:
            name = _home_name(re.sub(r"^[a-z]+://", "", value.lower()).split("/")[0].split(":")[0])
            if name:  # a town or a state: a country in a domain name is more often a word ("jordannews")
                rows = [r for r in gaz.primary[name] if gaz.kind[r] in (CITY, ADMIN1)]
                return Mention(-1, -1, name, rows[:_MAX_CANDIDATES])
    return None


_HOME_MIN = 5  # shorter names hide in too many words ("erie" in "series")
_HOME_POPULATION = 20_000


@lru_cache(maxsize=1024)
def _home_name(host: str) -> str | None:
    """The longest town or state name that begins or ends a label of the host name, if any."""
    gaz = load_gazetteer()
    labels = [part for label in host.split(".")[:-1] for part in label.split("-") if part != "www"]
    best = ""
    for label in labels:
        for n in range(len(label), _HOME_MIN - 1, -1):
            for piece in {label[:n], label[-n:]}:
                rows = gaz.primary.get(piece, ())
                if len(piece) > len(best) and not any(gaz.kind[r] == COUNTRY for r in rows) and any(
                        (gaz.kind[r] == CITY and gaz.population[r] >= _HOME_POPULATION) or gaz.kind[r] == ADMIN1
                        for r in rows[:10]):
                    best = piece
    return best or None


@lru_cache(maxsize=256)
def _iso3_to_iso2(iso3: str) -> str | None:
    gaz = load_gazetteer()
    return next((iso2 for iso2, info in gaz.countries.items() if info[0] == iso3), None)


def _country_code(value: str, gaz: Gazetteer) -> str | None:
    if len(value) == 2 and value.upper() in gaz.countries:
        return value.upper()
    if len(value) == 3 and value.isupper():
        return _iso3_to_iso2(value)
    rows = [r for r in gaz.lookup(value) if gaz.kind[r] == COUNTRY]
    return gaz.cc[rows[0]] if rows else None
