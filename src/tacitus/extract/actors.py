"""Actor codes, titles and within-document coreference.

Every entity that is a political actor gets a CAMEO code (`Entity.actor`): names, capitals, regions and
organisations from the dictionary (data/actors/*.tsv plus user dictionaries, see `tacitus.dictionaries`);
people from their titles ("Zhao Lijian, a spokesperson for China's Foreign Ministry" -> CHN + ~GOV).
Pronouns and definite nominals ("he", "the spokesperson", "the ministry") become mentions of the entity
they refer to, and `EntityIndex.nominal_actor` codes noun phrases that are not entities ("Chinese
officials" -> CHNGOV, "the police" -> the country in context + COP).
"""

from __future__ import annotations

import datetime as dt
import warnings as py_warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from tacitus.config import Config
from tacitus.dictionaries import (
    ActorDictionary,
    DatedCode,
    apply_agent,
    load_dictionaries,
    normalise_phrase,
    read_user_tsv,
)
from tacitus.extract.doccache import doc_values
from tacitus.extract.entities import EntityIndex
from tacitus.lexicon import LexiconError, data_path, file_version, read_tsv
from tacitus.schema import Actor, Entity, Mention

VERSION = "tacitus.actors.v1"

_DATA_FILES = ("countries.tsv", "regions.tsv", "organisations.tsv", "people.tsv", "agents.tsv")
_ACTOR_TYPES = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
# prepositions whose object says whose agent a role is ("spokesman for China", "minister of Canada")
_OWNER_PREPS = {"of", "for", "at", "from", "in", "with"}
_FORMER = {"former", "ex", "erstwhile", "onetime", "one-time", "retired", "late"}
# a former office holder is an elite (ELI); a former company chairman is still business, not an elite
_ELITE_SECTORS = {"~GOV", "~LEG", "~MIL", "~JUD", "~COP", "~SPY"}
# where a capital is only the place of something ("listed in London", "talks in Washington"), not the actor
_PLACE_PREPS = {"in", "at", "near", "outside", "around", "across", "into", "inside", "throughout", "within",
                "via", "through"}
_MOTION_WORDS = {"visit", "trip", "journey", "return", "travel", "go", "come", "fly", "arrive", "move", "head",
                 "leave", "flight", "ship", "shipment", "export", "way", "road", "route", "drive", "sail"}


@dataclass
class ActorLexicon:
    """Everything the actors extractor reads once per process."""

    dictionary: ActorDictionary
    countries: set[str]  # country and region codes: the first three letters of a code that are a country
    genders: dict[str, str]  # lower-case given name -> "m" / "f"
    files: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    states: set[str] = field(default_factory=set)  # countries only (no world regions): the context of roles
    seats: set[str] = field(default_factory=set)  # normalised capitals and seats of power ("london", "kremlin")
    _firsts: tuple[tuple[int, int], set[str]] | None = field(default=None, repr=False, compare=False)

    def first_words(self) -> set[str]:
        """Every word a dictionary phrase starts with: a match can start nowhere else (rebuilt when the
        dictionary grows; its tables never lose a phrase)."""
        sizes = (len(self.dictionary.actors), len(self.dictionary.agents))
        if self._firsts is None or self._firsts[0] != sizes:
            words = {key.split()[0] for table in (self.dictionary.actors, self.dictionary.agents)
                     for key in table if key.split()}
            self._firsts = (sizes, words)
        return self._firsts[1]


def load_builtin() -> tuple[ActorDictionary, set[str], dict[str, str]]:
    """The packaged lexicon (strict: a malformed built-in entry is a bug, raised with file:line)."""
    dictionary = ActorDictionary()
    countries: set[str] = set()
    for row in read_tsv(data_path("actors/countries.tsv"), columns=4, min_columns=2):
        code, names, demonyms, seats = row.values
        countries.add(code)
        where = row.where()
        # seats first so that a city-state's name ("Singapore") stays the country, not its government
        for seat in filter(None, seats.split("|")):
            dictionary.add(seat, [DatedCode(code + "GOV")], where=where)
        for name in filter(None, (names + "|" + demonyms).split("|")):
            dictionary.add(name, [DatedCode(code)], where=where)
    problems: list[str] = []
    for name in _DATA_FILES[1:]:
        part = read_user_tsv(data_path(f"actors/{name}"), problems)
        dictionary.update(part)
    if problems:
        raise LexiconError(problems[0])
    for row in read_tsv(data_path("actors/regions.tsv"), columns=4, min_columns=2):
        if len(row.values[1]) == 3:
            countries.add(row.values[1])
    genders: dict[str, str] = {}
    for row in read_tsv(data_path("actors/first_names.tsv"), columns=2):
        for given in row.values[1].split("|"):
            genders[normalise_phrase(given)] = row.values[0]
    return dictionary, countries, genders


def load(config: Config) -> ActorLexicon:
    """The built-in lexicon plus the user dictionaries of the config (warnings kept and emitted)."""
    dictionary, countries, genders = load_builtin()
    # theme lists (`*themes*.tsv`) share the --dictionary option but belong to the themes extractor
    # and PETRARCH verbs files belong to the event extractor
    from tacitus.verb_dictionaries import is_discards_file, is_verb_dictionary

    paths = [p for p in config.dictionaries if "theme" not in Path(p).name.lower() and not is_verb_dictionary(p)
             and not is_discards_file(p)]
    user, problems = load_dictionaries(paths)
    dictionary.update(user)
    for problem in problems:
        py_warnings.warn(f"dictionary: {problem}", stacklevel=2)
    files = [data_path(f"actors/{name}") for name in (*_DATA_FILES, "first_names.tsv")]
    rows = list(read_tsv(data_path("actors/countries.tsv"), columns=4, min_columns=2))
    states = {row.values[0] for row in rows}
    seats = {normalise_phrase(seat) for row in rows for seat in row.values[3].split("|") if seat}
    return ActorLexicon(dictionary, countries, genders, files=files + paths, warnings=problems, states=states,
                        seats=seats)


