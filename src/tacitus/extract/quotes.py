"""Quotes and their speakers: direct, partial, indirect and mixed quotes from one parsed Doc.

Direct quotes come from quote marks paired by `quote_marks.find_quoted` (straight, curly, guillemets,
low-high, ``TeX'', single quotes in headlines); their speaker comes from an attribution right after
(`"...," he said`) or right before (`Zhao said: "..."`) the quote, or from the quote before when a quote
floats on its own after an attributed one. Indirect quotes come from the parse: a reporting cue from
data/reporting_verbs.tsv with its content (`said last month that ...`, `told reporters ...`, `urged X to ...`,
`according to X, ...`, `..., he said`, `the ministry's statement that ...`). Quoted fragments inside
reported speech are partial quotes, and the reported speech holding them is mixed. Speakers resolve through
`quote_speakers` (the EntityIndex first, then a local fallback); no recoverable speaker gives `speaker: None`.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from tacitus.config import Config
from tacitus.extract.doccache import doc_values
from tacitus.extract.entities import EntityIndex
from tacitus.extract.quote_marks import MARK_CHARS, MAX_QUOTE_CHARS, find_quoted
from tacitus.extract.quote_speakers import (
    PRONOUNS,
    QuoteContext,
    SpeakerResolver,
    named_subject,
    subject_of,
    tok_at,
    token_index,
)
from tacitus.lexicon import LexiconError, data_path, file_version, read_tsv
from tacitus.schema import Quote, SentenceSpan, Speaker
from tacitus.schema import Span as TextSpan

__all__ = ["MAX_QUOTE_CHARS", "VERSION", "QuoteLexicon", "find_quoted", "load", "quotes", "read_first_names", "read_lexicon",
           "version"]

VERSION = "tacitus.quotes.v2"
LEXICON_FILE = "reporting_verbs.tsv"
SPEAKER_NOUNS_FILE = "speaker_nouns.tsv"
FIRST_NAMES_FILE = "actors/first_names.tsv"  # shared with the actors extractor; read here, never written
SPEAKER_KINDS = {"organisation", "document", "person", "institution", "anonymous"}
FRAMES = {"speech", "cognition", "directive", "naming", "source"}
POS_KINDS = {"verb", "noun", "particle", "phrase"}

ATTRIBUTION_WINDOW = 30  # tokens after a quote in which `he said` / `said Zhao, a spokesman` is looked for
LEAD_WINDOW = 12  # tokens before a quote in which `Zhao told reporters:` is looked for

# titles written as abbreviations before a name; the tokenizer may split off their full stop
_TITLE_ABBREVIATIONS = {"sgt", "lt", "capt", "col", "gen", "maj", "cpl", "pte", "adm", "cmdr", "det", "insp", "const",
                        "supt", "gov", "sen", "rep", "rev", "prof", "dr", "mr", "mrs", "ms", "st", "hon", "atty",
                        "cst", "sr", "jr", "fr", "msgr"}
_WH_WORDS = {"whether", "if", "which", "what", "who", "whom", "how", "why", "when", "where"}
# cues that also mark aspect: `"...," he continued` reports, `refused to continue funding` does not
_ASPECTUAL = {"continue", "resume", "keep", "begin", "start", "stop"}
# a cue in a clause opened by these reports nothing yet: `If the agency determines that ...`
# verbs whose object is the one spoken to: `..., a spokesman told reporters.` still reports the clause before
_ADDRESSEE_VERBS = {"tell", "inform", "assure", "brief", "remind"}
_HYPOTHETICAL = {"if", "unless", "whether"}
# participles that name what follows in quote marks (`a catalog called "Changes"`, `referred to as "other"`)
_LABEL_VERBS = {"call", "name", "dub", "title", "entitle", "label", "brand", "nickname"}
_LABEL_AS_VERBS = {"know", "refer", "call", "dub", "describe", "list", "classify", "market"}
_SUBORDINATORS = {"if", "when", "as", "while", "although", "though", "because", "since", "after", "before",
                  "once", "until", "unless", "whereas", "whenever", "wherever"}


@dataclass(frozen=True)
class QuoteLexicon:
    """Reporting cues by part of speech (lemma -> frames) and speaker nouns (lemma -> kind)."""

    verbs: dict[str, frozenset[str]]
    nouns: dict[str, frozenset[str]]
    particles: dict[tuple[str, str], frozenset[str]]
    phrases: dict[tuple[str, ...], frozenset[str]]
    paths: tuple[Path, ...]
    speaker_nouns: dict[str, str] = field(default_factory=dict)
    first_names: dict[str, str] = field(default_factory=dict)  # lower-case given name -> "m" / "f"


def read_lexicon(paths: Iterable[Path]) -> QuoteLexicon:
    """Read reporting-cue files (term, pos, frames); a bad entry raises LexiconError naming file:line."""
    verbs: dict[str, set[str]] = {}
    nouns: dict[str, set[str]] = {}
    particles: dict[tuple[str, str], set[str]] = {}
    phrases: dict[tuple[str, ...], set[str]] = {}
    paths = tuple(paths)
    for path in paths:
        for row in read_tsv(path, columns=3):
            term, pos, frames_text = row.values
            frames = {f.strip() for f in frames_text.split(",") if f.strip()}
            if pos not in POS_KINDS:
                raise LexiconError(f"{row.where()}: unknown part of speech {pos!r} (use {', '.join(sorted(POS_KINDS))})")
            if not frames or not frames <= FRAMES:
                raise LexiconError(f"{row.where()}: unknown frame in {frames_text!r} (use {', '.join(sorted(FRAMES))})")
            words = tuple(term.lower().split())
            if pos == "particle" and len(words) != 2:
                raise LexiconError(f"{row.where()}: a particle verb needs two words, e.g. 'point out'")
            if pos == "verb":
                verbs.setdefault(words[0], set()).update(frames)
            elif pos == "noun":
                nouns.setdefault(words[0], set()).update(frames)
            elif pos == "particle":
                particles.setdefault((words[0], words[1]), set()).update(frames)
            else:
                phrases.setdefault(words, set()).update(frames)
    freeze = lambda table: {k: frozenset(v) for k, v in table.items()}
    return QuoteLexicon(freeze(verbs), freeze(nouns), freeze(particles), freeze(phrases), paths)


def read_speaker_nouns(path: Path) -> dict[str, str]:
    """Speaker nouns (noun, kind in SPEAKER_KINDS); a bad entry raises LexiconError naming file:line."""
    table = {}
    for row in read_tsv(path, columns=2):
        noun, kind = row.values
        if kind not in SPEAKER_KINDS:
            raise LexiconError(f"{row.where()}: unknown kind {kind!r} (use {', '.join(sorted(SPEAKER_KINDS))})")
        table[noun.lower()] = kind
    return table


def read_first_names(path: Path) -> dict[str, str]:
    """Given names and their usual gender (gender, names|...); a bad entry raises LexiconError naming file:line."""
    table = {}
    for row in read_tsv(path, columns=2):
        gender, names = row.values
        if gender not in ("m", "f"):
            raise LexiconError(f"{row.where()}: unknown gender {gender!r} (use m or f)")
        table.update({name.strip().lower(): gender for name in names.split("|") if name.strip()})
    return table


def load(config: Config) -> QuoteLexicon:
    """The reporting-cue and speaker-noun lexicons and the given-name genders, read once per process."""
    lexicon = read_lexicon([data_path(LEXICON_FILE)])
    nouns, names = data_path(SPEAKER_NOUNS_FILE), data_path(FIRST_NAMES_FILE)
    return QuoteLexicon(lexicon.verbs, lexicon.nouns, lexicon.particles, lexicon.phrases,
                        lexicon.paths + (nouns, names), read_speaker_nouns(nouns), read_first_names(names))


def version(resources: QuoteLexicon) -> str:
    """Extractor version with a content hash of its lexicon files."""
    return f"{VERSION}+lexicons-{file_version(*resources.paths)}"


# ---------------------------------------------------------------------------------------------------------
# Internal records


@dataclass
class _Found:
    start: int
    end: int
    kind: str
    cue: Token | Span | None = None
    subject: Token | None = None
    speaker: Speaker | None = None
    inherit: bool = False  # floating quote: speaker from the quote before
    parts: list[tuple[int, int]] = field(default_factory=list)


def _is_negated(tok: Token) -> bool:
    return any(child.dep_ == "neg" for child in tok.children)


# ---------------------------------------------------------------------------------------------------------
# Direct quotes and the partial fragments of reported speech


def _clause_start(ctx: QuoteContext, pos: int) -> int:
    """Where the sentence holding `pos` begins: after a newline, '|', or end of the previous sentence."""
    text = ctx.text
    j = pos - 1
    while j >= 0:
        c = text[j]
        if c == "|" or (c == "\n" and ctx.is_break(j)):
            break
        if c in ".!?" and (j + 1 >= len(text) or text[j + 1].isspace() or text[j + 1] in MARK_CHARS) and \
                not (c == "." and text[j + 1 : j + 3].startswith(" ") and text[j + 2 : j + 3].islower()):
            # `the U.S. federal deficit`: an abbreviation's full stop before a lower-case word ends no sentence
            k = j + 1
            while k < len(text) and text[k] in MARK_CHARS:
                k += 1
            gap = k
            while gap < pos and text[gap].isspace():
                gap += 1
            if not ctx.inside_quote(j) or gap >= pos or (k > j + 1 and gap > k and text[gap].isupper()):
                # `... happy.” “If Alfonso ...,” says` and `... demonstrate.” Most of ...`: a new sentence
                j = k - 1
                break
        j -= 1
    j += 1
    while j < pos and text[j].isspace():
        j += 1
    return j


def _lead_char(ctx: QuoteContext, start: int) -> str:
    """The last non-space character before a position within its clause ('' at a clause start)."""
    j = start - 1
    while j >= 0 and ctx.text[j] in " \t\r\n" and not ctx.is_break(j):
        j -= 1
    if j < 0 or ctx.text[j] in "\n|":
        return ""
    return ctx.text[j]


def _attribution_after(ctx: QuoteContext, end: int, *, strict: bool = True) -> tuple[Token, Token | None] | None:
    """`"...," he said` / `, said Zhao Lijian` right after a quote: (cue, subject)."""
    first = tok_at(ctx, end)
    if first is None:
        return None
    doc = ctx.doc
    sent_end = first.sent.end
    while sent_end < len(doc) and _title_stop(doc[sent_end - 1]):
        sent_end = doc[sent_end].sent.end  # `," Sgt. Maria Lopez said` split after the abbreviation
    window = []
    for tok in doc[first.i : min(first.i + ATTRIBUTION_WINDOW, len(doc))]:
        if tok.i >= sent_end + 1 or ctx.has_break(tok.idx, tok.idx + len(tok.text)) or (
                tok.text in MARK_CHARS and tok.idx >= end and ctx.inside_quote(tok.idx + 1)):
            break
        if tok.text in ".!?" and tok.i > first.i and not _title_stop(tok):
            break
        window.append(tok)
    body = ctx.text[max(0, end - 8) : end].rstrip(MARK_CHARS)
    inner = body[-1:] if body else ""
    if strict and not (inner in ",?!—–-…" or ctx.text[end : end + 1] in (",", "—", "–")):
        return None  # `"genocide" to describe` is no attribution; `"...," he said` is
    for tok in window:
        frames = ctx.frames(tok)
        if tok.pos_ in ("NOUN", "PROPN") and tok.i > first.i and tok.lower_.endswith("s") and \
                tok.lower_[:-1] in ctx.lexicon.verbs and _subject_before(ctx, tok) is not None:
            return tok, _subject_before(ctx, tok)  # `," Sinclair states.` with the verb tagged as a noun
        if not frames & {"speech", "cognition", "directive"} or tok.pos_ == "NOUN":
            continue
        if inner == "." and any(c.dep_ == "mark" for c in tok.children):
            return None  # `... or not.” While some critics say ...` starts a new sentence about someone else
        subject = _nearest_name(ctx, tok, subject_of(tok, ctx)) or _inverted_subject(tok) or _subject_before(ctx, tok)
        if subject is not None and subject.i >= first.i:
            return tok, subject
        return None
    return None


def _title_stop(tok: Token) -> bool:
    """The full stop of a title abbreviation before a name (`Sgt.`, `Gov.`), which ends no sentence."""
    return tok.text == "." and tok.i > 0 and tok.nbor(-1).lower_ in _TITLE_ABBREVIATIONS and \
        tok.i + 1 < len(tok.doc) and tok.nbor(1).text[:1].isupper()


def _nearest_name(ctx: QuoteContext, cue: Token, subject: Token | None) -> Token | None:
    """`... Doug Purdy says` where the parser took a heading or caption for the subject: the name wins."""
    if subject is not None and ctx.has_break(min(subject.idx, cue.idx), max(subject.idx, cue.idx)):
        return _orphan_subject(ctx, cue)  # a heading glued on by the parser is never the speaker
    if subject is not None and subject.i < cue.i and ctx.inside_quote(subject.idx):
        # `Doug Purdy, who lost 16 lbs. "and two belt loops", says`: a quoted word is not the speaker
        for t in reversed(ctx.doc[max(0, cue.i - 25) : subject.i]):
            if t.ent_type_ == "PERSON" and not ctx.inside_quote(t.idx) and ctx.index.entity_for_token(t):
                return t
        return None
    if subject is None or cue.i == 0 or subject.i == cue.i - 1:
        return subject
    prev = ctx.doc[cue.i - 1]
    if prev.ent_type_ == "PERSON" and prev.pos_ == "PROPN" and subject.ent_type_ != "PERSON" and \
            subject.pos_ != "PRON" and ctx.index.entity_for_token(prev) is not None:
        return prev
    return subject


def _orphan_subject(ctx: QuoteContext, cue: Token) -> Token | None:
    """`Claims about costs⏎⏎McCallum also claimed`: the noun that opens the cue's paragraph, which the parser
    hung on the heading before it."""
    start = ctx.prev_break(cue.idx) + 1
    first = tok_at(ctx, start)
    if first is None:
        return None
    for tok in ctx.doc[first.i : cue.i]:
        if tok.is_space or tok.is_punct or tok.idx < start:
            continue
        if tok.pos_ in ("NOUN", "PROPN", "PRON") and tok.head.idx < start:
            while tok.dep_ == "compound" and tok.head.i < cue.i and tok.head.pos_ in ("NOUN", "PROPN"):
                tok = tok.head
            return named_subject(tok)
    return None


def _subject_before(ctx: QuoteContext, tok: Token) -> Token | None:
    """`," DeBoer said` with DeBoer misparsed: the name or pronoun right before the cue."""
    if tok.i == 0:
        return None
    prev = ctx.doc[tok.i - 1]
    if prev.lower_ in ("he", "she", "they", "it") or (ctx.index.by_token.get(prev.i) and prev.text[:1].isupper()):
        return prev
    if prev.text[:1].isupper() and prev.is_alpha and any(
            e.type == "PERSON" and prev.text in e.name.split() for e in ctx.index.entities):
        return prev  # a surname the NER missed here but found elsewhere
    return None


def _inverted_subject(tok: Token) -> Token | None:
    """`," says the 39-year-old founder` — the parser often takes the subject after the verb as an object."""
    for child in tok.children:
        if child.i > tok.i and child.dep_ in ("dobj", "attr", "npadvmod", "oprd", "dep") and \
                child.pos_ in ("NOUN", "PROPN"):
            return named_subject(child)
    return None


def _attribution_before(ctx: QuoteContext, start: int, prev_end: int) -> tuple[Token, Token | None] | None:
    """`Zhao said: "..."`, `he told reporters, "..."`: the nearest cue just before the quote."""
    last = tok_at(ctx, start - 1, forward=False)
    if last is None:
        return None
    lo = max(last.sent.start, last.i - LEAD_WINDOW)
    for tok in reversed(ctx.doc[lo : last.i + 1]):
        if tok.idx < prev_end or ctx.has_break(tok.idx, tok.idx + len(tok.text)):
            return None
        if ctx.frames(tok) & {"speech", "cognition", "directive"} and tok.pos_ != "NOUN":
            if ctx.inside_quote(tok.idx):
                return None
            return tok, _nearest_name(ctx, tok, subject_of(tok, ctx))
    return None


def _colon_person(ctx: QuoteContext, start: int, prev_end: int) -> Token | None:
    """The person who is the subject of the clause that a colon ends right before a quote, or None."""
    colon = tok_at(ctx, start - 1, forward=False)
    while colon is not None and colon.is_space and colon.i > 0:
        colon = ctx.doc[colon.i - 1]
    if colon is None or colon.text != ":" or colon.idx < prev_end:
        return None
    verb = ctx.doc[colon.i - 1] if colon.i > 0 else colon  # `when Musk took to Twitter with this:` -> took
    while (subject := next((c for c in verb.children if c.dep_ == "nsubj" and c.i < colon.i), None)) is None:
        if verb.head is verb:
            return None
        verb = verb.head
    if ctx.inside_quote(subject.idx) or ctx.has_break(subject.idx, colon.idx):
        return None
    subject = named_subject(subject)
    if subject.lower_ in ("he", "she"):
        return subject
    entity = ctx.index.entity_for_token(subject)
    return subject if entity is not None and entity.type == "PERSON" and subject.pos_ == "PROPN" else None


def _tail_empty(ctx: QuoteContext, end: int) -> bool:
    """Nothing but sentence-final punctuation after a quote, or the quote ends its own sentence."""
    j = end
    while j < len(ctx.text) and ctx.text[j] in " \t\r\n" and not ctx.is_break(j):
        j += 1
    if j >= len(ctx.text) or ctx.text[j] in "\n.!?":
        return True
    inner = ctx.text[max(0, end - 3) : end].rstrip(MARK_CHARS)
    return inner.endswith((".", "!", "?", "…")) and (ctx.text[j].isupper() or ctx.text[j] in MARK_CHARS)


def _direct_quotes(ctx: QuoteContext) -> tuple[list[_Found], list[tuple[int, int]]]:
    """Direct (and fronted mixed) quotes from quote marks, plus fragments left for reported speech."""
    found: list[_Found] = []
    fragments: list[tuple[int, int]] = []
    prev_end = 0
    prev_cue: tuple[Token, Token | None] | None = None
    for start, end, closed in ctx.quoted:
        lead = _lead_char(ctx, start)
        clause = _clause_start(ctx, start)
        at_clause_start = clause >= start
        after = _attribution_after(ctx, end, strict=not at_clause_start) if closed else None
        if after and at_clause_start:
            found.append(_Found(start, end, "direct", cue=after[0], subject=after[1]))
            prev_cue = after
        elif after and clause < start and not _after_quote_in_clause(ctx, clause, start):
            # `Her time has been "life-changing," she said`: the whole clause is reported, the marks a part
            found.append(_Found(clause, end, "mixed", cue=after[0], subject=after[1], parts=[(start, end)]))
            found.append(_Found(start, end, "partial", cue=after[0], subject=after[1]))
            prev_cue = after
        elif lead in (":", ",") or not at_clause_start:
            before = _attribution_before(ctx, start, prev_end)
            if before is None and lead == "," and prev_cue is not None and start - prev_end < 80:
                before = prev_cue  # "...," he said, "..." continues the same attribution
            right_after = before is not None and ctx.text[before[0].idx + len(before[0].text) : start].strip() == ""
            if before is not None and (lead in (":", ",", "") or right_after) and _tail_empty(ctx, end):
                found.append(_Found(start, end, "direct", cue=before[0], subject=before[1]))
                prev_cue = before
            elif lead == ":" and _tail_empty(ctx, end) and _sentence_like(ctx, start, end):
                person = _colon_person(ctx, start, prev_end)
                if person is not None:  # `Musk again took to Twitter with this: "..."`
                    found.append(_Found(start, end, "direct", subject=person))
                else:
                    found.append(_Found(start, end, "direct", inherit=True))  # `the big reveal: "..."`
            else:
                fragments.append((start, end))
        elif _tail_empty(ctx, end) and _sentence_like(ctx, start, end) and ctx.text[start] not in "‘'`‹":
            found.append(_Found(start, end, "direct", inherit=True))
        else:
            fragments.append((start, end))
        prev_end = end
    found.extend(_headline_quotes(ctx))
    return found, fragments


def _after_quote_in_clause(ctx: QuoteContext, clause: int, start: int) -> bool:
    """True when the clause before the quote ends a sentence of its own (so the quote starts anew)."""
    return ctx.text[clause:start].rstrip().endswith((".", "!", "?"))


def _sentence_like(ctx: QuoteContext, start: int, end: int) -> bool:
    """A quote that can stand alone: a few words with a verb, not a title or a scare-quoted term."""
    span = ctx.doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return False
    words = [t for t in span if t.is_alpha]
    return len(words) >= 4 and any(t.pos_ in ("VERB", "AUX") for t in span)


def _headline_quotes(ctx: QuoteContext) -> list[_Found]:
    """`UN needs to enter China 'without restrictions': Antonio Guterres` — a line attributed after a colon."""
    found = []
    for entity in ctx.index.entities:
        if entity.type not in ("PERSON", "ORG"):  # NER often takes a name in a headline for an ORG
            continue
        for mention in entity.mentions:
            if mention.kind != "name":
                continue
            j = mention.start - 1
            while j >= 0 and ctx.text[j] == " ":
                j -= 1
            if j < 0 or j == mention.start - 1 or ctx.text[j] not in ":—–-":
                continue  # `UN needs ...: Antonio Guterres`, `... — Lorraine Hansberry`; not `then-Surrey`
            if ctx.text[j] != ":" and not (j > 0 and ctx.text[j - 1] in " " + MARK_CHARS):
                continue
            line_start = max(ctx.prev_break(j), ctx.text.rfind("|", 0, j)) + 1
            head = ctx.text[line_start:j].strip()
            if not (10 <= len(head) <= 300) or head.endswith((".", ",")):
                continue
            head_start = ctx.text.index(head, line_start)
            has_marks = any(head_start <= s and e <= j for s, e, _ in ctx.quoted)
            line_end = ctx.next_break(mention.end)
            if not (has_marks or ctx.text[mention.end:line_end].strip() == ""):
                continue
            tok = tok_at(ctx, mention.start)
            found.append(_Found(head_start, head_start + len(head), "mixed" if has_marks else "direct",
                                subject=tok))
    return found


# ---------------------------------------------------------------------------------------------------------
# Indirect quotes from the parse


def _trimmed(ctx: QuoteContext, start: int, end: int, *, keep: str = "start") -> tuple[int, int]:
    """Drop surrounding spaces and trailing clause punctuation (a closing quote mark is kept).

    Reported speech stays within one paragraph: the part on the `keep` side of a line break is kept.
    """
    text = ctx.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if ctx.has_break(start, end):
        if keep == "start":
            end = ctx.next_break(start)
        else:
            start = ctx.prev_break(end) + 1
    while start < end and text[start] in " \t\n,;:—–-":
        start += 1
    while end > start and text[end - 1] in " \t\n,;:.—–-":
        end -= 1
    return start, end


def _content(ctx: QuoteContext, cue: Token, frames: frozenset[str], subject: Token | None) -> tuple[int, int] | None:
    """Characters of what the cue reports: its clause after it, an infinitive, or a fronted clause."""
    doc = ctx.doc
    # `officials told Reuters⏎⏎In Australia, ...`: a paragraph the parser glued on is none of the cue's content
    children = [c for c in cue.children if not ctx.has_break(min(cue.idx, c.left_edge.idx),
                                                             max(cue.idx, c.left_edge.idx))]
    after = [c for c in children if c.dep_ == "ccomp" and c.i > cue.i]
    if after and frames & {"speech", "cognition"}:
        clause = after[0]
        first = clause.left_edge
        if "speech" not in frames and not any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children):
            return None  # `believes that ...` is a stance; `found the coaching useful` is not
        if first.lower_ in _WH_WORDS:
            return None  # reported questions and `said what he would do` are not statements
        lo = max(first.i, cue.i + 1)
        last = max((c.right_edge for c in after), key=lambda t: t.i)
        return _trimmed(ctx, doc[lo].idx, last.idx + len(last.text))
    if "directive" in frames:
        for child in cue.children:
            if child.dep_ == "xcomp" and child.i > cue.i and any(a.dep_ == "aux" and a.lower_ == "to"
                                                                  for a in child.children):
                lo = child.left_edge.i
                return _trimmed(ctx, doc[lo].idx, child.right_edge.idx + len(child.right_edge.text))
    if not frames & {"speech", "cognition"}:
        return None
    head = cue.head
    if head.i > cue.i + 1 and head.pos_ in ("VERB", "AUX") and cue.dep_ in ("advmod", "dep", "amod", "npadvmod") \
            and head.left_edge.i <= cue.i + 1 and "speech" in frames:
        # `McNeely said disease can complicate ...` parsed with `said` hanging off the reported verb
        return _trimmed(ctx, doc[cue.i + 1].idx, head.right_edge.idx + len(head.right_edge.text))
    if "speech" in frames and cue.lemma_.lower() not in _ASPECTUAL:
        for child in cue.children:
            if child.dep_ in ("xcomp", "dobj", "oprd") and child.i > cue.i and child.pos_ == "VERB" and \
                    child.tag_ == "VBG":  # `said having Karlsson back was a boost`
                return _trimmed(ctx, child.left_edge.idx, child.right_edge.idx + len(child.right_edge.text))
    if any(c.dep_ in ("ccomp", "xcomp", "dobj") and c.i > cue.i and not (
            c.dep_ == "dobj" and cue.lemma_.lower() in _ADDRESSEE_VERBS and c.pos_ in ("PROPN", "NOUN", "PRON"))
           for c in children):
        return None  # `..., officials told Reuters.`: the object of `tell` is who hears, the report comes first
    group = min([cue.i] + ([subject.left_edge.i] if subject is not None and subject.i < cue.i else []))
    j = group - 1
    while j >= 0 and doc[j].text in MARK_CHARS:
        j -= 1
    if j < 0 or doc[j].text not in (",", "—", "–"):
        return None
    end = doc[group - 1].idx + len(doc[group - 1].text)
    start = _clause_start(ctx, doc[j].idx)
    clause = doc.char_span(start, doc[j].idx, alignment_mode="expand")
    if clause is None or not any(t.pos_ in ("VERB", "AUX") for t in clause):
        return None  # `In Beijing, officials said` reports nothing
    if clause[0].lower_ in _SUBORDINATORS:
        return None  # `As news of the allegations spread, officials said` is a circumstance
    return _trimmed(ctx, start, end, keep="end")


def _near(spans: list[tuple[int, int]], starts: list[int], start: int, end: int) -> list[tuple[int, int]]:
    """Spans (sorted by start, none longer than MAX_QUOTE_CHARS) that may overlap [start, end)."""
    lo = bisect.bisect_left(starts, start - MAX_QUOTE_CHARS)
    hi = bisect.bisect_right(starts, end)
    return spans[lo:hi]


def _cover_marks(ctx: QuoteContext, span: tuple[int, int]) -> tuple[int, int]:
    """Widen a clause so that quote marks it cuts through are inside it."""
    start, end = span
    for s, e in _near(ctx.quote_spans, ctx.quote_starts, start - 1, end):
        if s < start < e or (s == start - 1 and e > start):
            start = s
        if s < end < e:
            end = e
    return start, end


def _according_to(ctx: QuoteContext) -> list[_Found]:
    """`According to the ministry, ...` and `..., according to X.`"""
    found = []
    lowers = doc_values(ctx.doc).lowers
    by_word: dict[str, list[int]] = {}  # the first word of each phrase, looked up instead of a pass per phrase
    for i, low in enumerate(lowers):
        by_word.setdefault(low, []).append(i)
    for phrase, frames in ctx.lexicon.phrases.items():
        if "source" not in frames:
            continue
        n = len(phrase)
        for i in by_word.get(phrase[0], ()):
            if i + n > len(lowers) or tuple(lowers[i : i + n]) != phrase:
                continue
            tok = ctx.doc[i]
            if ctx.inside_quote(tok.idx):
                continue
            last = ctx.doc[tok.i + n - 1]
            source = next((c for c in last.children if c.dep_ == "pobj"), None)
            if source is None:
                continue
            phrase_end = source.right_edge.i + 1
            start = _clause_start(ctx, tok.idx)
            stop = _sentence_stop(ctx, tok.idx)
            if ctx.text[start:tok.idx].strip(" ,") == "":
                span = _trimmed(ctx, ctx.doc[min(phrase_end, len(ctx.doc) - 1)].idx, stop)
            else:
                span = _trimmed(ctx, start, tok.idx)
            if span[1] - span[0] >= 12:
                cue = ctx.doc[tok.i : tok.i + n]
                found.append(_Found(span[0], span[1], "indirect", cue=cue, subject=source))
    return found


def _sentence_stop(ctx: QuoteContext, pos: int) -> int:
    """End of the sentence holding `pos` (before its final punctuation or newline)."""
    m = re.compile(r"[.!?](?=\s|$)").search(ctx.text, pos)
    return min(len(ctx.text) if m is None else m.start(), ctx.next_break(pos))


def _indirect_quotes(ctx: QuoteContext, taken: list[_Found]) -> list[_Found]:
    """Reported speech: a cue with a content clause, speaker its subject."""
    used_cues = {q.cue.i for q in taken if isinstance(q.cue, Token)}
    direct = sorted((q.start, q.end) for q in taken if q.kind == "direct")
    direct_starts = [s for s, _ in direct]
    found = []
    for i in ctx.cue_candidates():
        tok = ctx.doc[i]
        frames = ctx.frames(tok)
        if not frames or tok.i in used_cues or ctx.inside_quote(tok.idx):
            continue
        if tok.pos_ == "NOUN":
            noun_quote = _noun_cue_quote(ctx, tok)
            if noun_quote is not None:
                found.append(noun_quote)
            continue
        if _is_negated(tok) or any(c.dep_ == "mark" and c.lower_ in _HYPOTHETICAL for c in tok.children):
            continue
        subject = _nearest_name(ctx, tok, subject_of(tok, ctx)) or _agent(tok) or _subject_before(ctx, tok)
        if subject is None and tok.i > 0 and ctx.doc[tok.i - 1].text == ",":
            subject = _inverted_subject(tok)  # `..., argued Palvetzian.`
        if subject is None or subject.lower_ in ("i", "we", "you"):
            continue
        span = _content(ctx, tok, frames, subject)
        if span is None or len(ctx.text[span[0] : span[1]].split()) < 2:
            continue
        if ctx.has_break(min(tok.idx, span[0]), max(tok.idx, span[1])):
            continue  # reported speech stays in the paragraph of its cue
        span = _cover_marks(ctx, span)
        covered = max((min(e, span[1]) - max(s, span[0]) for s, e in _near(direct, direct_starts, *span)),
                      default=0)
        if covered >= 0.6 * (span[1] - span[0]):
            continue  # the clause is a direct quote already
        found.append(_Found(span[0], span[1], "indirect", cue=tok, subject=subject))
    found += _according_to(ctx)
    found.sort(key=lambda q: q.start)
    spans = [(q.start, q.end) for q in found]
    starts = [q.start for q in found]
    nested = {q.cue.i for q in found if isinstance(q.cue, Token) and q.cue.tag_ != "VBG"
              and any(s < q.cue.idx < e for s, e in _near(spans, starts, q.cue.idx, q.cue.idx + 1)
                      if (s, e) != (q.start, q.end))}
    found = [q for q in found if not (isinstance(q.cue, Token) and q.cue.i in nested)]
    cues = sorted(q.cue.idx for q in found if isinstance(q.cue, Token))
    for q in found:
        inner = cues[bisect.bisect_right(cues, q.start) : bisect.bisect_left(cues, q.end)]
        if inner:  # `... warnings, adding that ...` ends the first report where the second begins
            q.start, q.end = _trimmed(ctx, q.start, inner[0])
            q.end = _trim_trailing_word(ctx, q.start, q.end)
    return [q for q in found if q.end - q.start > 1]


def _noun_cue_quote(ctx: QuoteContext, noun: Token) -> _Found | None:
    """`the ministry's statement that the border would reopen`: a speech noun with its that-clause."""
    clause = next((c for c in noun.children if c.dep_ in ("acl", "ccomp") and c.i > noun.i
                   and any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children)), None)
    if clause is None:
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss"), None)
    if owner is None:
        by = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in ("by", "from")), None)
        owner = next((c for c in by.children if c.dep_ == "pobj"), None) if by is not None else None
    if owner is None or owner.lower_ in ("my", "our", "your"):
        return None
    start, end = _trimmed(ctx, clause.left_edge.idx, clause.right_edge.idx + len(clause.right_edge.text))
    return _Found(start, end, "indirect", cue=noun, subject=named_subject(owner))


def _trim_trailing_word(ctx: QuoteContext, start: int, end: int) -> int:
    """Drop a dangling conjunction left by truncation (`..., and`)."""
    words = ctx.text[start:end].rsplit(None, 1)
    if len(words) == 2 and words[1].lower() in ("and", "but", "or", "while"):
        return _trimmed(ctx, start, start + len(words[0]))[1]
    return end


def _agent(tok: Token) -> Token | None:
    for child in tok.children:
        if child.dep_ == "agent":
            return next((c for c in child.children if c.dep_ == "pobj"), None)
    return None


def _is_label(ctx: QuoteContext, start: int) -> bool:
    """A quoted term introduced as a name: `so-called "..."`, `a fund named "..."`, `known as "..."`."""
    prev = tok_at(ctx, start - 1, forward=False)
    while prev is not None and prev.i > 0 and (prev.text in MARK_CHARS or prev.is_space):
        prev = ctx.doc[prev.i - 1]
    if prev is None or prev.idx >= start:
        return False
    if prev.lower_ == "so-called" or (prev.lower_ == "called" and prev.i > 1 and ctx.doc[prev.i - 2].lower_ == "so"):
        return True
    if prev.lower_ == "as" and prev.i > 0:
        prev = ctx.doc[prev.i - 1] if ctx.doc[prev.i - 1].tag_ == "VBN" else prev.head
        if prev.lemma_.lower() not in _LABEL_AS_VERBS:
            return False
    elif prev.lemma_.lower() not in _LABEL_VERBS:
        return False
    # a participle with no subject of its own names a thing; `Stoltenberg called it a "good meeting"` quotes him
    return prev.tag_ == "VBN" and not any(c.dep_ in ("nsubj", "agent") for c in prev.children)


def _attach_fragments(ctx: QuoteContext, fragments: list[tuple[int, int]], reported: list[_Found]) -> list[_Found]:
    """Quoted fragments inside reported speech become partial quotes of its speaker; others are dropped."""
    found = []
    reported = sorted(reported, key=lambda q: q.start)
    starts = [q.start for q in reported]
    for start, end in fragments:
        if _is_label(ctx, start):
            continue  # `the so-called "cars deals"`, `a catalog called "Changes"`: a name, not someone's words
        lo = bisect.bisect_left(starts, start - MAX_QUOTE_CHARS)
        host = next((q for q in reported[lo : bisect.bisect_right(starts, start)]
                     if q.start <= start and end <= q.end + 2), None)
        if host is not None:
            host.kind = "mixed"
            found.append(_Found(start, end, "partial", cue=host.cue, subject=host.subject))
            continue
        first = tok_at(ctx, start)
        last = tok_at(ctx, end - 1, forward=False)
        if first is None or last is None:
            continue
        for tok in reversed(ctx.doc[first.sent.start : first.i]):
            frames = ctx.frames(tok)
            if "naming" in frames and tok.pos_ != "NOUN" and not ctx.inside_quote(tok.idx) and not _is_negated(tok):
                if tok.left_edge.i <= first.i and last.i <= tok.right_edge.i:
                    subject = subject_of(tok)
                    if subject is not None:
                        found.append(_Found(start, end, "partial", cue=tok, subject=subject))
                break
    return found


# ---------------------------------------------------------------------------------------------------------
# Assembly


def _adjacent(ctx: QuoteContext, before: _Found, after: _Found) -> bool:
    """A floating quote continues the quote before it: at most the attribution sentence lies between."""
    gap = ctx.text[before.end : after.start]
    if len(gap) > 400 or after.start < before.end:
        return False
    speaker = before.speaker.entity if before.speaker is not None else None
    for tok in ctx.doc.char_span(before.end, after.start, alignment_mode="contract") or []:
        # someone else who does something in between may be the one speaking now
        if tok.dep_ in ("nsubj", "nsubjpass") and not ctx.inside_quote(tok.idx) and not (
                before.speaker is not None and before.speaker.start <= tok.idx < before.speaker.end):
            entity = ctx.index.entity_for_token(named_subject(tok))
            if entity is not None and entity.type == "PERSON" and entity.id != speaker:
                return False
    return True


def _name_described(ctx: QuoteContext, found: list[_Found], not_people: set[str]) -> None:
    """`A spokeswoman for Trudeau said ... "...," said Eleanore Catenaro.`: a person first described with an
    indefinite role is the one the next attribution names, when that name is new and comes with no description."""
    for n, q in enumerate(found):
        speaker, head = q.speaker, q.subject
        if speaker is None or speaker.entity or head is None or head.pos_ != "NOUN" or head.tag_ == "NNS" or \
                speaker.text.split(" ", 1)[0].lower() not in ("a", "an", "one") or \
                ctx.lexicon.speaker_nouns.get(head.lemma_.lower(), "person") != "person":
            continue
        for later in found[n + 1 :]:
            if later.start - q.end > 500:
                break
            if later.speaker is None or later.speaker.start == speaker.start:
                continue
            entity = ctx.index.get(later.speaker.entity) if later.speaker.entity else None
            named = later.subject
            if entity is None or entity.type != "PERSON" or entity.id in not_people or named is None or \
                    min(m.start for m in entity.mentions) < speaker.start or \
                    any(c.dep_ in ("appos", "relcl", "acl") for c in named.children) or \
                    _other_person(ctx, entity.id, q.end, later.speaker.start, not_people):
                break  # someone known before, introduced with a description of their own, or not the next one
            update = {"entity": entity.id, "name": entity.name,
                      "actor_code": entity.actor.code if entity.actor is not None else speaker.actor_code}
            for same in found:
                if same.speaker is not None and same.speaker.start == speaker.start:
                    same.speaker = same.speaker.model_copy(update=update)
            break


def _other_person(ctx: QuoteContext, entity_id: str, start: int, end: int, not_people: set[str]) -> bool:
    """Whether someone other than the entity is named between two offsets, outside quotes."""
    return any(e.type == "PERSON" and e.id != entity_id and e.id not in not_people and
               any(m.kind == "name" and start <= m.start < end and not ctx.inside_quote(m.start) for m in e.mentions)
               for e in ctx.index.entities)


def _dedupe(found: list[_Found]) -> list[_Found]:
    best: dict[tuple[int, int], _Found] = {}
    for q in found:
        if q.end <= q.start:
            continue
        key = (q.start, q.end)
        if key not in best or (best[key].subject is None and q.subject is not None):
            best[key] = q
    return sorted(best.values(), key=lambda q: (q.start, -q.end))


def _cue_record(cue: Token | Span | None) -> TextSpan | None:
    if cue is None:
        return None
    if isinstance(cue, Token):
        return TextSpan(text=cue.text, start=cue.idx, end=cue.idx + len(cue.text))
    return TextSpan(text=cue.text, start=cue.start_char, end=cue.end_char)


def _speaker_type(ctx: QuoteContext, speaker: Speaker | None) -> str | None:
    if speaker is None:
        return None
    if speaker.entity:
        entity = ctx.index.get(speaker.entity)
        return entity.type if entity is not None else None
    if speaker.text.lower() in PRONOUNS:
        return None
    return "name" if speaker.name else "nominal"


def quotes(doc: Doc, *, entities: EntityIndex, lexicon: QuoteLexicon) -> list[Quote]:
    """Every quote in the document with its cue and resolved speaker, in document order."""
    text = doc_values(doc).text
    if not text.strip() or len(doc) == 0:
        return []
    ctx = QuoteContext(doc, text, entities, lexicon, find_quoted(text))
    ctx.token_at = token_index(doc)
    direct, fragments = _direct_quotes(ctx)
    reported = _indirect_quotes(ctx, direct)
    partial = _attach_fragments(ctx, fragments, reported)
    found = _dedupe(direct + reported + partial)
    resolver = SpeakerResolver(ctx)
    previous: _Found | None = None
    for q in found:
        if q.inherit:
            if previous is not None and previous.speaker is not None and _adjacent(ctx, previous, q):
                q.speaker, q.cue = previous.speaker, None
        elif q.subject is not None:
            prev_speaker = previous.speaker if previous is not None else None
            q.speaker = resolver.resolve(q.subject, prev_speaker, _speaker_type(ctx, prev_speaker), q.start,
                                         since=previous.end if previous is not None else None)
        if q.kind != "partial":
            previous = q
    _name_described(ctx, found, resolver.not_people)
    records: list[Quote] = []
    for q in found:
        first = tok_at(ctx, q.start)
        last = tok_at(ctx, q.end - 1, forward=False)
        sent_start = first.sent.start_char if first is not None else q.start
        sent_end = last.sent.end_char if last is not None else q.end
        records.append(Quote(id=f"Q{len(records) + 1}", text=text[q.start : q.end], start=q.start, end=q.end,
                             kind=q.kind, cue=_cue_record(q.cue), speaker=q.speaker,
                             sentence=SentenceSpan(start=min(sent_start, q.start), end=max(sent_end, q.end))))
    return records
