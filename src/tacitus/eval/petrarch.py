"""Score the event coder on PETRARCH validation records (PETR.UnitTest.records.xml).

Each sentence is parsed with the spaCy model and coded with tacitus's own verb lexicon; actors come from the
PETRARCH actor/agent dictionaries given with --dictionaries (read by `tacitus.dictionaries`), applied as
PETRARCH does: the actor named in a noun phrase, combined with the agents in it ("Gondor's government" ->
GON + ~GOV = GONGOV). Sentences whose gold codes are test-only pseudo-codes (80x, 90x, 91x and other roots
outside CAMEO's 01-20) are skipped, and so are records whose gold is an error about malformed treebank input
(tacitus parses the text itself) and those the suite switches off (`sentence="false"`: TABARI features marked
"currently not implemented"). A PETRARCH discards file (`*discards*.txt`) among the dictionaries is
applied as PETRARCH does: a sentence with one of its phrases ("typhoon", "African Nations Cup") codes no
events; the records' `<Config>` switches `require_dyad` (false: a source alone is an event, its target "---")
and `new_actor_length` (an unknown short name phrase is coded as its text) apply to the records after them.
Reported: the share of sentences whose (source, target, code) set matches exactly at 2-, 3- and 4-digit
level, and event-level precision/recall at the same levels.

When the dictionaries include a PETRARCH verbs file (`*verbs*.txt`, `.verbs`), the same parsed sentences are
coded a second time with that file as a user verb dictionary (`tacitus.verb_dictionaries`, whose matching
patterns take precedence over tacitus's own), and the report gives both figures: the headline with tacitus's
own lexicon, then "with the user verb dictionary ...".
"""

from __future__ import annotations

import datetime as dt
import re
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from tacitus.dictionaries import ActorDictionary, apply_agent, load_dictionaries, normalise_phrase
from tacitus.extract.entities import EntityIndex
from tacitus.extract.event_patterns import load_lexicon
from tacitus.schema import Actor, Document
from tacitus.verb_dictionaries import Discards, is_discards_file, is_verb_dictionary, read_discard_files

LEVELS = (2, 3, 4)
EventKey = tuple[str, str, str]


class PetrarchEvalError(ValueError):
    """A records or dictionary file that cannot be used; the message is for a person."""


@dataclass
class Record:
    id: str
    date: dt.date
    text: str
    gold: set[EventKey]
    category: str = ""
    require_dyad: bool = True  # False: events with a source and no target count too (target "---")
    new_actor_length: int = 0  # > 0: an unknown name phrase of up to this many words is coded as its text