def version(resources: ActorLexicon) -> str:
    """Extractor version plus a content hash of the lexicon and user dictionaries."""
    return f"{VERSION}+lexicon-{file_version(*resources.files)}"


def make_actor(code: str | None, countries: set[str]) -> Actor | None:
    """Split a CAMEO code into country and 3-letter sectors (CHNGOV -> CHN, [GOV]; IGOUNO -> None, [IGO, UNO])."""
    if not code or code.startswith("---"):
        return None
    country = code[:3] if code[:3] in countries else None
    rest = code[3:] if country else code
    return Actor(code=code, country=country, sectors=[rest[i:i + 3] for i in range(0, len(rest), 3)])


# ---------------------------------------------------------------------------------------------------------
# per-document matching

@dataclass
class Match:
    start: int  # token indices, end exclusive
    end: int
    codes: list[str]
    text: str

    @property
    def code(self) -> str:
        return self.codes[0]


_WORD_KEYS: dict[str, tuple[str, ...]] = {}  # token text -> the word's normalised dictionary words


def _word_keys(text: str) -> tuple[str, ...]:
    """The normalised words of a token for dictionary matching, cached per word (normalising is slow)."""
    keys = _WORD_KEYS.get(text)
    if keys is None:
        keys = () if text.isspace() else tuple(normalise_phrase(text).split())  # spaCy's is_space
        if len(_WORD_KEYS) > 500_000:
            _WORD_KEYS.clear()
        _WORD_KEYS[text] = keys
    return keys


