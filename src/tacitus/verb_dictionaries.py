"""PETRARCH/TABARI verb dictionaries (CAMEO.verbs.txt style) as user event dictionaries.

A verbs file given with `--dictionary` (or `dictionaries = [...]` in tacitus.toml) is recognised by its
extension `.verbs`, a name like `*verbs*.txt`, or `--- VERB [code] ---` blocks in its first lines; it goes to
the event extractor, not the actor extractor. Each verb and each pattern line becomes a tacitus
`event_patterns.Pattern`:

* `&NAME` then `+word` lines is a synset (`+&OTHER` embeds another synset; `_` or spaces join words).
* `--- LABEL [code] ---` opens a verb block; `[code]` is the default code of its verbs (`[---]`: none).
* A verb line is the base form (`BREAK`), a phrasal verb (`BREAK_DOWN`, `RULE OUT`: verb + particles), a
  multi-word verb whose verb word is marked with `+` (`WIRE_+TAP`: "wire" must come before "tap"), with
  optional own `[code]` and irregular forms `{BROKE BROKEN}`; `+WORD` lines are synonyms in the block.
  Inflected entries ("SAID", "MET", "KILLED") are turned into the base forms spaCy gives as lemmas, except
  when the file lists that base form itself: then the entry codes that form only ("LEFT" apart from "LEAVE";
  a text verb with its own entry is coded by it before its lemma's).
* A pattern line `- words * words [code]`: `*` is the verb; words after it must appear among the words of
  the verb's clause and its that-clauses (objects, prepositional phrases, particles: tacitus matches a bag
  of words, not word order), and the words of a `_` phrase side by side (`REAL_PLEASANT` is not "real easy
  or pleasant"); words before it are pre-verb words, matched against the clause's words left of the verb
  (auxiliaries, negation, adverbs; `Pattern.before`), and a phrase glued to the verb (`RECENTLY_*`) against
  the words right before it. `+` is the target: after a preposition it is that preposition's object, right
  after the verb the direct object, after other words ("* MONEY $") the usual target positions ("money from
  X"), after a preposition and `^` ("IFTAR AT ^ ^ +") the next actor phrase, not that preposition's object
  (`Pattern.skip_preps`); `$` after the verb is a source in a post-verb slot (the subject is then the
  target, as tacitus's `+R`, also in the passive: "+ * FROM $" on "X was freed from Y"); `%` after the
  verb (a compound target) is read as `+`, before it it asks for a coordinated subject (`Pattern.compound`);
  `$`, `+` before the verb need no constraint (the parse gives the subject and voice). `&SYN` is any word
  of a synset, also inside `_` phrases (`NEW_&TIETYPES_RELATIONS`). Plural pattern words also match their
  singular.
* Codes: 2-4 digits; in a paired code `[032:033]` the first codes the event and the second is kept as
  `Pattern.mirror` (the target's reciprocal event). `[---]` on a pattern line means "no event": when it is
  the best user match, nothing is coded for that verb. Codes with letters or signs (`[075A]`, `[+++]`,
  `[025?]`) are skipped with a warning, as is every pattern line under a verb block that has no verbs.

Not representable in tacitus's bag-of-words matcher (read with the nearest meaning): the order of words
that are not `_`-joined, the number of words a `^` skips, TABARI stem matching of words without a trailing
`_` (`EXCHANG` as a verb is expanded, pattern words are not), and a `$` source slot after the verb next to a
`+` slot (`* OF $ FROM +`: the subject stays the source).

A PETRARCH discards file (`*discards*.txt`: phrases whose presence makes a story or sentence uncodable) is
read by `read_discards`; given with --dictionary, the event extractor applies it, and so does the PETRARCH
evaluation.

Precedence: for a verb lemma that a user dictionary lists, a matching user pattern beats every built-in
pattern (the most specific user pattern wins, ties go to the earlier line); when no user pattern matches
(for instance a block with default `[---]` and no matching pattern line), the built-in lexicon codes the verb
as usual. Between several user files the most specific match wins; ties go to the earlier file and line.

A malformed line never stops loading: it is reported as `file:line: reason`. A file that is not a verbs
dictionary at all raises `VerbDictionaryError` (a `LexiconError`: one line for the user).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from tacitus.extract.event_patterns import NO_CODE, PREPOSITIONS, Group, Pattern
from tacitus.lexicon import LexiconError, data_path, read_tsv

__all__ = [
    "VerbDictionary",
    "VerbDictionaryError",
    "base_forms",
    "is_verb_dictionary",
    "load_verb_dictionaries",
    "read_verb_dictionary",
    "verb_dictionary_paths",
]

FORMS_FILE = "verb_forms.tsv"
_HEADER = re.compile(r"^---\s*(?P<body>.*?)\s*(?:---)?\s*$")
_SNIFF = re.compile(r"^---\s+\S.*\[[^\]]*\]")
_CODE = re.compile(r"\[([^\]]*)\]")
_COMMENT = re.compile(r"#(?![^\[]*\]).*$")  # a `#` comment, but not the `#` of a code like `[###]`
_MAX_ALTERNATIVES = 256  # a phrase of several synsets multiplies out; beyond this it is cut with a warning
MARKERS = frozenset({"*", "+", "$", "%", "^"})


class VerbDictionaryError(LexiconError):
    """A file given as a verbs dictionary that is not one; the message is one line for the user."""


@dataclass
class VerbDictionary:
    """The patterns read from one verbs file, with counts for the report."""

    path: Path
    patterns: list[Pattern] = field(default_factory=list)
    verbs: int = 0  # verb lines (base forms and synonyms)
    read: int = 0  # pattern lines turned into patterns
    skipped: int = 0  # pattern or verb lines skipped (bad code, malformed)
    null: int = 0  # `[---]` pattern lines: "no event"

    def summary(self) -> str:
        """One line: what was read from the file."""
        return (f"{self.path.name}: {self.verbs} verbs, {self.read} patterns read "
                f"({self.null} no-event), {self.skipped} lines skipped")


# ------------------------------------------------------------------------------------------ recognising files

def is_verb_dictionary(path: Path) -> bool:
    """Whether a dictionary file is a PETRARCH verbs file: `.verbs`, `*verbs*.txt`, or `--- X [code] ---` blocks."""
    path = Path(path)
    name = path.name.lower()
    if path.suffix.lower() == ".verbs" or ("verbs" in name and name.endswith(".txt")):
        return True
    if path.suffix.lower() in (".tsv", ".yaml", ".yml", ".actors", ".agents", ".json"):
        return False
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            for _, raw in zip(range(2000), fh, strict=False):
                if _SNIFF.match(raw.strip()):
                    return True
    except OSError:
        return False
    return False


def verb_dictionary_paths(paths: Iterable[Path] | None) -> list[Path]:
    """The verbs dictionaries among configured dictionary files (in order)."""
    return [Path(p) for p in paths or () if is_verb_dictionary(Path(p))]


# ------------------------------------------------------------------------------------------ verb forms

@lru_cache(maxsize=1)
def _irregular() -> dict[str, tuple[str, ...]]:
    """Irregular form -> base forms, from data/verb_forms.tsv."""
    table: dict[str, list[str]] = {}
    for row in read_tsv(data_path(FORMS_FILE), columns=2):
        base, forms = row.values
        for form in filter(None, (f.strip().lower() for f in forms.split("|"))):
            table.setdefault(form, []).append(base.lower())
    return {form: tuple(bases) for form, bases in table.items()}


def base_forms(word: str) -> tuple[str, ...]:
    """Candidate lemmas of a verb word as a dictionary lists it ("said" -> say; "killed" -> kill, kille ...).

    Every candidate is kept: a wrong one ("kille") never equals a spaCy lemma, a missing one loses a match.
    """
    word = word.lower()
    out = [word, *_irregular().get(word, ())]
    if word.endswith(("ied", "ies")) and len(word) > 4:
        out.append(word[:-3] + "y")
    for suffix in ("ing", "ed", "es", "s"):
        if not word.endswith(suffix) or len(word) <= len(suffix) + 2 or word.endswith("ss"):
            continue
        stem = word[: -len(suffix)]
        out += [stem, stem + "e"]
        if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "aeiousl":
            out.append(stem[:-1])  # "banned" -> ban, "stabbing" -> stab
        if suffix == "ed" and stem.endswith("ll"):
            out.append(stem[:-1])  # "repelled" -> repel
        break
    if word.endswith("ie") and len(word) > 3:
        out.append(word[:-2] + "y")  # TABARI stems: "DEFIE" for defied/defies
    elif not word.endswith("e") and re.search(r"[^aeiou][gc]$", word):
        out.append(word + "e")  # "EXCHANG" for exchange/exchanged
    return tuple(dict.fromkeys(w for w in out if w))


# ------------------------------------------------------------------------------------------ words of patterns

def _word_forms(word: str) -> list[tuple[str, ...]]:
    """A dictionary word as one or more word tuples: plural and singular, split contractions and hyphens."""
    word = word.lower().strip("_")
    if not word:
        return []
    if word.endswith("n't") and len(word) > 3:
        return [(word[:-3], "n't")]
    if "-" in word.strip("-"):
        return [tuple(p for p in word.split("-") if p)]
    word = word.strip("-")
    forms = [word]
    if re.search(r"[^su]s$", word) and len(word) > 3 and not word.endswith("ss"):
        forms.append(word[:-1])
        if word.endswith("ies"):
            forms.append(word[:-3] + "y")
        elif re.search(r"(s|x|z|ch|sh)es$", word):
            forms.append(word[:-2])
    return [(f,) for f in dict.fromkeys(forms)]


@dataclass
class _Raw:
    """A line kept for the second pass, once every synset is known."""

    text: str
    where: str
    line: int


@dataclass
class _Verb:
    lemmas: tuple[str, ...]
    particles: tuple[str, ...]
    before: tuple[str, ...]
    code: str | None  # own code; None = the block's
    raw: _Raw


@dataclass
class _Block:
    label: str
    code: str | None
    raw: _Raw
    verbs: list[_Verb] = field(default_factory=list)
    patterns: list[tuple[_Raw, str, str]] = field(default_factory=list)  # (line, body, code)


class _Reader:
    """Two passes over one file: collect synsets, blocks and lines; then build patterns."""

    def __init__(self, path: Path, warnings: list[str]):
        self.path = path
        self.warnings = warnings
        self.synset_lines: dict[str, list[_Raw]] = {}
        self.synset_where: dict[str, str] = {}
        self.blocks: list[_Block] = []
        self.result = VerbDictionary(path)
        self._expanded: dict[str, list[tuple[str, ...]]] = {}

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(f"{where}: {message}")

    # ---------------------------------------------------------------- pass 1

    def read(self) -> VerbDictionary:
        in_comment = False
        synset: str | None = None
        block: _Block | None = None
        with open(self.path, encoding="utf-8", errors="replace") as fh:
            for n, raw_line in enumerate(fh, start=1):
                line, in_comment = _strip_comments(raw_line.rstrip("\r\n"), in_comment)
                body = line.strip()
                if not body:
                    continue
                raw = _Raw(body, f"{self.path}:{n}", n)
                if body.startswith("---"):
                    synset, block = None, self._header(raw)
                    if block is not None:
                        self.blocks.append(block)
                elif body.startswith("&"):
                    synset = self._synset_header(raw)
                elif body.startswith("+") and synset is not None:
                    self.synset_lines[synset].append(_Raw(body[1:].strip(), raw.where, n))
                elif body.startswith("-"):
                    synset = None
                    if block is None:
                        self.warn(raw.where, "pattern line before any '--- VERB [code] ---' block")
                        self.result.skipped += 1
                    else:
                        self._pattern_line(raw, block)
                else:
                    synset = None
                    if block is None:
                        self.warn(raw.where, f"verb line {body!r} before any '--- VERB [code] ---' block")
                        self.result.skipped += 1
                    else:
                        verb = self._verb_line(raw)
                        if verb is not None:
                            block.verbs.append(verb)
        if not self.blocks:
            raise VerbDictionaryError(f"{self.path}: not a PETRARCH verbs dictionary "
                                      "(no '--- VERB [code] ---' blocks)")
        self._build()
        return self.result

    def _header(self, raw: _Raw) -> _Block | None:
        m = _HEADER.match(raw.text)
        body = m["body"] if m else ""
        codes = _CODE.findall(body)
        label = _CODE.sub("", body).strip()
        if not label:
            self.warn(raw.where, "verb block header without a name")
        if not codes:
            self.warn(raw.where, "verb block header without a [code]; its verbs get no default code")
            return _Block(label, None, raw)
        if len(codes) > 1:
            self.warn(raw.where, f"several codes in a block header; using [{codes[0].strip()}]")
        return _Block(label, self._code(codes[0], raw.where, default=True), raw)

    def _synset_header(self, raw: _Raw) -> str | None:
        name, _, rest = raw.text.partition(" ")
        name = name[1:].strip("_").upper()
        if not name or not re.fullmatch(r"[A-Z0-9_]+", name):
            self.warn(raw.where, f"bad synset name {raw.text.split()[0]!r}")
            return None
        if rest.strip():
            self.warn(raw.where, f"unexpected text after synset name: {rest.strip()!r}")
        if name in self.synset_lines:
            self.warn(raw.where, f"synset &{name} defined again (first at {self.synset_where[name]}); words added")
        else:
            self.synset_lines[name] = []
            self.synset_where[name] = raw.where
        return name

    def _code(self, text: str, where: str, *, default: bool = False) -> str | None:
        """A checked code: digits (with `:MIRROR` kept when valid), NO_CODE, or None (with a warning)."""
        code = text.strip()
        first, _, second = (part.strip() for part in code.partition(":"))
        if first == NO_CODE:
            return NO_CODE
        if _valid(first):
            if second and not _valid(second):
                self.warn(where, f"[{code}]: second code {second!r} is not a CAMEO code; ignored")
                return first
            return f"{first}:{second}" if second else first
        what = "block code" if default else "code"
        self.warn(where, f"[{code}] is not a CAMEO {what} (2-4 digits); skipped")
        return None

    def _verb_line(self, raw: _Raw) -> _Verb | None:
        text = raw.text
        self.result.verbs += 1
        forms = re.findall(r"\{[^}]*\}", text)
        text = re.sub(r"\{[^}]*\}", " ", text)
        if "{" in text or "}" in text:
            self.warn(raw.where, "unbalanced { } around verb forms")
            self.result.skipped += 1
            return None
        codes = _CODE.findall(text)
        words_text = _CODE.sub(" ", text).strip()
        if "[" in words_text or "]" in words_text:
            self.warn(raw.where, "unbalanced [ ] around a code")
            self.result.skipped += 1
            return None
        del forms  # irregular forms are inflections of the base form: spaCy's lemma already matches them
        code: str | None = None
        if codes:
            code = self._code(codes[0], raw.where)
            if code is None:
                self.result.skipped += 1
                return None
        words = [w for w in re.split(r"[_\s]+", words_text.lstrip("+").strip()) if w]
        if not words or any(not re.fullmatch(r"\+?[A-Za-z][A-Za-z'\-]*", w) for w in words):
            self.warn(raw.where, f"not a verb: {raw.text!r}")
            self.result.skipped += 1
            return None
        marked = [i for i, w in enumerate(words) if w.startswith("+")]
        head = marked[0] if marked else 0
        words = [w.lstrip("+").lower() for w in words]
        return _Verb(lemmas=base_forms(words[head]), particles=tuple(words[head + 1:]),
                     before=tuple(words[:head]), code=code, raw=raw)

    def _pattern_line(self, raw: _Raw, block: _Block) -> None:
        m = re.fullmatch(r"-\s*(?P<body>[^\[\]]*?)\s*\[(?P<code>[^\]]*)\]\s*(?P<rest>.*)", raw.text)
        if not m:
            self.warn(raw.where, "pattern without a [code] (expected '- words * words [code]')")
            self.result.skipped += 1
            return
        if m["rest"].strip():
            self.warn(raw.where, f"unexpected text after the code: {m['rest'].strip()!r}")
            self.result.skipped += 1
            return
        code = self._code(m["code"], raw.where)
        if code is None:
            self.result.skipped += 1
            return
        block.patterns.append((raw, m["body"], code))

    # ---------------------------------------------------------------- pass 2

    def _synset(self, name: str, seen: tuple[str, ...] = ()) -> list[tuple[str, ...]] | None:
        """Word tuples of a synset, embedded synsets expanded; None (with a warning) when unknown or cyclic."""
        if name in self._expanded:
            return self._expanded[name]
        if name not in self.synset_lines:
            return None
        if name in seen:
            self.warn(self.synset_where[name], f"synset &{name} includes itself")
            return []
        out: list[tuple[str, ...]] = []
        for member in self.synset_lines[name]:
            pieces = [p for p in re.split(r"[_\s]+", member.text) if p]
            if not pieces:
                self.warn(member.where, "empty synset entry")
                continue
            alternatives = self._phrase(pieces, member.where, (*seen, name))
            if alternatives is not None:
                out.extend(alternatives)
        if not out:
            self.warn(self.synset_where[name], f"synset &{name} has no words")
        self._expanded[name] = list(dict.fromkeys(out))
        return self._expanded[name]

    def _phrase(self, pieces: Sequence[str], where: str, seen: tuple[str, ...] = ()) -> list[tuple[str, ...]] | None:
        """All word tuples of a `_`-joined phrase (words and synsets); None when a synset is unknown."""
        options: list[list[tuple[str, ...]]] = []
        for piece in pieces:
            if piece.startswith("&"):
                name = piece[1:].strip("_").upper()
                words = self._synset(name, seen)
                if words is None:
                    self.warn(where, f"unknown synset &{name}")
                    return None
                options.append(words)
            else:
                forms = _word_forms(piece)
                if forms:
                    options.append(forms)
        if not options or any(not o for o in options):
            return [] if not options else None
        out: list[tuple[str, ...]] = []
        for combo in itertools.product(*options):
            out.append(tuple(w for part in combo for w in part))
            if len(out) >= _MAX_ALTERNATIVES:
                self.warn(where, f"phrase {'_'.join(pieces)!r} has over {_MAX_ALTERNATIVES} forms; cut")
                break
        return out

    def _build(self) -> None:
        # an inflected entry ("LEFT") is not also its lemma when the file lists the lemma itself ("LEAVE"):
        # "leaves" belongs to LEAVE's block, "left" to LEFT's
        listed = {verb.lemmas[0] for block in self.blocks for verb in block.verbs}
        for block in self.blocks:
            for verb in block.verbs:
                verb.lemmas = (verb.lemmas[0], *(w for w in verb.lemmas[1:] if w not in listed))
        for block in self.blocks:
            if not block.verbs:
                self.warn(block.raw.where, f"verb block {block.label!r} has no verbs")
                self.result.skipped += len(block.patterns)
                continue
            for verb in block.verbs:
                code = verb.code or block.code
                if code and code != NO_CODE:
                    self.result.patterns.append(self._make(verb, code, (), None, False, verb.raw))
            for raw, body, code in block.patterns:
                built = self._pattern(block, raw, body, code)
                if built:
                    self.result.patterns.extend(built)
                    self.result.read += 1
                    self.result.null += code == NO_CODE
                else:
                    self.result.skipped += 1

    def _pattern(self, block: _Block, raw: _Raw, body: str, code: str) -> list[Pattern]:
        units = _units(body)
        stars = [i for i, (kind, _) in enumerate(units) if kind == "*"]
        if len(stars) != 1:
            self.warn(raw.where, "a pattern needs exactly one '*' (the verb)" if not stars
                      else "a pattern has more than one '*'")
            return []
        star = stars[0]
        before: list[Group] = []
        after: list[Group] = []
        target_prep: frozenset[str] | None = None
        received = False
        target_before = any(kind in ("+", "%") for kind, _ in units[:star])
        previous: list[tuple[str, ...]] | None = None  # word tuples of the last phrase after the verb
        slot = False  # a target (or post-verb source) slot was read
        skipped: frozenset[str] = frozenset()  # "IN ^ +": prepositions whose object a `^` skips
        skip: frozenset[str] = frozenset()  # those of the slot
        for i, (kind, pieces) in enumerate(units):
            if kind in ("words", "words*"):
                skipped = frozenset()
                alternatives = self._phrase(pieces, raw.where)
                if alternatives is None:
                    return []
                if alternatives and kind == "words*":
                    # matched against the words right before the verb, given as "recently *" (preverb_words)
                    before.append(Group(tuple((*alt, "*") for alt in alternatives), adjacent=True))
                elif alternatives:
                    (before if i < star else after).append(Group(tuple(alternatives), adjacent=i > star))
                if i > star:
                    previous = alternatives
            elif i > star and kind in ("+", "%", "$"):
                prep = None if skipped else _slot(previous)
                if kind == "$":
                    if slot and not target_before:
                        # "* OF $ FROM +": a source slot after the verb next to a target slot; the
                        # subject stays the source
                        continue
                    received, target_prep, slot = True, prep, True
                elif not slot:
                    target_prep, slot = prep, True
                skip = skip | skipped
            elif kind == "^" and i > star:
                # "* IFTAR AT ^ ^ +": the skipped words are the preposition's object, and the slot is the
                # next actor phrase ("celebrated Iftar at X with the leaders of Y": Y)
                skipped = skipped or (_slot(previous) or frozenset())
        compound = any(kind == "%" for kind, _ in units[:star])
        return [self._make(verb, code, tuple(before), target_prep, received, raw, tuple(after), compound, skip)
                for verb in block.verbs]

    def _make(self, verb: _Verb, code: str, before: tuple[Group, ...], target_prep: frozenset[str] | None,
              received: bool, raw: _Raw, groups: tuple[Group, ...] = (), compound: bool = False,
              skip: frozenset[str] = frozenset()) -> Pattern:
        code, _, mirror = code.partition(":")
        if verb.before:
            before = (*before, *(Group(((w,),)) for w in verb.before))
        particles = {lemma: (verb.particles,) for lemma in verb.lemmas}
        return Pattern(code=code, verbs=frozenset(verb.lemmas), particles=particles, groups=groups,
                       target_prep=target_prep, infinitive=False, line=raw.line, text=raw.text,
                       received=received, before=before, user=True, origin=str(self.path), mirror=mirror or None,
                       skip_preps=skip,
                       compound=compound)


def _valid(code: str) -> bool:
    return code.isdigit() and 2 <= len(code) <= 4


def _strip_comments(line: str, in_comment: bool) -> tuple[str, bool]:
    """A line without `<!-- -->` parts (which may span lines) and `#` comments; and whether a block is open."""
    out = ""
    while line:
        if in_comment:
            end = line.find("-->")
            if end < 0:
                return out, True
            line, in_comment = line[end + 3:], False
            continue
        start = line.find("<!--")
        if start < 0:
            out += line
            break
        out += line[:start]
        line, in_comment = line[start + 4:], True
    return _COMMENT.sub("", out), in_comment


def _units(body: str) -> list[tuple[str, list[str]]]:
    """A pattern body as a sequence of markers (`*`, `+`, `$`, `%`, `^`) and word phrases (`_`-joined)."""
    units: list[tuple[str, list[str]]] = []
    for token in body.split():
        phrase: list[str] = []
        for piece in token.split("_"):
            if not piece:
                continue
            if piece in MARKERS:
                if phrase:
                    # "RECENTLY_*": words glued to the verb must come right before it
                    units.append(("words*" if piece == "*" else "words", phrase))
                    phrase = []
                units.append((piece, []))
            elif piece.startswith("+") and len(piece) > 1:  # "+RST" inside a phrase: a marked word
                phrase.append(piece[1:])
            else:
                phrase.append(piece)
        if phrase:
            units.append(("words", phrase))
    return units


def _slot(words: list[tuple[str, ...]] | None) -> frozenset[str] | None:
    """Where a `+`/`$` slot points: the object of the preposition(s) it follows ("WITH +", "&PREPOSIT1 +"),
    the direct object right after the verb ("* +"), or the usual target positions (None) after other words
    ("* MONEY $": the noun phrase after "money", as in "money from X")."""
    if not words:
        return frozenset()
    last = {w[-1] for w in words if w}
    return frozenset(last) if last <= PREPOSITIONS else None


# ------------------------------------------------------------------------------------------ loading

def read_verb_dictionary(path: Path, warnings: list[str]) -> VerbDictionary:
    """One PETRARCH verbs file; malformed lines are appended to `warnings` as `file:line: reason`."""
    try:
        return _Reader(Path(path), warnings).read()
    except (OSError, UnicodeDecodeError) as exc:
        raise VerbDictionaryError(f"{path}: cannot read verbs dictionary ({exc})") from exc


def load_verb_dictionaries(paths: Sequence[Path]) -> tuple[list[VerbDictionary], list[str]]:
    """Read verbs files in order: (one VerbDictionary per file, warnings)."""
    warnings: list[str] = []
    return [read_verb_dictionary(Path(p), warnings) for p in paths], warnings


# ------------------------------------------------------------------------------------------ discards

@dataclass
class Discards:
    """PETRARCH discard phrases: a text containing one codes no events ("+TYPHOON": the whole story, else
    the sentence). Phrases without a trailing `_` are TABARI stems ("TYPHOON" also matches "typhoons")."""

    story: list[re.Pattern] = field(default_factory=list)
    sentence: list[re.Pattern] = field(default_factory=list)

    def discarded(self, text: str) -> bool:
        """Whether a text (a one-sentence story) contains a story or sentence discard phrase."""
        return any(p.search(text) for p in (*self.story, *self.sentence))


def is_discards_file(path: Path) -> bool:
    """Whether a dictionary file is a PETRARCH discards list (`*discards*.txt`)."""
    return "discard" in Path(path).name.lower() and Path(path).suffix.lower() == ".txt"


def read_discard_files(paths: Iterable[Path], warnings: list[str]) -> Discards:
    """The phrases of several PETRARCH discards files together (problems appended to `warnings`)."""
    found = Discards()
    for path in paths:
        read = read_discards(path, warnings)
        found.story += read.story
        found.sentence += read.sentence
    return found


def read_discards(path: Path, warnings: list[str]) -> Discards:
    """A PETRARCH discards file: one phrase a line, `+` for story-level, `#` comments."""
    found = Discards()
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError as exc:
        raise VerbDictionaryError(f"{path}: cannot read discards file ({exc})") from exc
    for n, raw in enumerate(lines, start=1):
        body = _COMMENT.sub("", raw).strip()
        if not body:
            continue
        story = body.startswith("+")
        words = [w for w in re.split(r"[_\s]+", body.lstrip("+")) if w]
        if not words or any(not re.fullmatch(r"[\w'&.-]+", w) for w in words):
            warnings.append(f"{path}:{n}: not a discard phrase: {raw.strip()!r}")
            continue
        exact = body.endswith("_")
        regex = r"\b" + r"[\s_-]+".join(map(re.escape, words)) + (r"\b" if exact else "")
        (found.story if story else found.sentence).append(re.compile(regex, re.IGNORECASE))
    return found