@dataclass
class Score:
    sentences: int = 0
    exact: dict[int, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    true_pos: dict[int, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    predicted: dict[int, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    gold: dict[int, int] = field(default_factory=lambda: dict.fromkeys(LEVELS, 0))
    skipped: int = 0
    dyads: int = 0  # sentences whose (source, target) pairs match, whatever the codes
    seconds: float = 0.0
    misses: list[tuple[Record, set[EventKey]]] = field(default_factory=list)
    label: str = ""  # what coded the events, when not tacitus's own lexicon
    notes: list[str] = field(default_factory=list)  # e.g. what was read from a user verbs file
    with_verbs: Score | None = None  # the same sentences coded with the user verb dictionary

    def add(self, record: Record, found: set[EventKey]) -> None:
        """Count one sentence at every level."""
        self.sentences += 1
        for n in LEVELS:
            gold = {(s, t, c[:n]) for s, t, c in record.gold}
            got = {(s, t, c[:n]) for s, t, c in found}
            self.exact[n] += gold == got
            self.true_pos[n] += len(gold & got)
            self.predicted[n] += len(got)
            self.gold[n] += len(gold)
        self.dyads += {(s, t) for s, t, _ in record.gold} == {(s, t) for s, t, _ in found}
        if {(s, t, c[:2]) for s, t, c in record.gold} != {(s, t, c[:2]) for s, t, c in found}:
            self.misses.append((record, found))


def _cameo(code: str) -> bool:
    """A CAMEO event code (root 01-20), not one of the suite's test-only pseudo-codes (80x, 90x, 22x ...)."""
    return code.isdigit() and 1 <= int(code[:2]) <= 20


def read_records(path: Path) -> tuple[list[Record], int]:
    """Validation sentences with their gold events and PETRARCH settings, and the number skipped (pseudo-codes,
    treebank-input errors, switched-off tests)."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise PetrarchEvalError(f"{path}: not a readable PETRARCH records file ({exc})") from exc
    records: list[Record] = []
    skipped = 0
    # PETRARCH's settings, switched between records by `<Config option="require_dyad" value="false">`
    require_dyad, new_actor_length = True, 0
    for sent in root.iter():
        option = (sent.get("option") or "").strip().lower() if sent.tag == "Config" else ""
        value = (sent.get("value") or "").strip().lower()
        if option == "require_dyad":
            require_dyad = value != "false"
        elif option == "new_actor_length":
            new_actor_length = int(value) if value.isdigit() else 0
        if sent.tag != "Sentence":
            continue
        text_el = sent.find("Text")
        if text_el is None or not (text_el.text or "").strip():
            continue
        gold: set[EventKey] = set()
        pseudo = False
        if any(c.get("error") in PARSE_ERRORS for c in sent.iter("EventCoding")):
            skipped += 1  # a test of PETRARCH's treebank reader: tacitus parses the text itself
            continue
        if sent.get("sentence", "true").strip().lower() == "false":
            skipped += 1  # switched off in the suite: TABARI features marked "currently not implemented"
            continue
        for coding in sent.iter("EventCoding"):
            code = (coding.get("eventcode") or "").strip()
            if not code:
                continue  # noevents="True"
            if not _cameo(code):
                pseudo = True
                continue
            source = (coding.get("sourcecode") or "").strip().strip('"')
            target = (coding.get("targetcode") or "").strip().strip('"')
            gold.add((source, target, code))
        if pseudo:
            skipped += 1
            continue
        raw_date = sent.get("date", "")
        try:
            date = dt.datetime.strptime(raw_date, "%Y%m%d").date()
        except ValueError:
            date = dt.date(2000, 1, 1)
        # PETRARCH input may join a multi-word name with "_" ("Dol_Amroth"): tacitus reads words
        text = " ".join(re.sub(r"(?<=\w)_(?=\w)", " ", text_el.text).split())
        records.append(Record(id=sent.get("id", ""), date=date, text=text, gold=gold,
                              category=sent.get("category", ""), require_dyad=require_dyad,
                              new_actor_length=new_actor_length))
    return records, skipped


PARSE_ERRORS = {"bad_input_parse"}  # gold "errors" about malformed Penn treebank input, not about the text
MULTI = "|"  # joins the codes of a dictionary entry that names several actors
NO_ACTOR = "---"  # PETRARCH's code for a missing actor
HYPHENS = {"-", "‐", "‑", "–"}


def dictionary_index(doc: Doc, dictionary: ActorDictionary, date: dt.date | None,
                     new_actor_length: int = 0) -> EntityIndex:
    """An EntityIndex whose `nominal_actor` codes noun phrases from PETRARCH actor and agent phrases."""
    # hyphens are word breaks in dictionary phrases ("Barad-dur" is BARAD DUR), so "-" tokens are left out
    tokens = [t for t in doc if t.text not in HYPHENS]
    words = [normalise_phrase(t.text) or t.lower_ for t in tokens]
    actor_at: dict[int, tuple[str, ...]] = {}
    agent_at: dict[int, str] = {}
    i = 0
    while i < len(words):
        n, codes = dictionary.longest_match(words, i, date, kind="actors")
        if not n:
            n, codes = _stem_match(dictionary, words[i], date)
        if n and codes and codes[0] not in ("---",):
            for k in range(tokens[i].i, tokens[i + n - 1].i + 1):
                actor_at[k] = tuple(dict.fromkeys(c for c in codes if c != "---"))  # "The Shire": BIL, FRO, SAM
            i += n
            continue
        n, codes = dictionary.longest_match(words, i, date, kind="agents")
        if not n:
            n, codes = _stem_match(dictionary, words[i], date, kind="agents")
        if n and codes:
            for k in range(tokens[i].i, tokens[i + n - 1].i + 1):
                agent_at[k] = codes[0]
            i += n
            continue
        i += 1

    def code_phrase(span: Span) -> Actor | None:
        """PETRARCH code of a noun phrase: its actor combined with its agents."""
        actor = next((actor_at[t.i] for t in span if t.i in actor_at), None)
        agents: list[str] = []
        for t in span:
            code = agent_at.get(t.i) if t.pos_ in ("NOUN", "PROPN") else None  # "diplomatic ties" is no diplomat
            if code and code not in agents and (not agents or agent_at.get(t.i - 1) != code):
                agents.append(code)
        if actor is None and agents:
            actor = _shared_place_actors(span.root, actor_at)  # "lawmakers and officials in X and Y"
        if actor is None:
            root = span.root
            if not agents and new_actor_length:
                return _new_actor(span, new_actor_length)
            # "the media and government": the determiner of the first conjunct counts for the others
            determined = any(c.dep_ == "det" for c in root.children) or (
                root.dep_ == "conj" and any(c.dep_ == "det" for c in root.head.children))
            if not agents or root.pos_ != "NOUN" or not (root.tag_ == "NNS" or determined):
                return None  # a name or a bare "government" stays uncoded
            actor = ("---",)  # "clerics and lawmakers": PETRARCH's anonymous actor with its agent (---REL)
        coded = []
        for code in actor:
            for agent in agents:
                part = agent.strip("~")
                if part and part not in code:  # "White House security officials": USAGOV already has GOV
                    code = apply_agent(code, agent)
            coded.append(code)
        return Actor(code=MULTI.join(coded))  # an entry with several codes is several actors

    return EntityIndex(entities=[], by_token={}, nominal_actor=code_phrase)


def _shared_place_actors(root: Token, actor_at: dict[int, tuple[str, ...]]) -> tuple[str, ...] | None:
    """"Lawmakers and officials in Fornost and Gondor": role nouns coordinated before an in/of/from phrase
    each take every actor of that phrase (the parser hangs it, and a late "and Gondor", on the first noun)."""
    first = root.head if root.dep_ == "conj" else root
    nouns = [first] + [c for c in first.children if c.dep_ == "conj" and c.pos_ == "NOUN"]
    preps = [p for n in nouns for p in n.children if p.dep_ == "prep" and p.lower_ in ("in", "of", "from")
             and p.i > root.i]
    places = [o for p in preps for o in p.children if o.dep_ == "pobj"]
    places += [c for o in places for c in o.children if c.dep_ == "conj"]
    if places:
        places += [c for c in first.children if c.dep_ == "conj" and c.pos_ == "PROPN" and c.i > places[0].i]
    codes = [code for o in places for code in actor_at.get(o.i, ())]
    return tuple(dict.fromkeys(codes)) or None


def _new_actor(span: Span, limit: int) -> Actor | None:
    """PETRARCH's `new_actor_length`: a short unknown noun phrase with a name is coded as its own text
    ("Gryffindor's head Minerva McGonagall", a title and its apposed name being one phrase)."""
    root, doc = span.root, span.doc
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ in ("NOUN", "PROPN"):
        return None  # "Magic" in "the Ministry of Magic": part of a longer phrase
    names = [c for c in root.children if c.dep_ == "appos" and c.pos_ == "PROPN"]
    if root.dep_ == "appos" and root.pos_ == "PROPN":
        span = doc[root.head.left_edge.i : root.right_edge.i + 1]
    elif root.pos_ == "NOUN" and names:
        span = doc[root.left_edge.i : names[0].right_edge.i + 1]
    elif root.pos_ != "PROPN":
        return None
    words = [t.text.upper() for t in span if not t.is_punct and t.tag_ != "POS"]
    return Actor(code=" ".join(words)) if 0 < len(words) <= limit else None


def _stem_match(dictionary: ActorDictionary, word: str, date: dt.date | None,
                kind: str = "actors") -> tuple[int, list[str]]:
    """TABARI stems: a one-word entry without a trailing underscore also matches longer words
    ("ARGENTIN" -> "Argentina", "cleric" -> "clerics")."""
    for cut in range(len(word) - 1, 3, -1):
        n, codes = dictionary.longest_match([word[:cut]], 0, date, kind=kind)
        if n:
            return 1, codes
    return 0, []


def sentence_events(doc: Doc, record: Record, dictionary: ActorDictionary, lexicon: object, *,
                    code_statements: bool = False, discards: Discards | None = None) -> set[EventKey]:
    """The (source, target, code) set tacitus codes for one validation sentence (asserted and modal events;
    negated and denied ones are not events; none in a discarded sentence)."""
    from tacitus.extract import events as events_mod

    if discards is not None and discards.discarded(record.text):
        return set()

    doc._.document = Document(id=record.id, date=record.date, text=record.text)
    index = dictionary_index(doc, dictionary, record.date, record.new_actor_length)
    found: set[EventKey] = set()
    lexicon.require_dyad = record.require_dyad  # type: ignore[attr-defined]
    try:
        coded = events_mod.events(doc, entities=index, times=[], places=[], quotes=[], lexicon=lexicon,
                                  code_statements=code_statements)
    finally:
        lexicon.require_dyad = True  # type: ignore[attr-defined]
    for event in coded:
        if event.negated or event.modality == "denied" or event.source is None or not _cameo(event.cameo):
            continue  # (a user dictionary's test-only pseudo-codes are not scored, as in the gold)
        if event.target is None and record.require_dyad:
            continue
        for source in (event.source.actor_code or "").split(MULTI):
            for target in (event.target.actor_code or "").split(MULTI) if event.target else [NO_ACTOR]:
                found.add((source, target, event.cameo))
    return found


def evaluate(records_path: Path, dictionaries: list[Path], *, model: str, limit: int | None = None,
             progress: Callable[[int], None] | None = None, verbs: bool = True, nlp: Language | None = None) -> Score:
    """Code every validation sentence and compare with its gold events; with a verbs file among the
    dictionaries (and `verbs`), also code them with it as a user verb dictionary (`Score.with_verbs`)."""
    import spacy

    paths = _dictionary_paths(records_path, dictionaries)
    dictionary, _warnings = load_dictionaries(paths)
    if not len(dictionary):
        raise PetrarchEvalError(f"no actors read from {', '.join(map(str, paths))}")
    verb_paths = _verb_paths(dictionaries) if verbs else []
    records, skipped = read_records(records_path)
    if limit:
        records = records[:limit]
    try:
        nlp = nlp or spacy.load(model)
    except OSError as exc:
        raise PetrarchEvalError(f"spaCy pipeline '{model}' is not installed (pip install it, or pass --model)") from exc
    if not Doc.has_extension("document"):
        Doc.set_extension("document", default=None)
    lexicon = load_lexicon()
    discards = read_discard_files(_discard_paths(dictionaries or [records_path.parent]), _warnings)
    score = Score(skipped=skipped)
    user = None
    if verb_paths:
        # the same loader as the event extractor's load() with these files in config.dictionaries
        user_lexicon = load_lexicon(verb_dictionaries=verb_paths)
        user = Score(skipped=skipped, label=", ".join(p.name for p in verb_paths),
                     notes=[d.summary() for d in user_lexicon.user_dictionaries] + user_lexicon.warnings)
    t = time.perf_counter()
    for n, (doc, record) in enumerate(nlp.pipe(((r.text, r) for r in records), as_tuples=True), start=1):
        score.add(record, sentence_events(doc, record, dictionary, lexicon, discards=discards))
        if user is not None:
            user.add(record, sentence_events(doc, record, dictionary, user_lexicon, discards=discards))
        if progress:
            progress(n)
    score.seconds = time.perf_counter() - t
    if user is not None:
        user.seconds = score.seconds
        score.with_verbs = user
    return score


def _dictionary_paths(records_path: Path, given: list[Path]) -> list[Path]:
    """Actor dictionary files: the given files (verbs files aside), or the actor/agent files inside the given
    (or the records') folder."""
    folders = [p for p in given if p.is_dir()] or ([] if given else [records_path.parent])
    paths = [p for p in given if p.is_file() and not is_verb_dictionary(p) and not is_discards_file(p)]
    for folder in folders:
        found = sorted(p for p in folder.iterdir() if re.search(r"\.(actors|agents)\.txt$", p.name, re.IGNORECASE))
        if not found:
            raise PetrarchEvalError(f"{folder}: no *.actors.txt or *.agents.txt dictionary files")
        paths.extend(found)
    missing = [p for p in given if not p.exists()]
    if missing:
        raise PetrarchEvalError(f"dictionary not found: {missing[0]}")
    if not paths:
        raise PetrarchEvalError("no actor dictionary given (only verbs files)")
    return paths


def _verb_paths(given: list[Path]) -> list[Path]:
    """PETRARCH verbs files: those given, and the `*verbs*.txt` / `*.verbs` files in the given folders."""
    found = [p for p in given if p.is_file() and is_verb_dictionary(p)]
    for folder in (p for p in given if p.is_dir()):
        found.extend(sorted(p for p in folder.iterdir() if p.is_file()
                            and re.search(r"(verbs.*\.txt|\.verbs)$", p.name, re.IGNORECASE)))
    return found


def _discard_paths(given: list[Path]) -> list[Path]:
    """PETRARCH discards files: those given, and the `*discards*.txt` files in the given folders."""
    found = [p for p in given if p.is_file() and is_discards_file(p)]
    for folder in (p for p in given if p.is_dir()):
        found.extend(sorted(p for p in folder.iterdir() if p.is_file() and is_discards_file(p)))
    return found


def format_report(score: Score) -> str:
    """The figures as a few lines of text: tacitus's own lexicon, then the user verb dictionary if any."""
    lines = [(f"PETRARCH validation: {score.sentences} sentences coded, {score.skipped} skipped "
              f"(test-only pseudo-codes, treebank-input errors, inactive tests), {score.seconds:.1f} s")]
    lines.extend(_figures(score))
    if score.with_verbs is not None:
        user = score.with_verbs
        lines.append(f"with the user verb dictionary {user.label}:")
        lines.extend(f"  ({note})" for note in user.notes[:1])
        lines.extend(_figures(user))
    return "\n".join(lines)


def _figures(score: Score) -> list[str]:
    lines = []
    for n in LEVELS:
        p = score.true_pos[n] / score.predicted[n] if score.predicted[n] else 0.0
        r = score.true_pos[n] / score.gold[n] if score.gold[n] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        exact = score.exact[n] / score.sentences if score.sentences else 0.0
        lines.append(f"  {n}-digit: exact sentences {exact:6.1%}   events P {p:6.1%}  R {r:6.1%}  F1 {f:6.1%}"
                     f"   ({score.true_pos[n]}/{score.predicted[n]} predicted, {score.gold[n]} gold)")
    if score.sentences:
        lines.append(f"  actor pairs only (codes ignored): exact sentences {score.dyads / score.sentences:6.1%}")
    return lines