class DocActors:
    """Dictionary matches of one document and the coding of noun phrases from them."""

    def __init__(self, doc: Doc, lexicon: ActorLexicon, date: dt.date | None):
        self.doc = doc
        self.lexicon = lexicon
        self.date = date
        words: list[str] = []
        owner: list[int] = []  # word -> token index
        for i, text in enumerate(doc_values(doc).texts):
            for word in _word_keys(text):
                words.append(word)
                owner.append(i)
        self.actor_at: dict[int, Match] = {}
        self.agent_at: dict[int, Match] = {}
        self.actor_matches = self._scan(words, owner, "actors", self.actor_at)
        self._scan(words, owner, "agents", self.agent_at)
        self.title_heads: dict[str, set[str]] = {}  # entity id -> head nouns of the person's titles
        self._business_lead: bool | None = None
        self.country_counts = Counter(m.code[:3] for m in self.actor_matches if self.gives_country(m))
        self.lead_country = self._lead_country()

    def business_lead(self) -> bool:
        """Whether the first sentence names a company as such ("Acme Widgets Inc said ...")."""
        if self._business_lead is None:
            first = next(iter(self.doc.sents), None)
            self._business_lead = first is not None and any(
                ent.label_ == "ORG" and (m := self.agent_at.get(ent.end - 1)) is not None and m.code == "~BUS"
                for ent in first.ents)
        return self._business_lead

    def gives_country(self, match: Match) -> bool:
        """Whether a match names a country that can be the context of a role: a news outlet ("told Reuters",
        GBRMED) or a company ("Toshiba", JPNBUS) is no clue to whose officials act in the story."""
        if match.end < len(self.doc) and self.doc[match.end].lower_ in _CURRENCIES:
            return False  # "U.S. dlrs", "the Swiss franc" name money, not a country that acts
        return match.code[:3] in self.lexicon.states and match.code[3:6] not in ("MED", "BUS")

    def is_seat(self, match: Match) -> bool:
        """Whether a match is a capital or seat of power ("London", "the Kremlin"), coded as a government."""
        return normalise_phrase(match.text) in self.lexicon.seats or _strip_the(match.text).lower() in self.lexicon.seats

    def _lead_country(self) -> str | None:
        """The country that is the subject of the first sentence: by news convention, an official whose
        country is not named ("Foreign Minister X said") belongs to the story's lead actor."""
        first = next(iter(self.doc.sents), None)
        return self._subject_country(first) if first is not None else None

    def _subject_country(self, sent: Span) -> str | None:
        """The first country named inside the subject of a sentence ("Russia's Foreign Ministry summoned")."""
        for i in range(sent.start, sent.end):
            match = self.actor_at.get(i)
            if match is None or match.start != i or not self.gives_country(match):
                continue
            tok = self.doc[i]
            if any(t.dep_ in ("nsubj", "nsubjpass") for t in (tok, *tok.ancestors) if sent.start <= t.i < sent.end):
                return match.code[:3]
        return None

    def _scan(self, words: list[str], owner: list[int], kind: str, at: dict[int, Match]) -> list[Match]:
        found: list[Match] = []
        k = 0
        dictionary = self.lexicon.dictionary
        firsts = self.lexicon.first_words()
        while k < len(words):
            if words[k] not in firsts:  # most words start no phrase: skip the lookup
                k += 1
                continue
            n, codes = dictionary.longest_match(words, k, self.date, kind=kind)
            if n:
                start, end = owner[k], owner[k + n - 1] + 1
                span = self.doc[start:end]
                if (n > 1 and words[k] == "the" and span[-1].head.i >= end
                        and span[-1].dep_ in ("amod", "compound", "nmod")):
                    # "the Australian government" is not the newspaper The Australian: try "Australian" alone
                    k += 1
                    continue
                if kind == "agents" or _looks_like_name(span):
                    match = Match(start, end, codes, span.text)
                    found.append(match)
                    for i in range(start, end):
                        at.setdefault(i, match)
                    k += n
                    continue
            k += 1
        return found

    def context_country(self, first: Token) -> str | None:
        """The country a bare role refers to: the nearest named before it in the sentence, the only one
        named in the sentence, the subject of the sentence before, the subject of the lead sentence, else the
        document's most mentioned."""
        sent = first.sent
        in_sentence = [(i, m.code[:3]) for i in range(sent.start, sent.end)
                       if (m := self.actor_at.get(i)) and self.gives_country(m)]
        before = [code for i, code in in_sentence if i < first.i]
        if before:
            return before[-1]
        # a country named later as a partner or origin is no clue to whose official acts ("the central bank
        # will buy dollars from the United States"); "the government of Greece" or "Japan's surplus" is
        in_sentence = [(i, code) for i, code in in_sentence if not self._partner(self.actor_at[i])]
        if len({code for _, code in in_sentence}) == 1:
            return in_sentence[0][1]
        previous = self.doc[sent.start - 1].sent if sent.start > 0 else None
        country = self._subject_country(previous) if previous is not None else None
        if country or self.lead_country:
            return country or self.lead_country
        if self.country_counts:
            (country, count), *rest = self.country_counts.most_common(2)
            if count >= 2 and (not rest or rest[0][1] < count):
                return country
        return None

    def story_country(self) -> str | None:
        """The country a story is about when one clearly dominates it (at least two mentions, twice any
        other): an unknown company in it is taken to be of that country, never of a nearby mention."""
        if not self.country_counts:
            return None
        (country, count), *rest = self.country_counts.most_common(2)
        return country if count >= 2 and (not rest or count >= 2 * rest[0][1]) else None

    def _partner(self, match: Match) -> bool:
        """Whether a country is named as the partner or origin of an action ("buy dollars from the United
        States", "talks with Japan"), not as the owner of a role ("officials from Kenya")."""
        root = self.doc[match.start:match.end].root
        prep = root.head
        return (root.dep_ == "pobj" and prep.lower_ in _PARTNER_PREPS and prep.head.pos_ in ("VERB", "AUX"))

    def code_phrase(self, tokens: list[Token], head: Token | None = None, *, exclude: set[int] | None = None,
                    default_country: str | None = None, company: bool = False) -> tuple[str | None, bool]:
        """Code of a noun phrase from the actors and role nouns in it: (code, whether a role was found)."""
        if not tokens:
            return None, False
        head = head or tokens[-1]
        if head.lower_ in _CURRENCIES:
            return None, False  # "the Swiss franc" is money, not Switzerland
        inside = {t.i for t in tokens}
        ranked: list[tuple[int, int, Match]] = []
        seen: set[int] = set()
        for tok in tokens:
            match = self.actor_at.get(tok.i)
            if match is None or id(match) in seen:
                continue
            if not all(i in inside for i in range(match.start, match.end)):
                continue
            if exclude and tok.i in exclude:  # an organisation inside a longer name gives only its country
                if match.code[:3] not in self.lexicon.countries:
                    continue
                match = Match(match.start, match.end, [match.code[:3]], match.text)
            seen.add(id(match))
            rank = -1 if match.start <= head.i < match.end else _owner_rank(self.doc[match.start:match.end].root, head)
            if rank is not None:
                ranked.append((rank, -len(match.code), match))
        agents = []
        seen.clear()
        for tok in tokens:
            match = self.agent_at.get(tok.i)
            if match is None or id(match) in seen:
                continue
            if (self.actor_at.get(tok.i) is not None and self.actor_at[tok.i].end >= match.end
                    and not (exclude and tok.i in exclude)):
                continue  # "White House" is an actor, not the agent "house"
            seen.add(id(match))
            agents.append(match)
        agent = _pick_agent(agents, head)
        best = min(ranked, key=lambda r: (r[0], r[1], r[2].start))[2] if ranked else None
        base = best.code if best else None
        if best is not None and base[:3] in self.lexicon.countries and base[3:6] in _STATE_SECTORS:
            # "the Irish Agriculture Department", "Japan's Export-Import Bank": a country named before a
            # state body known by its bare name (coded for its usual country) says whose body it is
            other = next((m.code[:3] for _, _, m in sorted(ranked, key=lambda r: r[2].start)
                          if m.end <= best.start and m.code[:3] in self.lexicon.countries
                          and len(m.code) == 3 and m.code[:3] != base[:3]), None)
            if other is not None:
                base = other + base[3:]
        former = any(t.lower_ in _FORMER for t in tokens)
        sector = agent.code if agent else None
        head_role = next((m for m in agents if m.start <= head.i < m.end), agent)
        if company and head_role and normalise_phrase(head_role.text) in _CORPORATE_ROLES:
            sector = "~BUS"  # "IBM vice president", "Rolm's chairman", "chairman of the NYSE committee"
        if former and sector in _ELITE_SECTORS:
            sector = "~ELI"
        if (sector is None and best is not None and len(base) > 3 and not best.start <= head.i < best.end
                and self.is_seat(best)):
            base = base[:3]  # "the London options exchange" is in Britain, not its government
        if base is None:
            if sector is None:
                return None, False
            country = default_country or self.context_country(tokens[0])
            return (apply_agent(country, sector) if country else None), True
        if sector is None:
            return base, False
        if len(base) > 3:  # an organisation's own code decides ("UN Secretary General" -> IGOUNO)
            if former and base[:3] in self.lexicon.countries:
                return base[:3] + "ELI", True
            return base, True
        return apply_agent(base, sector), True


def _looks_like_name(span: Span) -> bool:
    """A dictionary name needs a capital letter and is not a lone stop word ("us", "who", "is")."""
    if not any(c.isupper() for c in span.text):
        return False
    if len(span) == 1 and span[0].is_stop and not span[0].text.isupper():
        return False
    if len(span) == 1 and span[0].text.isupper() and span[0].lower_ in {"us", "who", "it", "is", "am"}:
        # all-caps "US"/"WHO" is the name; sentence-initial "Who" is not
        return span[0].pos_ != "PRON"
    return True


