"""The event lexicon: verb and noun patterns, the CAMEO code table and the CAMEO -> PLOVER crosswalk.

Data files live in `tacitus/data/events/` (see the header of verbs.tsv for the pattern language). A pattern
is matched against the *bag* of words of a verb's clause (objects, prepositional phrases, infinitive
complements), so "impose sanctions on" matches "imposed new targeted sanctions on four officials" and
"accuse +T of genocide" matches "accused China of carrying out a genocide". The most specific match wins.

User verb dictionaries (PETRARCH/TABARI verbs files, read by `tacitus.verb_dictionaries`) add patterns marked
`user`; for a lemma they list, a matching user pattern beats every built-in one (see `EventLexicon.best`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from tacitus.extract.event_context import ModalWords
from tacitus.lexicon import LexiconError, Row, data_path, file_version, read_tsv

if TYPE_CHECKING:
    from spacy.tokens import Token

    from tacitus.verb_dictionaries import Discards

EVENTS_DIR = "events"
FILES = ("synsets.tsv", "verbs.tsv", "nouns.tsv", "cameo_codes.tsv", "plover.tsv")
NON_EVENTS_FILE = "non_events.tsv"

# words that introduce a prepositional phrase in a pattern (they are matched like any other bag word, but
# `PREP +T` makes the object of that preposition the target)
PREPOSITIONS = frozenset({
    "on", "against", "with", "to", "for", "of", "from", "in", "into", "at", "over", "about", "toward", "towards",
    "by", "through", "across", "upon", "under", "between", "behind", "among", "outside", "near", "along",
    "around", "despite", "as", "off", "onto", "inside", "within", "throughout", "amid", "via", "beyond",
})
TARGET, INFINITIVE, RECEIVED = "+T", "TO", "+R"
COORDINATORS = frozenset({"and", "or", "nor", "&"})
NEGATIONS = frozenset({"not", "n't", "never", "no", "neither", "nor"})
NO_CODE = "---"  # a user pattern that codes nothing ("[---]" in PETRARCH): when it wins, the verb is not coded


@dataclass(frozen=True)
class Group:
    """One pattern constraint: any of the alternatives (each a tuple of words that must all be present)."""

    alternatives: tuple[tuple[str, ...], ...]
    # a user dictionary's `_`-joined phrase ("REAL_PLEASANT"): its words must be consecutive in the text, which
    # the bag holds as space-joined n-grams (see `events._user_bag`)
    adjacent: bool = False
    # the same alternatives split for speed: one-word ones as a set, longer ones longest first
    singles: frozenset[str] = field(init=False, repr=False, compare=False)
    phrases: tuple[tuple[str, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "singles", frozenset(w[0] for w in self.alternatives if len(w) == 1))
        object.__setattr__(self, "phrases", tuple(sorted((w for w in self.alternatives if len(w) > 1),
                                                         key=len, reverse=True)))

    def matches(self, bag: frozenset[str]) -> int:
        """Number of words of the best alternative present in the bag (0 when none is fully present)."""
        for words in self.phrases:
            if (" ".join(words) in bag) if self.adjacent else all(w in bag for w in words):
                return len(words)
        return 0 if self.singles.isdisjoint(bag) else 1


@dataclass(frozen=True)
class Pattern:
    code: str
    verbs: frozenset[str]  # trigger lemmas ("call" for "call_on")
    particles: dict[str, tuple[tuple[str, ...], ...]]  # lemma -> words required with it: "call_on" -> (("on",),)
    groups: tuple[Group, ...]
    target_prep: frozenset[str] | None  # {"on"} in "impose sanctions on +T"; empty when +T is the direct object
    infinitive: bool
    line: int
    text: str
    received: bool = False  # "+R": the subject receives; the +T actor is the source ("received aid from X")
    before: tuple[Group, ...] = ()  # pre-verb words ("NOT *", "WOULD *"): the clause's words left of the verb
    user: bool = False  # from a user verb dictionary: takes precedence over built-in patterns
    origin: str = ""  # file of a user pattern (`line` is its line there)
    mirror: str | None = None  # PETRARCH "[032:033]": the code of the target's mirrored event (033)
    compound: bool = False  # PETRARCH "% *": the subject is a coordination (checked when pre-verb words are given)
    skip_preps: frozenset[str] = frozenset()  # PETRARCH "IN ^ +": the object of "in" is skipped, not the target

    @property
    def negative(self) -> bool:
        """Whether the pattern's own words include a negation ("NOT *", "WILL NOT *"): its code already says so,
        and the event it codes is not a negated one."""
        return any(w in NEGATIONS for g in (*self.before, *self.groups) for alt in g.alternatives for w in alt)

    def score(self, lemma: str, bag: frozenset[str], has_infinitive: bool,
              before: frozenset[str] | None = None) -> int:
        """Specificity of the match, or -1 when the pattern does not apply; pre-verb groups are matched
        against `before` (the clause's words left of the verb), or against the bag when it is not given."""
        if lemma not in self.verbs:
            return -1
        forms = [f for f in self.particles.get(lemma, ((),)) if all(w in bag for w in f)]
        if not forms:
            return -1
        extra = max(forms, key=len)
        if self.infinitive and not has_infinitive:
            return -1
        total = 1 + len(extra) + (1 if self.infinitive else 0)
        for group in self.groups:
            got = group.matches(bag)
            if not got:
                return -1
            total += got
        for group in self.before:
            got = group.matches(bag if before is None else before)
            if not got:
                return -1
            total += got
        if self.compound:
            if before is not None and before.isdisjoint(COORDINATORS):
                return -1
            total += 1
        return total


@dataclass
class CameoCode:
    code: str
    name: str
    quad_class: int
    goldstein: float | None


@dataclass
class PloverMap:
    type: str | None
    mode: str | None
    contexts: list[str]


@dataclass
class EventLexicon:
    verbs: dict[str, list[Pattern]] = field(default_factory=dict)  # lemma -> patterns
    nouns: dict[str, list[Pattern]] = field(default_factory=dict)
    codes: dict[str, CameoCode] = field(default_factory=dict)
    plover: dict[str, PloverMap] = field(default_factory=dict)
    paths: list[Path] = field(default_factory=list)
    non_events: dict[str, list[Pattern]] = field(default_factory=dict)  # non_events.tsv: readings that code nothing
    non_actor_heads: frozenset[str] = frozenset()  # event nouns: "a military cooperation agreement" is no actor
    for_deeds: frozenset[str] = frozenset()  # &FORDEED: "praised|blamed X for V-ing" (X did it)
    mutual_nouns: frozenset[str] = frozenset()  # "their talks|ties|meeting": what two sides share
    sport_words: tuple[tuple[str, ...], ...] = ()  # &SPORT: "restore baseball competition" is no cooperation
    synsets: dict[str, list[str]] = field(default_factory=dict)  # synsets.tsv, expanded: "ECONMEASURE" -> words
    user_dictionaries: list = field(default_factory=list)  # VerbDictionary of each user verbs file
    warnings: list[str] = field(default_factory=list)  # file:line problems of the user verbs files
    # PETRARCH's require_dyad: False also codes clauses with a source and no target ("a senior official said")
    require_dyad: bool = True
    discards: Discards | None = None  # from a user's PETRARCH discards file

    def about_sport(self, bag: frozenset[str]) -> bool:
        """Whether a clause's words name a sport ("World Cup", "football match")."""
        return any(all(w in bag for w in words) for words in self.sport_words)

    @cached_property
    def sectors(self) -> tuple[frozenset[str], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """Market-measure words (&ECONMEASURE) and the business, private and press role codes (&BUSINESSROLE,
        &PRIVATEROLE, &PRESSROLE), worked out once per lexicon."""
        words = self.synsets.get
        return (frozenset(w.lower() for w in words("ECONMEASURE", [])),
                tuple(w.upper() for w in words("BUSINESSROLE", [])),
                tuple(w.upper() for w in words("PRIVATEROLE", [])),
                tuple(w.upper() for w in words("PRESSROLE", [])))

    @cached_property
    def modal_words(self) -> ModalWords:
        """Possibility and plan nouns and modifiers that make an event hypothetical or future."""
        return ModalWords.from_synsets(self.synsets)

    @property
    def version(self) -> str:
        """Content hash of the lexicon files."""
        return file_version(*self.paths)

    @property
    def pattern_count(self) -> int:
        """Number of verb patterns."""
        return len({id(p) for ps in self.verbs.values() for p in ps})

    def best(self, table: dict[str, list[Pattern]], lemma: str, bag: frozenset[str],
             has_infinitive: bool = False, before: frozenset[str] | None = None,
             user_bag: frozenset[str] | None = None) -> tuple[Pattern | None, int]:
        """The most specific pattern for a trigger lemma and its clause bag (ties: the longer code).

        A matching user pattern beats every built-in one (ties between user patterns: the earlier line); a
        winning user `[---]` pattern means "no event" and returns (None, 0). User patterns are matched against
        `user_bag` when given (PETRARCH patterns read on into a that-clause).
        """
        found, best_score, from_user = None, 0, False
        for pattern in table.get(lemma, ()):
            if from_user and not pattern.user:
                continue
            score = pattern.score(lemma, bag if user_bag is None or not pattern.user else user_bag,
                                  has_infinitive, before)
            if score <= 0:
                continue
            if pattern.user and not from_user:
                found, best_score, from_user = pattern, score, True
            elif score > best_score or (score == best_score and found and not from_user
                                        and len(pattern.code) > len(found.code)):
                found, best_score = pattern, score
        if found is not None and found.code == NO_CODE:
            return None, 0
        return found, best_score

    def no_event(self, lemma: str, bag: frozenset[str], has_infinitive: bool, score: int,
                 before: frozenset[str] | None = None) -> bool:
        """Whether a non_events.tsv reading matches at least as specifically as the coded pattern's `score`."""
        return any(p.score(lemma, bag, has_infinitive, before) >= score for p in self.non_events.get(lemma, ()))

    def add_user_patterns(self, patterns: Sequence[Pattern]) -> None:
        """Add user patterns under each of their lemmas, after the built-in ones."""
        for pattern in patterns:
            for verb in pattern.verbs:
                self.verbs.setdefault(verb, []).append(pattern)

    def code(self, code: str) -> CameoCode | None:
        """The CAMEO code table entry."""
        return self.codes.get(code)

    def goldstein(self, code: str) -> float | None:
        """Goldstein weight of a code, falling back to its parent (4 -> 3 -> 2 digits)."""
        while code:
            entry = self.codes.get(code)
            if entry is not None and entry.goldstein is not None:
                return entry.goldstein
            code = code[:-1] if len(code) > 2 else ""
        return None

    def plover_for(self, code: str) -> PloverMap:
        """PLOVER type/mode/contexts for a CAMEO code: the most specific mapped prefix."""
        for n in (len(code), 3, 2):
            found = self.plover.get(code[:n])
            if found is not None:
                return found
        return PloverMap(None, None, [])


def _read_synsets(path: Path) -> dict[str, list[str]]:
    raw: dict[str, tuple[str, Row]] = {}
    for row in read_tsv(path, columns=2):
        name, words = row.values
        if not words:
            raise LexiconError(f"{row.where()}: synset {name} has no words")
        raw[name.lstrip("&").upper()] = (words, row)
    synsets: dict[str, list[str]] = {}

    def expand(name: str, seen: tuple[str, ...]) -> list[str]:
        """Words of a synset, with included synsets expanded."""
        if name in synsets:
            return synsets[name]
        if name not in raw:
            raise LexiconError(f"{path}: unknown synset &{name}")
        if name in seen:
            raise LexiconError(f"{raw[name][1].where()}: synset &{name} includes itself")
        out: list[str] = []
        for word in raw[name][0].split("|"):
            word = word.strip()
            out.extend(expand(word[1:].upper(), (*seen, name)) if word.startswith("&") else [word])
        synsets[name] = out
        return out

    for name in raw:
        expand(name, ())
    return synsets


def _split_pattern(text: str) -> list[str]:
    """Tokens of a pattern; adjacent plain word groups are rejoined into multi-word alternatives.

    A preposition between two word lists is a constraint of its own ("hunger strike against policy|law"); a
    multi-word alternative with a preposition in it is written with "_" ("genocide|crime_against_humanity").
    """
    tokens = text.split()
    out: list[str] = tokens[:1]
    for tok in tokens[1:]:
        prev = out[-1] if len(out) > 1 else None
        if prev is not None and not _is_keyword(prev) and not _is_keyword(tok):
            out[-1] = f"{prev} {tok}"
        else:
            out.append(tok)
    return out


def _is_keyword(tok: str) -> bool:
    return tok in (TARGET, INFINITIVE) or tok.startswith("&") or all(
        a in PREPOSITIONS or a == TARGET for a in tok.split("|"))


def parse_pattern(code: str, text: str, row: Row, synsets: dict[str, list[str]]) -> Pattern:
    """One pattern line -> Pattern; a malformed line raises LexiconError with file:line."""
    if code != NO_CODE and not (code.isdigit() and 2 <= len(code) <= 4):  # "---": this reading codes nothing
        raise LexiconError(f"{row.where()}: '{code}' is not a CAMEO code")
    tokens = _split_pattern(text)
    if not tokens:
        raise LexiconError(f"{row.where()}: empty pattern")
    verbs: set[str] = set()
    particles: dict[str, tuple[tuple[str, ...], ...]] = {}
    for alt in tokens[0].split("|"):
        parts = [p for p in alt.strip().lower().split("_") if p]
        if not parts or parts[0] in (TARGET.lower(), "to") or parts[0].startswith("&"):
            raise LexiconError(f"{row.where()}: a pattern must start with a verb, got '{tokens[0]}'")
        verbs.add(parts[0])
        particles[parts[0]] = (*particles.get(parts[0], ()), tuple(parts[1:]))
    groups: list[Group] = []
    target_prep: frozenset[str] | None = None
    infinitive = received = False
    previous: frozenset[str] | None = None
    for tok in tokens[1:]:
        if tok == TARGET:
            if target_prep is None:
                target_prep = previous or frozenset()
        elif tok == INFINITIVE:
            infinitive = True
        elif tok == RECEIVED:
            received = True
        else:
            alternatives: list[tuple[str, ...]] = []
            for alt in tok.split("|"):
                alt = alt.strip()
                if alt == TARGET:
                    target_prep = previous or frozenset()
                    continue
                if alt.startswith("&"):
                    name = alt[1:].upper()
                    if name not in synsets:
                        raise LexiconError(f"{row.where()}: unknown synset {alt}")
                    alternatives.extend(tuple(w.lower().replace("_", " ").split()) for w in synsets[name])
                elif alt:
                    alternatives.append(tuple(alt.lower().replace("_", " ").split()))
            if alternatives:
                groups.append(Group(tuple(alternatives)))
            alts = tok.split("|")
            previous = frozenset(alts) if all(a in PREPOSITIONS for a in alts) else None
            continue
        previous = None
    return Pattern(code=code, verbs=frozenset(verbs), particles=particles, groups=tuple(groups),
                   target_prep=target_prep, infinitive=infinitive, line=row.line, text=text,
                   received=received)


def _read_patterns(path: Path, synsets: dict[str, list[str]]) -> dict[str, list[Pattern]]:
    table: dict[str, list[Pattern]] = {}
    for row in read_tsv(path, columns=2):
        code, text = row.values
        pattern = parse_pattern(code, text, row, synsets)
        for verb in pattern.verbs:
            table.setdefault(verb, []).append(pattern)
    return table


def _read_codes(path: Path) -> dict[str, CameoCode]:
    codes: dict[str, CameoCode] = {}
    for row in read_tsv(path, columns=4):
        code, quad, goldstein, name = row.values
        try:
            codes[code] = CameoCode(code, name, int(quad), float(goldstein) if goldstein else None)
        except ValueError as exc:
            raise LexiconError(f"{row.where()}: bad quad class or Goldstein value ({exc})") from exc
    return codes


def _read_plover(path: Path) -> dict[str, PloverMap]:
    table: dict[str, PloverMap] = {}
    for row in read_tsv(path, columns=4, min_columns=2):
        code, kind, mode, contexts = row.values
        if not code.isdigit():
            raise LexiconError(f"{row.where()}: '{code}' is not a CAMEO code")
        table[code] = PloverMap(kind or None, mode or None, [c for c in contexts.split("|") if c])
    return table


def load_lexicon(directory: Path | None = None, *, verb_dictionaries: Sequence[Path] = ()) -> EventLexicon:
    """Read every event data file (packaged ones by default) into an EventLexicon, plus user verbs files."""
    base = directory or data_path(EVENTS_DIR)
    paths = [base / name for name in FILES]
    for path in paths:
        if not path.is_file():
            raise LexiconError(f"{path}: event lexicon file missing")
    synsets = _read_synsets(paths[0])
    nouns = _read_patterns(paths[2], synsets)
    heads = set(nouns)
    for name in ("AGREEMENT", "TALKS", "MEETING", "VISIT", "SANCTION", "AID", "INVESTIGATION", "ATTACK", "TIES",
                 "NONACTOR"):
        heads.update(w.split()[-1] for w in synsets.get(name, []))
    lexicon = EventLexicon(verbs=_read_patterns(paths[1], synsets), nouns=nouns, codes=_read_codes(paths[3]),
                           plover=_read_plover(paths[4]), paths=paths, non_actor_heads=frozenset(heads),
                           mutual_nouns=frozenset(w for name in ("TALKS", "MEETING", "TIES", "AGREEMENT", "VISIT")
                                                  for w in synsets.get(name, [])),
                           sport_words=tuple(tuple(w.split()) for w in synsets.get("SPORT", [])),
                           for_deeds=frozenset(synsets.get("FORDEED", [])), synsets=synsets)
    optional = base / NON_EVENTS_FILE
    if optional.is_file():  # "approved the merger", "called for bids": no event, however the verb reads
        lexicon.non_events = _read_patterns(optional, synsets)
        lexicon.paths = [*paths, optional]
    if verb_dictionaries:
        from tacitus.verb_dictionaries import FORMS_FILE, load_verb_dictionaries

        read, problems = load_verb_dictionaries(list(verb_dictionaries))
        for dictionary in read:
            lexicon.add_user_patterns(dictionary.patterns)
        lexicon.user_dictionaries, lexicon.warnings = read, problems
        lexicon.paths = [*lexicon.paths, data_path(FORMS_FILE), *map(Path, verb_dictionaries)]
    return lexicon


def preverb_words(verb: Token) -> frozenset[str]:
    """Words left of a verb in its clause, for pre-verb pattern words ("said it would NOT *"): the verb's
    left dependents (subject, auxiliaries, negation, adverbs), its governing verbs and their auxiliaries."""
    words: set[str] = set()
    # the one to three words right before the verb, as "recently *" / "did not *", for "RECENTLY_*" patterns
    doc = verb.doc
    for n in (1, 2, 3):
        if verb.i - n >= verb.sent.start:
            run = doc[verb.i - n : verb.i]
            words.add(" ".join(t.lower_ for t in run) + " *")
            words.add(" ".join(t.lemma_.lower() for t in run) + " *")
    for child in verb.lefts:
        for tok in child.subtree:
            words.update((tok.lower_, tok.lemma_.lower()))
    head = verb
    while head.head.i != head.i and head.dep_ not in ("relcl", "parataxis"):
        head = head.head
        if head.i < verb.i:
            words.update((head.lower_, head.lemma_.lower()))
        for child in head.children:
            if child.i < verb.i and child.dep_ in ("aux", "auxpass", "neg", "advmod", "mark", "prep"):
                words.update((child.lower_, child.lemma_.lower()))
    return frozenset(words)
