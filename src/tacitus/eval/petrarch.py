"""Score the event coder on PETRARCH validation records (PETR.UnitTest.records.xml).

Each sentence is parsed with the spaCy model and coded with tacitus's own verb lexicon; actors come from the
PETRARCH actor/agent dictionaries given with --dictionaries (read by `tacitus.dictionaries`), applied as
PETRARCH does: the actor named in a noun phrase, combined with the agents in it ("Gondor's government" ->
GON + ~GOV = GONGOV). Sentences whose gold codes are test-only pseudo-codes (80x, 90x, 91x and other roots
outside CAMEO's 01-20) are skipped. Reported: the share of sentences whose (source, target, code) set
matches exactly at 2-, 3- and 4-digit level, and event-level precision/recall at the same levels.

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
from spacy.tokens import Doc, Span

from tacitus.dictionaries import ActorDictionary, apply_agent, load_dictionaries, normalise_phrase
from tacitus.extract.entities import EntityIndex
from tacitus.extract.event_patterns import load_lexicon
from tacitus.schema import Actor, Document
from tacitus.verb_dictionaries import is_verb_dictionary

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


def read_records(path: Path) -> tuple[list[Record], int]:
    """Validation sentences with their gold events, and the number skipped for pseudo-codes."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise PetrarchEvalError(f"{path}: not a readable PETRARCH records file ({exc})") from exc
    records: list[Record] = []
    skipped = 0
    for sent in root.iter("Sentence"):
        text_el = sent.find("Text")
        if text_el is None or not (text_el.text or "").strip():
            continue
        gold: set[EventKey] = set()
        pseudo = False
        for coding in sent.iter("EventCoding"):
            code = (coding.get("eventcode") or "").strip()
            if not code:
                continue  # noevents="True"
            if not code.isdigit() or not 1 <= int(code[:2]) <= 20:
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
        records.append(Record(id=sent.get("id", ""), date=date, text=" ".join(text_el.text.split()), gold=gold,
                              category=sent.get("category", "")))
    return records, skipped


MULTI = "|"  # joins the codes of a dictionary entry that names several actors


def dictionary_index(doc: Doc, dictionary: ActorDictionary, date: dt.date | None) -> EntityIndex:
    """An EntityIndex whose `nominal_actor` codes noun phrases from PETRARCH actor and agent phrases."""
    words = [normalise_phrase(t.text) or t.lower_ for t in doc]
    actor_at: dict[int, tuple[str, ...]] = {}
    agent_at: dict[int, str] = {}
    i = 0
    while i < len(words):
        n, codes = dictionary.longest_match(words, i, date, kind="actors")
        if not n:
            n, codes = _stem_match(dictionary, words[i], date)
        if n and codes and codes[0] not in ("---",):
            for k in range(i, i + n):
                actor_at[k] = tuple(dict.fromkeys(c for c in codes if c != "---"))  # "The Shire": BIL, FRO, SAM
            i += n
            continue
        n, codes = dictionary.longest_match(words, i, date, kind="agents")
        if not n:
            n, codes = _stem_match(dictionary, words[i], date, kind="agents")
        if n and codes:
            for k in range(i, i + n):
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
        if actor is None:
            return None
        coded = []
        for code in actor:
            for agent in agents:
                part = agent.strip("~")
                if part and part not in code:  # "White House security officials": USAGOV already has GOV
                    code = apply_agent(code, agent)
            coded.append(code)
        return Actor(code=MULTI.join(coded))  # an entry with several codes is several actors

    return EntityIndex(entities=[], by_token={}, nominal_actor=code_phrase)


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
                    code_statements: bool = False) -> set[EventKey]:
    """The (source, target, code) set tacitus codes for one validation sentence (asserted and modal events;
    negated and denied ones are not events)."""
    from tacitus.extract import events as events_mod

    doc._.document = Document(id=record.id, date=record.date, text=record.text)
    index = dictionary_index(doc, dictionary, record.date)
    found: set[EventKey] = set()
    for event in events_mod.events(doc, entities=index, times=[], places=[], quotes=[], lexicon=lexicon,
                                   code_statements=code_statements):
        if event.negated or event.modality == "denied":
            continue
        if event.source is None or event.target is None:
            continue
        for source in (event.source.actor_code or "").split(MULTI):
            for target in (event.target.actor_code or "").split(MULTI):
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
    score = Score(skipped=skipped)
    user = None
    if verb_paths:
        # the same loader as the event extractor's load() with these files in config.dictionaries
        user_lexicon = load_lexicon(verb_dictionaries=verb_paths)
        user = Score(skipped=skipped, label=", ".join(p.name for p in verb_paths),
                     notes=[d.summary() for d in user_lexicon.user_dictionaries] + user_lexicon.warnings)
    t = time.perf_counter()
    for n, (doc, record) in enumerate(nlp.pipe(((r.text, r) for r in records), as_tuples=True), start=1):
        score.add(record, sentence_events(doc, record, dictionary, lexicon))
        if user is not None:
            user.add(record, sentence_events(doc, record, dictionary, user_lexicon))
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
    paths = [p for p in given if p.is_file() and not is_verb_dictionary(p)]
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


def format_report(score: Score) -> str:
    """The figures as a few lines of text: tacitus's own lexicon, then the user verb dictionary if any."""
    lines = [(f"PETRARCH validation: {score.sentences} sentences coded, {score.skipped} skipped "
              f"(test-only pseudo-codes), {score.seconds:.1f} s")]
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