def _owner_rank(root: Token, head: Token) -> int | None:
    """How a name inside a phrase relates to its head: modifier 0, owner (of/for/'s) 1, other None."""
    path = _path_up(root, head)
    if path is None:
        return 0 if root.i < head.i else None
    if root.i < head.i and not any(t.dep_ == "prep" for t in path):
        return 0
    preps = [t for t in path if t.dep_ == "prep"]
    if all(p.lower_ in _OWNER_PREPS for p in preps):
        return 1
    return None


def _path_up(tok: Token, head: Token) -> list[Token] | None:
    path = []
    while tok.i != head.i:
        if tok.head.i == tok.i:
            return None
        path.append(tok)
        tok = tok.head
        if len(path) > 8:
            return None
    return path


def _pick_agent(agents: list[Match], head: Token) -> Match | None:
    """The role noun that heads the phrase: the one covering the head, else the last before it, else first."""
    if not agents:
        return None
    chosen = None
    for match in agents:
        if match.start <= head.i < match.end:
            chosen = match
    if chosen is None:
        before = [m for m in agents if m.end <= head.i + 1]
        chosen = before[-1] if before else agents[0]
    if normalise_phrase(chosen.text) in _GENERIC_ROLES:
        # "army spokesman", "spokesman for the police": the institution says which sector speaks
        others = [m for m in agents if normalise_phrase(m.text) not in _GENERIC_ROLES]
        if others:
            return min(others, key=lambda m: abs(m.start - chosen.start))
    return chosen


_CURRENCIES = {"dollar", "dollars", "dlr", "dlrs", "franc", "francs", "yen", "mark", "marks", "pound", "pounds",
               "sterling", "lira", "lire", "peso", "pesos", "cent", "cents", "ct", "cts", "crown", "crowns", "krona",
               "kronor", "krone", "kroner", "rupee", "rupees", "rand", "shilling", "shillings", "schilling",
               "schillings", "guilder", "guilders", "escudo", "escudos", "peseta", "pesetas", "won", "baht",
               "ringgit", "rupiah", "yuan", "renminbi", "rouble", "roubles", "ruble", "rubles", "dinar", "dinars",
               "riyal", "riyals", "rial", "rials", "drachma", "drachmas", "cruzado", "cruzados", "austral",
               "australs", "currency", "currencies", "euro", "euros", "ecu", "ecus"}
_PARTNER_PREPS = {"from", "to", "with", "against", "into", "toward", "towards", "than", "versus", "vs"}
_STATE_SECTORS = {"GOV", "LEG", "JUD", "MIL", "COP", "SPY"}
# words ending a company's name: an organisation so named is a business whatever role words it holds
_COMPANY_ENDINGS = {"inc", "corp", "corporation", "co", "cos", "ltd", "limited", "plc", "llc", "lp", "ag", "nv",
                    "sa", "spa", "gmbh", "bv", "pty", "kk", "ab", "as", "asa", "oy", "group", "holdings", "holding",
                    "industries", "motors", "securities", "bancorp", "airlines", "enterprises", "partners",
                    "bank", "brothers", "associates", "investors", "trust", "capital", "international"}

# legal forms used in one country only (AG, NV, Ltd, Inc are used in several)
_SUFFIX_COUNTRY = {"plc": "GBR", "oy": "FIN", "oyj": "FIN", "spa": "ITA", "pty": "AUS", "kk": "JPN", "gmbh": "DEU"}


def _company_name(span: Span) -> bool:
    """Whether a name ends like a company's ("Acme Widgets Ltd", "Kowa Securities", "Shell Group Inc")."""
    words = [t for t in span if not t.is_punct]
    return bool(words) and words[-1].lower_.rstrip(".") in _COMPANY_ENDINGS


_CORPORATE_ROLES = {"president", "vice president", "executive vice president", "senior vice president",
                    "chairman", "chairwoman", "chairperson", "chief", "head", "director", "official", "officials",
                    "spokesman", "spokeswoman", "spokesperson", "secretary", "treasurer", "leader", "executive",
                    "chief executive", "chief of staff", "adviser", "advisor", "governor", "commissioner"}
_GENERIC_ROLES = {"spokesperson", "spokesman", "spokeswoman", "spokespeople", "spokesmen", "spokeswomen",
                  "official", "officials", "chief", "head", "leader", "leaders", "director", "representative",
                  "member", "members", "adviser", "advisor", "aide", "press officer", "senior official",
                  # "committee chairman", "deputy director of the finance ministry": the body decides
                  "chairman", "chairwoman", "chairperson", "deputy"}


# ---------------------------------------------------------------------------------------------------------
# titles of people

_TITLE_POS = {"PROPN", "NOUN", "ADJ", "DET", "PART", "NUM"}
_TITLE_STOP = {"said", "says", "told", "and", "or", "but", "while", "as", "that", "than"}


def _left_title(doc: Doc, start: int, taken: dict[int, str]) -> list[Token]:
    """Words before a name that describe it: "UN Secretary General [Antonio Guterres]"."""
    tokens: list[Token] = []
    i = start - 1
    while i >= 0 and len(tokens) < 12:
        tok = doc[i]
        if tok.is_sent_end or tok.is_space or tok.lower_ in _TITLE_STOP:
            break
        if taken.get(i, "") == "PERSON":
            break
        if tok.pos_ in _TITLE_POS or tok.tag_ == "POS" or (tok.lower_ in ("of", "for", "to") and tokens):
            tokens.insert(0, tok)
            i -= 1
            continue
        break
    while tokens and (tokens[0].pos_ == "DET" or tokens[0].lower_ in ("of", "for", "to") or tokens[0].tag_ == "POS"):
        tokens.pop(0)
    return tokens


def _right_title(doc: Doc, end: int, taken: dict[int, str]) -> list[Token]:
    """An appositive or relative clause after a name: ", a spokesperson for ...", ", who is also the ..."."""
    if end >= len(doc) or doc[end].text != ",":
        return []
    i = end + 1
    if i < len(doc) and doc[i].lower_ == "who":
        i += 1
        if i < len(doc) and doc[i].lemma_ == "be":
            i += 1
        else:
            return []
        while i < len(doc) and doc[i].pos_ == "ADV":
            i += 1
    tokens: list[Token] = []
    while i < len(doc) and len(tokens) < 20:
        tok = doc[i]
        if tok.is_punct and tok.text not in ("'", "’", "-") or tok.is_space:
            break
        if tok.pos_ in ("VERB", "AUX", "PRON", "SCONJ", "CCONJ") and tok.tag_ != "PRP$":
            break
        if taken.get(i) == "PERSON":
            return []  # ", UN Secretary General Antonio Guterres says": another person, not a title
        tokens.append(tok)
        i += 1
    if tokens and tokens[0].pos_ == "DET":
        tokens = tokens[1:] if len(tokens) > 1 else []
    if tokens and (tokens[0].pos_ == "ADP" and tokens[0].lower_ != "of"
                   or tokens[0].pos_ == "ADV" and tokens[0].lower_ not in _TITLE_ADVERBS):
        return []  # ", together with the Bank of England, ..." is no title
    return tokens


_TITLE_ADVERBS = {"then", "now", "also", "currently", "formerly", "still", "previously"}


def _linked_title(span: Span, taken: dict[int, str]) -> list[Token]:
    """A title the parse links to a name: "A spokesman for X, [Name], said" or "[Name] is the army chief"."""
    root = span.root
    doc = span.doc
    if root.dep_ == "appos" and root.head.i < span.start and root.head.pos_ == "NOUN":
        tokens = [t for t in doc[root.head.left_edge.i:span.start] if not t.is_punct or t.text in ("'", "’")]
    elif root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_ == "be":
        attrs = [c for c in root.head.children if c.dep_ == "attr" and c.i > span.end]
        if not attrs:
            return []
        tokens = list(doc[attrs[0].left_edge.i:attrs[0].right_edge.i + 1])
    else:
        return []
    tokens = [t for t in tokens if t.i not in span]
    if not tokens or len(tokens) > 20 or any(taken.get(t.i) == "PERSON" for t in tokens):
        return []
    while tokens and tokens[0].pos_ == "DET":
        tokens = tokens[1:]
    return tokens


# ---------------------------------------------------------------------------------------------------------

def actors(doc: Doc, *, entities: EntityIndex, lexicon: ActorLexicon, date: dt.date | None) -> EntityIndex:
    """Code every entity, collect people's titles and resolve pronouns and nominals (a new EntityIndex)."""
    found = DocActors(doc, lexicon, date)
    taken_type = {i: e.type for i, eid in entities.by_token.items() if (e := entities.get(eid))}
    coded: list[Entity] = []
    for entity in entities.entities:
        actor, titles = _code_entity(doc, entity, entities, found, taken_type)
        coded.append(entity.model_copy(update={"actor": actor, "titles": titles,
                                               "mentions": list(entity.mentions)}, deep=True))
    index = EntityIndex(entities=coded, by_token=dict(entities.by_token))
    index.nominal_actor = _nominal_coder(found)
    resolve_references(doc, index, genders=lexicon.genders, found=found)
    return index


def _mention_spans(doc: Doc, entity: Entity, entities: EntityIndex) -> list[Span]:
    spans = []
    for m in entity.mentions:
        if m.kind != "name":
            continue
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    return spans


def _code_entity(doc: Doc, entity: Entity, entities: EntityIndex, found: DocActors,
                 taken: dict[int, str]) -> tuple[Actor | None, list[str]]:
    if entity.type not in _ACTOR_TYPES:
        return None, list(entity.titles)
    dictionary, date, countries = found.lexicon.dictionary, found.date, found.lexicon.countries
    spans = _mention_spans(doc, entity, entities)
    if (entity.type in ("GPE", "NORP") and spans
            and all(s.end < len(doc) and doc[s.end].lower_ in _CURRENCIES for s in spans)):
        return None, list(entity.titles)  # "the Swiss franc", "U.S. dlrs": money, not a country that acts
    # 1. the dictionary: the canonical name, then each full mention
    names = [entity.name] + [s.text for s in spans if len(s) > 1 or entity.type != "PERSON" or len(entity.name.split()) == 1]
    known_country = None  # a person in the dictionary, out of office on this date, still has a country
    for name in names:
        for variant in (name, _strip_the(name)):
            codes = dictionary.lookup(variant, date)
            if codes:
                titles = _person_titles(doc, entity, spans, found, taken)[1] if entity.type == "PERSON" else []
                code = codes[0]
                if entity.type == "ORG" and code[:3] in countries and code[3:6] in _STATE_SECTORS and spans:
                    owner = next((m.code[:3] for t in spans[0].root.children if t.dep_ == "poss"
                                  and (m := found.actor_at.get(t.i)) and m.code[:3] in countries), None)
                    if owner is not None and owner != code[:3]:
                        code = owner + code[3:]  # "Japan's Export-Import Bank" is Japan's
                if entity.type in ("GPE", "LOC", "FAC") and spans:
                    code = _placed_in(doc, spans[0], found, code)
                if (entity.type in ("GPE", "LOC", "FAC") and len(code) > 3 and code[:3] in countries
                        and spans and all(_names_a_place(s) for s in spans)
                        and any(normalise_phrase(s.text) in found.lexicon.seats for s in spans)):
                    code = code[:3]  # "listed in London", "talks in Washington": the city, not the government
                return make_actor(code, countries), titles
            if known_country is None and entity.type == "PERSON":
                known_country = next((c.code[:3] for c in dictionary.actors.get(normalise_phrase(variant), [])
                                      if c.code[:3] in countries), None)
    if entity.type == "PERSON":
        code, titles = _person_titles(doc, entity, spans, found, taken, known_country)
        return make_actor(code or known_country, countries), titles
    # 2. an organisation or place coded from its parts ("China's Foreign Ministry", "Xinjiang government")
    best: tuple[int, str] | None = None
    for span in spans:
        tokens = list(span)
        possessor = [t for t in span.root.children if t.dep_ == "poss" and t.i < span.start]
        for owner in possessor:
            tokens = list(owner.subtree) + tokens
        # "Continental Bank of Canada" is not the Bank of Canada: an organisation's code inside a longer
        # name does not name the entity (a country inside it still gives the country)
        inner: set[int] = set()
        for t in span[1:]:
            m = found.actor_at.get(t.i)
            if m and m.start == t.i and len(m.code) > 3 and any(
                    u.pos_ == "PROPN" and u.i not in found.actor_at for u in doc[span.start:m.start]):
                inner.update(range(m.start, m.end))
        first = found.actor_at.get(span.start)
        if first is not None and first.end < span.end and found.is_seat(first):
            inner.update(range(first.start, first.end))  # "London Metal Exchange" is no British government body
        code, has_role = found.code_phrase(tokens, span.root, exclude=inner)
        explicit = any(t.i in found.actor_at and t.i not in inner for t in tokens)
        if entity.type == "ORG" and _company_name(span):
            last = found.actor_at.get(span[-1].i)
            role = found.agent_at.get(span[-1].i)
            if (last is None or len(last.code) <= 3 or last.end < span.end) and (
                    role is None or role.code == "~BUS" or role.end - role.start < 2):
                # a company unknown to the lexicon: a business, of the country its own words (or its
                # possessor, "London's") name, never of the story's context ("Acme Holdings Ltd")
                named = [m for t in tokens if (m := found.actor_at.get(t.i)) and m.code[:3] in countries]
                own = next((m.code for m in named if len(m.code) == 3 and m.start >= span.start), None) or (
                    named[0].code[:3] if named else None)  # "Metallgesellschaft Canada Ltd" is Canadian
                own = own or next((_SUFFIX_COUNTRY[w] for t in span if (w := t.lower_.rstrip(".")) in _SUFFIX_COUNTRY),
                                  None) or found.story_country()
                code, has_role = (own or "") + "BUS", True
        if entity.type in ("GPE", "NORP", "LOC") and not explicit:
            continue  # a place is coded by name only ("Soviet Union" is not a labour union)
        if code and (best is None or (has_role, len(code)) > (bool(best[0]), len(best[1]))):
            best = (int(has_role), code)
    if best:
        return make_actor(best[1], countries), []
    return None, []


def _placed_in(doc: Doc, span: Span, found: DocActors, code: str) -> str:
    """A place followed by the country or state it lies in ("San Jose, California", "Victoria, British
    Columbia") is in that country, whatever other place of the same name the dictionary knows."""
    if span.end + 1 >= len(doc) or doc[span.end].text != "," or not found.is_seat(Match(
            span.start, span.end, [code], span.text)):
        return code  # only a capital's name is shared with other towns ("Canada, Britain and ..." is a list)
    match = found.actor_at.get(span.end + 1)
    if match is None or match.start != span.end + 1:
        return code
    country = match.code[:3]
    if country not in found.lexicon.countries or country == code[:3] or match.code[3:6] in ("BUS", "MED"):
        return code
    after = match.end
    listed = ((span.start > 0 and doc[span.start - 1].text == ",") or found.is_seat(match)
              or (after < len(doc) and doc[after].lower_ in ("and", "or", "&"))
              or (after + 1 < len(doc) and doc[after].text == "," and after + 1 in found.actor_at))
    return code if listed else country  # "Frankfurt, London, New York and Tokyo" is a list of places


def _names_a_place(span: Span) -> bool:
    """Whether a mention of a city is only a place: the object of a locative preposition ("in London"), of a
    preposition after a word of motion ("his visit to Washington"), or a modifier ("the Tokyo market")."""
    root = span.root
    while root.dep_ == "conj" and root.head.i != root.i:
        root = root.head
    if root.dep_ in ("compound", "amod", "nmod", "npadvmod") and root.head.i >= span.end:
        return True
    if root.dep_ == "pobj":
        prep = root.head
        if prep.lower_ in _PLACE_PREPS:
            return True
        return prep.lower_ in ("to", "from") and prep.head.lemma_.lower() in _MOTION_WORDS
    return False


def _strip_the(name: str) -> str:
    return name[4:] if name.lower().startswith("the ") else name


def _person_titles(doc: Doc, entity: Entity, spans: list[Span], found: DocActors, taken: dict[int, str],
                   known_country: str | None = None) -> tuple[str | None, list[str]]:
    """A person's titles in the text and the code the strongest one gives."""
    titles: list[str] = []
    best: tuple[int, int, str] | None = None  # (strength, -position, code)
    for span in spans:
        sides = (("left", _left_title(doc, span.start, taken)), ("right", _right_title(doc, span.end, taken)),
                 ("right", _linked_title(span, taken)))
        for side, tokens in sides:
            if not tokens:
                continue
            if side == "left":  # the role noun heads a title before a name ("ambassador to Canada")
                head = next((t for t in reversed(tokens) if t.i in found.agent_at), tokens[-1])
            else:
                head = _phrase_head(tokens)
            # a company named in the title makes "president" a business role, and so does a story led by a
            # company for a bare title after a name ("Acme Inc said ... John Doe, president, said")
            company = _names_company(tokens, taken, found) or (
                side == "right" and found.business_lead() and not any(t.i in found.actor_at for t in tokens))
            code, has_role = found.code_phrase(tokens, head, default_country=known_country, company=company)
            if not has_role and (code is None or len(code) <= 3):
                continue  # a bare place before a name ("Detroit") is not a title; "CBC's" is
            text = doc[tokens[0].i:tokens[-1].i + 1].text
            found.title_heads.setdefault(entity.id, set()).update({normalise_phrase(head.lemma_),
                                                                    normalise_phrase(head.text)})
            if text not in titles:
                titles.append(text)
            if code:
                explicit = any(found.actor_at.get(t.i) for t in tokens)
                # a named country or organisation beats a bare role whose country is only guessed from context
                strength = 2 * int(explicit) + int(has_role)
                candidate = (strength, -span.start, code)
                if best is None or candidate[:2] > best[:2]:
                    best = candidate
    return (best[2] if best else None), titles


def _names_company(tokens: list[Token], taken: dict[int, str], found: DocActors) -> bool:
    """Whether a title names a company: a run of ORG tokens with no dictionary name and no role noun other
    than a business one ("Ways and Means Committee",
    "Commerce" in "Commerce Secretary" are no companies)."""
    run: list[Token] = []
    for tok in [*tokens, None]:
        if tok is not None and taken.get(tok.i) == "ORG":
            run.append(tok)
            continue
        if run and not any((t.i in found.actor_at and found.actor_at[t.i].code[3:6] != "BUS")
                           or (t.i in found.agent_at and found.agent_at[t.i].code != "~BUS") for t in run):
            return True
        run = []
    return False


def _phrase_head(tokens: list[Token]) -> Token:
    ids = {t.i for t in tokens}
    for tok in tokens:
        if tok.head.i not in ids or tok.head.i == tok.i:
            return tok
    return tokens[0]


def _nominal_coder(found: DocActors):
    """`EntityIndex.nominal_actor` for this document: codes a noun phrase from its words."""
    countries = found.lexicon.countries
    # events and quotes ask again and again about the same phrases; the matches it reads are fixed by now
    coded: dict[tuple[int, int], Actor | None] = {}

    def nominal_actor(span: Span) -> Actor | None:
        key = (span.start, span.end)
        if key not in coded:
            coded[key] = _code_nominal(span)
        return coded[key]

    def _code_nominal(span: Span) -> Actor | None:
        tokens = [t for t in span if not t.is_punct and t.pos_ != "PRON" or t.tag_ == "PRP$"]
        tokens = [t for t in tokens if t.tag_ != "PRP$"]
        if not tokens:
            return None
        code, _ = found.code_phrase(tokens, span.root)
        return make_actor(code, countries)

    return nominal_actor


# ---------------------------------------------------------------------------------------------------------
# coreference: pronouns and definite nominals

_PRONOUNS = {"he": "m", "him": "m", "his": "m", "himself": "m", "she": "f", "her": "f", "hers": "f",
             "herself": "f", "they": "p", "them": "p", "their": "p", "theirs": "p", "themselves": "p"}
_MALE_WORDS = {"spokesman", "chairman", "king", "prince", "mr", "sir", "lord", "father", "son", "brother",
               "husband", "congressman", "businessman", "policeman", "emir", "sultan", "sheikh", "pope"}
_FEMALE_WORDS = {"spokeswoman", "chairwoman", "queen", "princess", "mrs", "ms", "miss", "madam", "dame",
                 "lady", "mother", "daughter", "sister", "wife", "congresswoman", "businesswoman"}
_QUOTE_MARKS = {'"', "“", "”", "«", "»"}
_SENTENCE_WINDOW = 3


@dataclass
class _Seen:
    entity: Entity
    token: int
    sent: int
    subject: bool


def _quoted_tokens(doc: Doc) -> set[int]:
    """Indices of tokens inside quotation marks (reset at each paragraph break)."""
    inside: set[int] = set()
    open_quote = False
    for i, text in enumerate(doc_values(doc).texts):
        if "\n" in text:
            open_quote = False
        elif text in _QUOTE_MARKS:
            open_quote = text != "”" and (text == "“" or not open_quote)
        elif open_quote:
            inside.add(i)
    return inside


def _gender(entity: Entity, doc: Doc, spans: list[Span], genders: dict[str, str]) -> str | None:
    words = {w for title in entity.titles for w in normalise_phrase(title).split()}
    for span in spans:
        if span.start > 0:
            words.add(normalise_phrase(doc[span.start - 1].text))
    if words & _FEMALE_WORDS and not words & _MALE_WORDS:
        return "f"
    if words & _MALE_WORDS and not words & _FEMALE_WORDS:
        return "m"
    first = normalise_phrase(entity.name.split()[0]) if entity.name.split() else ""
    return genders.get(first)


def resolve_references(doc: Doc, index: EntityIndex, *, genders: dict[str, str], found: DocActors) -> None:
    """Add pronoun and definite-nominal mentions to the entities they refer to (mutates the new index)."""
    sent_of = {}
    for n, sent in enumerate(doc.sents):
        for i in range(sent.start, sent.end):
            sent_of[i] = n
    quoted = _quoted_tokens(doc)
    events: dict[int, tuple[Entity, Span]] = {}
    gender: dict[str, str | None] = {}
    for entity in index.entities:
        spans = _mention_spans(doc, entity, index)
        for span in spans:
            events.setdefault(span.start, (entity, span))
        if entity.type == "PERSON":
            gender[entity.id] = _gender(entity, doc, spans, genders)
    history: list[_Seen] = []
    added: dict[str, list[Mention]] = {}
    for i, lower in enumerate(doc_values(doc).lowers):
        if i in events:
            entity, span = events[i]
            root = span.root
            subject = root.dep_ in ("nsubj", "nsubjpass") or (root.dep_ in ("appos", "compound") and
                                                              root.head.dep_ in ("nsubj", "nsubjpass"))
            history.append(_Seen(entity, i, sent_of.get(i, 0), subject))
            continue
        if i in index.by_token or i in quoted:
            continue
        if lower not in _PRONOUNS and i not in found.agent_at:
            continue  # neither a pronoun nor a role noun: most words, skipped before building their Token
        tok = doc[i]
        kind = _PRONOUNS.get(lower) if tok.pos_ == "PRON" or tok.tag_ in ("PRP", "PRP$") else None
        target: Entity | None = None
        mention_tokens: list[Token] = [tok]
        if kind:
            target = _resolve_pronoun(tok, kind, history, sent_of, gender, index)
        elif tok.pos_ in ("NOUN", "PROPN") and tok.i in found.agent_at:
            mention_tokens = _definite_np(tok)
            if mention_tokens:
                target = _resolve_nominal(tok, mention_tokens, history, sent_of, found, index)
        if target is None:
            continue
        if kind in ("m", "f") and gender.get(target.id) is None:
            gender[target.id] = kind
        start, end = mention_tokens[0], mention_tokens[-1]
        added.setdefault(target.id, []).append(Mention(
            start=start.idx, end=end.idx + len(end.text), text=doc[start.i:end.i + 1].text,
            kind="pronoun" if kind else "nominal"))
        for t in mention_tokens:
            index.by_token.setdefault(t.i, target.id)
        history.append(_Seen(target, tok.i, sent_of.get(tok.i, 0), tok.dep_ in ("nsubj", "nsubjpass")))
    for entity in index.entities:
        if entity.id in added:
            entity.mentions = sorted(entity.mentions + added[entity.id], key=lambda m: m.start)


def _resolve_pronoun(tok: Token, kind: str, history: list[_Seen], sent_of: dict[int, int],
                     gender: dict[str, str | None], index: EntityIndex) -> Entity | None:
    here = sent_of.get(tok.i, 0)
    if kind == "p":
        return _resolve_plural(tok, sent_of, index)
    # "Zhao told him": an object pronoun is not the subject of its own clause
    clause_subjects = {index.by_token.get(c.i) for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")} \
        if tok.dep_ in ("dobj", "pobj", "dative") else set()
    best: tuple[float, Entity] | None = None
    seen_ids: set[str] = set()
    # '"...," she said' after a long quotation: the speaker was named before the quote began
    after_quote = any(t.text in _QUOTE_MARKS for t in tok.doc[max(0, tok.i - 3):tok.i])
    window = 2 * _SENTENCE_WINDOW if after_quote else _SENTENCE_WINDOW
    for item in reversed(history):
        if here - item.sent > window:
            break  # history is in text order
        if item.entity.id in seen_ids:
            continue
        seen_ids.add(item.entity.id)
        entity = item.entity
        if entity.type != "PERSON" or gender.get(entity.id) not in (None, kind) or entity.id in clause_subjects:
            continue
        if entity.actor is not None and len(entity.actor.code) == 3:
            continue  # a place the model took for a person ("Ont.")
        score = -3.0 * (here - item.sent) + (2.0 if item.subject else 0.0) + item.token / 100000
        if gender.get(entity.id) == kind:
            score += 1.5  # a known gender that agrees beats an unknown one
        if best is None or score > best[0]:
            best = (score, entity)
    return best[1] if best else None


def _resolve_plural(tok: Token, sent_of: dict[int, int], index: EntityIndex) -> Entity | None:
    """they/them/their: the nearest earlier subject, when it is a coded group, organisation or country."""
    here = sent_of.get(tok.i, 0)
    doc = tok.doc
    for i in range(tok.i - 1, -1, -1):
        if here - sent_of.get(i, 0) > 1:
            return None
        other = doc[i]
        if other.tag_ in ("NNS", "NNPS") and i not in index.by_token:
            return None  # "... the allegations, and said they ...": a plural noun in between may be meant
        if other.dep_ not in ("nsubj", "nsubjpass") or other.pos_ == "PRON":
            continue
        entity = index.entity_for_token(other)
        if entity is None or entity.type == "PERSON" or entity.actor is None:
            return None
        return entity
    return None


def _definite_np(tok: Token) -> list[Token]:
    """"the spokesperson", "the Chinese government": a definite noun phrase headed by `tok`, else []."""
    if tok.dep_ in ("compound", "amod") or any(c.dep_ in ("poss",) for c in tok.children):
        return []
    dets = [c for c in tok.lefts if c.dep_ == "det" and c.lower_ in ("the", "this", "that")]
    if not dets:
        return []
    return [t for t in tok.doc[dets[0].i:tok.i + 1]]


_INSTITUTIONS = {"government", "administration", "regime", "authority", "ministry", "department", "cabinet",
                 "army", "military", "police", "parliament", "legislature", "court", "council", "party",
                 "company", "firm", "bank", "agency", "commission", "committee", "organization", "organisation",
                 "group", "union", "alliance", "bloc", "movement", "office", "embassy", "junta", "militia"}


def _resolve_nominal(tok: Token, tokens: list[Token], history: list[_Seen], sent_of: dict[int, int],
                     found: DocActors, index: EntityIndex) -> Entity | None:
    if tok.tag_ in ("NNS", "NNPS"):
        return None  # "the departments" is not one of them
    here = sent_of.get(tok.i, 0)
    head_word = normalise_phrase(tok.lemma_)
    named = [t for t in tokens if found.actor_at.get(t.i)]
    code = found.code_phrase(tokens, tok)[0] if named else None
    if code is not None and head_word not in _INSTITUTIONS:
        return None
    for item in reversed(history):
        if here - item.sent > 5:
            break
        entity = item.entity
        if code is not None:
            if entity.type != "PERSON" and entity.actor is not None and entity.actor.code == code:
                return entity
            continue
        if entity.type == "PERSON":
            words = found.title_heads.get(entity.id, set())
        else:
            words = set(normalise_phrase(entity.name).split())
        if head_word in words or normalise_phrase(tok.text) in words:
            return entity
    return None


__all__ = ["ActorLexicon", "actors", "load", "load_builtin", "make_actor", "resolve_references", "version"]
