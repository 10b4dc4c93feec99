"""Speakers of quotes: the phrase that names them and the entity it refers to.

The EntityIndex answers first (names, and the actors extractor's coreference); when it has no answer, a
local fallback resolves pronouns (a recent subject, the previous speaker, a recent compatible name with
gender learnt from the text), role nouns (`the spokesperson` -> the person introduced as one), descriptions
(`the agency`, `the affable proprietor`) and documents (`a release from UFCW Local 832`) from
data/speaker_nouns.tsv. Nothing recoverable leaves the name empty rather than guessed.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy import symbols
from spacy.attrs import IDX, POS, TAG
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

from tacitus.extract.entities import EntityIndex
from tacitus.extract.quote_marks import MARK_CHARS, paragraph_breaks, paragraph_end
from tacitus.schema import Entity, Speaker

if TYPE_CHECKING:
    from tacitus.extract.quotes import QuoteLexicon

PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them", "you"}
_ROLE_DEPS = {"appos", "compound", "amod", "nmod"}
# roles held in an organisation, never in a person: `founder of X`, `chief executive of X`
_ORG_ROLES = {"founder", "co-founder", "cofounder", "owner", "co-owner", "ceo", "executive", "president",
              "vice-president", "chairman", "chairwoman", "chair", "director", "publisher", "editor", "employee",
              "employees", "staff", "member", "members", "headquarters", "shareholder", "shareholders"}
_HONORIFICS = {"mr", "mrs", "ms", "miss", "dr", "sir", "dame", "lord", "lady", "prof", "rev"}


_NO_FRAMES: frozenset[str] = frozenset()
_CUE_POS = {symbols.VERB, symbols.AUX, symbols.NOUN}
_PERSON = get_string_id("PERSON")  # compared as a number: `ent_type_` decodes a new string per token


@dataclass
class QuoteContext:
    """One document being searched for quotes: the Doc, its text, entities, lexicon and quoted spans."""

    doc: Doc
    text: str
    index: EntityIndex
    lexicon: QuoteLexicon
    quoted: list[tuple[int, int, bool]]
    token_at: list[int] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.breaks = paragraph_breaks(self.text)
        self._break_set = set(self.breaks)
        self.quote_starts = [s for s, _e, _c in self.quoted]
        self.quote_spans = [(s, e) for s, e, _c in self.quoted]
        self._frames: dict[int, frozenset[str]] = {}  # token index -> frames, asked by several passes
        self._particle_lemmas = {lemma for lemma, _particle in self.lexicon.particles}

    def inside_quote(self, char: int) -> bool:
        """Strictly inside a quoted span (between its marks); spans are sorted and do not overlap."""
        k = bisect.bisect_left(self.quote_starts, char) - 1
        return k >= 0 and self.quoted[k][0] < char < self.quoted[k][1] - 1

    def is_break(self, char: int) -> bool:
        """A newline that ends a paragraph (in hard-wrapped text most newlines do not)."""
        return char in self._break_set

    def has_break(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self.breaks, start)
        return k < len(self.breaks) and self.breaks[k] < end

    def next_break(self, pos: int) -> int:
        return paragraph_end(self.text, pos, self.breaks)

    def prev_break(self, pos: int) -> int:
        """Position of the last paragraph break before `pos`, or -1."""
        k = bisect.bisect_left(self.breaks, pos)
        return self.breaks[k - 1] if k > 0 else -1

    def frames(self, tok: Token) -> frozenset[str]:
        """Reporting frames of a cue token (empty when it is not a cue)."""
        found = self._frames.get(tok.i)
        if found is None:
            found = self._frames[tok.i] = self._cue_frames(tok)
        return found

    def cue_candidates(self) -> list[int]:
        """Indices of the tokens that may be cues (verbs and nouns, by the tests of `frames`), read from
        arrays: most words are neither, and spaCy builds a Token and its strings on every access."""
        if not len(self.doc):
            return []
        strings = self.doc.vocab.strings
        verb_tag: dict[int, bool] = {}
        found = []
        for i, (pos, tag) in enumerate(self.doc.to_array([POS, TAG]).tolist()):
            if pos not in _CUE_POS:
                is_verb = verb_tag.get(tag)
                if is_verb is None:
                    is_verb = verb_tag[tag] = strings[tag].startswith("VB")
                if not is_verb:
                    continue
            found.append(i)
        return found

    def _cue_frames(self, tok: Token) -> frozenset[str]:
        pos = tok.pos_
        if pos in ("VERB", "AUX") or tok.tag_.startswith("VB"):
            lemma = tok.lemma_.lower()
            if lemma in self._particle_lemmas:
                for child in tok.children:
                    if child.dep_ == "prt" and (lemma, child.lower_) in self.lexicon.particles:
                        return self.lexicon.particles[(lemma, child.lower_)]
            return self.lexicon.verbs.get(lemma, _NO_FRAMES)
        if pos == "NOUN":
            return self.lexicon.nouns.get(tok.lemma_.lower(), _NO_FRAMES)
        return _NO_FRAMES


def token_index(doc: Doc) -> list[int]:
    """Start offsets of the tokens, for finding the token at a character by bisection."""
    return doc.to_array([IDX]).tolist() if len(doc) else []


def tok_at(ctx: QuoteContext, char: int, *, forward: bool = True) -> Token | None:
    """The token covering a character, or the next (previous) one."""
    if not 0 <= char < len(ctx.text) or not ctx.token_at:
        return None
    k = bisect.bisect_right(ctx.token_at, char) - 1
    if k >= 0 and char < ctx.token_at[k] + len(ctx.doc[k].text):
        return ctx.doc[k]
    if forward:
        return ctx.doc[k + 1] if k + 1 < len(ctx.doc) else None
    return ctx.doc[k] if k >= 0 else None


# `X was quoted as saying`: the passive subject of these cues is still the one who speaks
_PASSIVE_SPEAKER_LEMMAS = frozenset({"quote"})


def subject_of(tok: Token, ctx: QuoteContext | None = None) -> Token | None:
    """Grammatical subject of a cue, inherited through conjunctions and participles (`, adding that`)."""
    seen = 0
    while tok is not None and seen < 4:
        subjects = [child for child in tok.children if child.dep_ in ("nsubj", "nsubjpass") and not child.is_punct
                    and not (child.dep_ == "nsubjpass" and child.lower_ == "it")]
        if seen == 0 and tok.lemma_.lower() not in _PASSIVE_SPEAKER_LEMMAS and \
                any(c.dep_ == "nsubjpass" for c in tok.children):
            return None  # `the bank, which was reported buying`, `officials were asked to`: told about, not telling
        if subjects:  # the one nearest before the verb: `( J.P. MOCZULSKI ) ... Teresa Galati, 56, says`
            before = [c for c in subjects if c.i < tok.i]
            return named_subject(before[-1] if before else subjects[0])
        if tok.dep_ == "pcomp" and tok.head.lower_ == "as" and tok.head.head.lemma_.lower() in _PASSIVE_SPEAKER_LEMMAS:
            tok = tok.head.head  # `Reagan was quoted as saying that ...`
            quoted = next((c for c in tok.children if c.dep_ == "dobj"), None)
            if quoted is not None:
                return named_subject(quoted)  # `the paper quoted Reagan as saying`: Reagan speaks
            seen += 1
            continue
        if tok.dep_ == "acl" and tok.tag_ == "VBG" and tok.head.dep_ == "dobj" and tok.head.head is not tok.head:
            tok = tok.head.head  # `rejected a "quick fix" adding, "..."` with the participle hung on the object
            seen += 1
            continue
        if tok.dep_ in ("conj", "advcl", "xcomp") and tok.head is not tok:
            participle = tok.dep_ == "advcl" and tok.tag_ == "VBG"
            tok = tok.head
            while participle and tok.dep_ in ("ccomp", "xcomp") and tok.head is not tok and not (
                    ctx is not None and ctx.has_break(min(tok.idx, tok.head.idx), max(tok.idx, tok.head.idx))):
                tok = tok.head  # `said the police ignored warnings, adding that ...`: the adder is who said
            seen += 1
            continue
        return None
    return None


def named_subject(tok: Token) -> Token:
    """A role noun or a misparsed date with a name beside it yields the name: `High Commissioner Bachelet`."""
    if tok.lower_ in ("who", "that", "which") and tok.head.dep_ == "relcl":
        return named_subject(tok.head.head)  # `veteran MPs who say` -> MPs
    if tok.ent_type_ == "PERSON" or tok.pos_ == "PRON" and tok.tag_ != "DT":  # `any of his MPs — Rempel` goes on
        return tok
    if tok.ent_type_ and tok.ent_type_ not in ("DATE", "TIME") and tok.pos_ == "PROPN":
        return tok
    for child in tok.children:
        if child.dep_ not in ("appos", "conj", "compound") or any(
                c.dep_ in ("relcl", "acl") and tok.i < c.i < child.i for c in tok.children):
            continue  # `the resident, who sold copies of his comic, The Undead Soldier`: not the resident's name
        if child.dep_ == "compound" and tok.pos_ == "NOUN" and tok.ent_type_ not in ("DATE", "TIME"):
            continue  # `Trudeau spokesman`, `Surrey staff`: the name modifies who speaks
        if child.ent_type_ == "PERSON":
            return child
        if child.dep_ == "appos" and tok.pos_ == "NOUN" and child.pos_ == "PROPN" and child.ent_type_ in ("", "GPE") \
                and child.is_alpha and child.text[:1].isupper() and child.left_edge.i == child.i == child.right_edge.i:
            return child  # `says Wise's dad, Darrin` with the name mistagged
    return tok


def speaker_span(ctx: QuoteContext, tok: Token) -> Span:
    """The phrase naming the speaker: the entity mention, the pronoun, or the noun phrase without asides."""
    doc = ctx.doc
    entity_id = ctx.index.by_token.get(tok.i)
    if entity_id is not None and tok.pos_ == "PROPN":
        lo = hi = tok.i
        while lo > 0 and ctx.index.by_token.get(lo - 1) == entity_id and doc[lo - 1].pos_ == "PROPN":
            lo -= 1
        while hi + 1 < len(doc) and ctx.index.by_token.get(hi + 1) == entity_id and doc[hi + 1].pos_ == "PROPN":
            hi += 1
        return doc[lo : hi + 1]
    if tok.pos_ == "PRON":
        return doc[tok.i : tok.i + 1]
    cut = {"appos", "relcl", "acl", "punct", "advcl", "parataxis", "case"}
    keep = [tok]
    stack = [c for c in tok.children if c.dep_ not in cut]
    while stack:
        t = stack.pop()
        keep.append(t)
        stack.extend(c for c in t.children if c.dep_ not in cut)
    lo = min(t.i for t in keep)
    hi = max(t.i for t in keep)
    for t in doc[tok.i : hi + 1]:  # stop at a comma after the head: "Xu, a spokesman for ..."
        if t.text == "," and t.i > tok.i:
            hi = t.i - 1
            break
    for t in doc[lo : tok.i]:  # a heading, photo credit or quote glued on by the parser stays out
        if ctx.has_break(t.idx, t.idx + len(t.text_with_ws)) or t.text in ("|", "/") or t.text in MARK_CHARS:
            lo = t.i + 1
    for t in doc[tok.i : hi + 1]:
        if ctx.has_break(t.idx, t.idx + len(t.text)) or t.text in MARK_CHARS:
            hi = t.i - 1
            break
        if ctx.has_break(t.idx, t.idx + len(t.text_with_ws)):
            hi = t.i
            break
    while lo < tok.i and doc[lo].is_punct:
        lo += 1
    return doc[lo : max(hi, tok.i) + 1]


def _main_clause(verb: Token) -> bool:
    """A verb heading its sentence, or joined to the one that does (`arrived and said`)."""
    while verb.dep_ == "conj" and verb.head is not verb:
        verb = verb.head
    return verb.dep_ == "ROOT"


def _sex(word: str) -> str:
    return "m" if word == "he" else "f"


def _is_proper_name(span: Span) -> bool:
    """`Tatiana Stanovaya`: capitalised proper nouns only."""
    words = [t for t in span if not t.is_punct]
    return bool(words) and all(t.pos_ == "PROPN" and t.text[:1].isupper() for t in words)


class SpeakerResolver:
    """Speaker phrase -> entity: the index's answer first, then a local fallback for pronouns and roles."""

    def __init__(self, ctx: QuoteContext):
        self.ctx = ctx
        self.gender: dict[str, str] = {}
        self.sure_gender: dict[str, str] = {}  # honorifics, or two or more pronouns and none of the other
        self.roles: dict[str, list[tuple[int, Entity]]] = {}
        self.mentions: list[tuple[int, int, Entity]] = sorted(
            ((m.start, m.end, e) for e in ctx.index.entities for m in e.mentions if m.kind == "name"),
            key=lambda m: (m[0], m[1]))
        self.not_people = self._not_people()
        self.alias = self._person_aliases()
        self._learn_entities()

    def _person_aliases(self) -> dict[str, Entity]:
        """`Al Mnajer` tagged ORG beside the person `Mohammad Al Mnajer`: the surname stands for the person."""
        people = [e for e in self.ctx.index.entities if e.type == "PERSON" and len(e.name.split()) > 1]
        alias = {}
        for entity in self.ctx.index.entities:
            if entity.type in ("PERSON", "NORP") or not entity.name[:1].isupper():
                continue
            owners = [p for p in people if p.name.endswith(" " + entity.name)]
            if len(owners) == 1:
                alias[entity.id] = owners[0]
        return alias

    def entity_at(self, tok: Token) -> Entity | None:
        """The entity a token belongs to; a surname mistagged as an organisation, or missed by the NER, read
        as the one person whose name ends with it."""
        entity = self.ctx.index.entity_for_token(tok)
        if entity is not None:
            return self.alias.get(entity.id, entity)
        if tok.pos_ != "PROPN" or not tok.text[:1].isupper() or tok.dep_ == "compound":
            return None
        words = [c.text for c in tok.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"] + [tok.text]
        name = " ".join(words)
        owners = [e for e in self.ctx.index.entities if e.type == "PERSON" and e.id not in self.not_people
                  and (e.name == name or e.name.endswith(" " + name))]
        return owners[0] if len(owners) == 1 else None

    def _not_people(self) -> set[str]:
        """Names the NER took for people that are not: teams, firms, institutions and photo credits."""
        marks: dict[str, list[str]] = {}
        for start, end, entity in self.mentions:
            if entity.type != "PERSON":
                continue
            span = self.ctx.doc.char_span(start, end, alignment_mode="expand")
            root = span.root if span is not None else None
            after_the = self.ctx.text[max(0, start - 4) : start].lower() == "the "
            if "/" in entity.name or "\n" in entity.name:
                mark = "strong"  # `Lauren Pelley / CBC News`: a photo credit
            elif root is None:
                mark = "weak" if after_the else "none"
            elif after_the and root.dep_ != "compound":
                mark = "strong"  # `the Sharks`: a team
            elif root.dep_ == "pobj" and root.head.lower_ == "at" and root.head.head.pos_ == "NOUN":
                mark = "strong"  # `principal researcher at Dixon Hall`: an organisation
            elif root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.lemma_.lower() in _ORG_ROLES:
                mark = "strong"  # `the founder of Studiocomix Press`
            else:  # `the Kinder Morgan pipeline` is a firm unless the name also stands alone elsewhere
                mark = "weak" if after_the else "none"
            marks.setdefault(entity.id, []).append(mark)
        found = {e for e, seen in marks.items() if "strong" in seen or all(m == "weak" for m in seen)}
        nouns = self.ctx.lexicon.speaker_nouns
        orgs = [e.name for e in self.ctx.index.entities if e.type == "ORG"]
        for entity in self.ctx.index.entities:
            if entity.type != "PERSON" or entity.id in found:
                continue
            words = [w.strip(".,>").lower() for w in entity.name.split()]
            if any(nouns.get(w) == "organisation" or nouns.get(w.removesuffix("s")) == "organisation"
                   for w in words[1:]) or any(o.startswith(entity.name + " ") for o in orgs):
                found.add(entity.id)  # `Courier Corp`, `Gaspe Mines`, `Outboard Marine` of `Outboard Marine Corp`
        return found

    def _learn_entities(self) -> None:
        doc, text = self.ctx.doc, self.ctx.text
        for start, end, entity in self.mentions:
            if entity.type != "PERSON":
                continue
            before = text[max(0, start - 5) : start].lower()
            if re.search(r"\bmr\.?\s*$", before):
                self.gender.setdefault(entity.id, "m")
                self.sure_gender.setdefault(entity.id, "m")
            elif re.search(r"\b(ms|mrs|miss)\.?\s*$", before):
                self.gender.setdefault(entity.id, "f")
                self.sure_gender.setdefault(entity.id, "f")
            tok = tok_at(self.ctx, start)
            if tok is None:
                continue
            root = doc.char_span(start, end, alignment_mode="expand")
            root = root.root if root is not None else tok
            words = [c for c in root.children if c.dep_ in _ROLE_DEPS and c.idx < start or c.dep_ == "appos"]
            if root.dep_ == "appos":
                words.append(root.head)
            for word in words:
                if word.pos_ in ("NOUN", "PROPN") and self.ctx.index.by_token.get(word.i) != entity.id:
                    self.roles.setdefault(word.lemma_.lower(), []).append((start, entity))
            for title in entity.titles:
                for word in title.lower().split():
                    self.roles.setdefault(word, []).append((start, entity))
        for entity in self.ctx.index.entities:  # a known given name, after an honorific
            words = [w.strip(".").lower() for w in entity.name.split()]
            given = next((w for w in words if w not in _HONORIFICS), None) if entity.type == "PERSON" else None
            sex = self.ctx.lexicon.first_names.get(given) if given and len(words) > 1 else None
            if sex and self.gender.setdefault(entity.id, sex) == sex:
                self.sure_gender.setdefault(entity.id, sex)
        self._learn_gender_from_text()
        for entity in self.ctx.index.entities:  # pronouns the index already linked tell the gender
            for mention in entity.mentions:
                word = mention.text.lower()
                if word in ("he", "him", "his"):
                    self.gender.setdefault(entity.id, "m")
                elif word in ("she", "her", "hers"):
                    self.gender.setdefault(entity.id, "f")

    def _learn_gender_from_text(self) -> None:
        """Votes from pronouns in sentences that name one person only: `Lonechild ... proven herself`."""
        votes: dict[str, dict[str, int]] = {}
        sents = list(self.ctx.doc.sents)
        for n, sent in enumerate(sents):
            people = {self.ctx.index.by_token.get(t.i) for t in sent if t.ent_type == _PERSON
                      and not self.ctx.inside_quote(t.idx)} - {None}
            people = {e for e in people if (ent := self.ctx.index.get(e)) is not None and ent.type == "PERSON"}
            if len(people) != 1:
                continue
            (person,) = people
            tokens = [t for t in sent if not self.ctx.inside_quote(t.idx)]
            if n + 1 < len(sents) and sents[n + 1][0].lower_ in ("he", "she"):
                tokens.append(sents[n + 1][0])
            for t in tokens:
                word = t.lower_
                sex = "m" if word in ("he", "him", "his", "himself") else "f" if word in (
                    "she", "her", "hers", "herself") else None
                if sex:
                    votes.setdefault(person, {"m": 0, "f": 0})[sex] += 1
        for person, count in votes.items():
            if count["m"] != count["f"]:
                self.gender.setdefault(person, "m" if count["m"] > count["f"] else "f")
                if min(count.values()) == 0 and max(count.values()) >= 2:
                    self.sure_gender.setdefault(person, "m" if count["m"] else "f")

    def resolve(self, tok: Token, previous: Speaker | None, previous_type: str | None, at: int,
                since: int | None = None) -> Speaker:
        """Speaker record for the subject token of a cue; `at` is where the quote starts, `since` where the
        previous quote (said by `previous`) ended."""
        span = speaker_span(self.ctx, tok)
        index = self.ctx.index
        if self._unnamed_goes_on(tok, previous, previous_type, at, since):
            actor = index.nominal_actor(span) if index.nominal_actor is not None and tok.pos_ == "NOUN" else None
            return Speaker(text=span.text, start=span.start_char, end=span.end_char,
                           actor_code=actor.code if actor is not None else None)
        entity = self.entity_at(span.root) or (self.entity_at(tok) if tok.pos_ == "PROPN" else None)
        if entity is None and len(span) == 1 and tok.text[:1].isupper() and tok.is_alpha:
            entity = self._by_surname(tok.text)
        if entity is not None and not any(c.isupper() for c in entity.name):
            entity = None  # `rookie defenceman` tagged as a name is a description
        if entity is not None and tok.pos_ != "PROPN" and entity.type == "PERSON" and \
                self.ctx.lexicon.speaker_nouns.get(tok.lemma_.lower()) in ("organisation", "document", "institution",
                                                                           "anonymous"):
            entity = None  # `the commission` is no person, whatever the coreference says
        word = tok.lower_
        name = None
        if entity is not None and word in ("he", "she") and (entity.type not in ("PERSON", "NORP") or
                                                           entity.id in self.not_people or
                                                           self.sure_gender.get(entity.id, _sex(word)) != _sex(word)):
            entity = None  # the index's antecedent cannot be this he or she: try the local fallback
        if word in ("he", "she"):
            want = _sex(word)
            main = self._main_subject(tok, lambda e: e.type == "PERSON" and e.id not in self.not_people and
                                      self.gender.get(e.id, want) == want, min(at, tok.idx))
            if main is not None:
                entity, name = main  # the person the text was just about beats the index's longer-range guess
            elif previous is not None and previous.entity and since is not None and at - since < 1500:
                kept = self.ctx.index.get(previous.entity)
                if kept is not None and kept.type == "PERSON" and kept.id not in self.not_people and \
                        self.gender.get(kept.id, want) == want and entity is not None and \
                        entity.id != kept.id and self._bound_away(tok, entity.id):
                    entity = kept  # `Asked what he would tell Mayor John Tory, he said:` -- still the last speaker
        if word == "they" and (entity is None or entity.type != "PERSON"):
            group = self._people_pair(tok, min(at, tok.idx)) or self._plural_group(tok, min(at, tok.idx))
            if group is None and previous is not None and not previous.entity and previous.name and \
                    since is not None and 0 <= at - since < 1500 and (previous.text.lower() == "they" or (
                    previous_type == "nominal" and self._plural_speaker(previous))):
                group = previous.name  # `The institutes said ... they said ... they said`: the same group
            if group is not None:
                entity, name = None, group
        if entity is None and name is None and word in PRONOUNS:
            entity, name = self._pronoun(tok, previous, previous_type, min(at, tok.idx))
        if tok.pos_ == "NOUN" and self.ctx.lexicon.speaker_nouns.get(tok.lemma_.lower()) == "document":
            entity = self._issuer(tok, previous, at) or entity  # `a release from UFCW`, `the union's statement`
        definite = tok.pos_ == "NOUN" and (span[0].lower_ in ("the", "this", "that") or (
            span.start > 0 and self.ctx.doc[span.start - 1].lower_ == "the"))
        if definite and entity is not None and entity.type == "PERSON" and tok.tag_ == "NN" and \
                self.ctx.lexicon.speaker_nouns.get(tok.lemma_.lower(), "person") == "person":
            # `Al Mnajer passed his test ... The 32-year-old labourer says`: the person just spoken of
            entity = self._recent_subject(tok, lambda e: e.type == "PERSON" and e.id not in self.not_people,
                                          min(at, span.start_char)) or entity
        if entity is None and definite:
            entity = self._description(tok, previous, at)
        if entity is not None and word in ("he", "him"):
            self.gender.setdefault(entity.id, "m")
        elif entity is not None and word in ("she", "her"):
            self.gender.setdefault(entity.id, "f")
        actor_code = None
        if entity is not None and entity.actor is not None:
            actor_code = entity.actor.code
        elif entity is None and index.nominal_actor is not None and tok.pos_ == "NOUN":
            actor = index.nominal_actor(span)  # `a spokesperson for China's foreign ministry` -> CHNGOV
            actor_code = actor.code if actor is not None else None
        else:
            found, actor = index.actor_for_span(span)
            if actor is not None and (found is None or found is entity or index.nominal_actor is not None):
                actor_code = actor.code
        if entity is not None:
            name = entity.name
        elif name is None and _is_proper_name(span):
            name = span.text  # a name the NER missed is still a name
        return Speaker(text=span.text, start=span.start_char, end=span.end_char,
                       entity=entity.id if entity else None, name=name, actor_code=actor_code)

    def _unnamed_goes_on(self, tok: Token, previous: Speaker | None, previous_type: str | None, at: int,
                         since: int | None) -> bool:
        """`a senior official said ... The official said ... He said`: the unnamed speaker just quoted goes on
        when no one is named in between, rather than a person named further back."""
        if previous is None or previous.entity or previous.name or since is None or not 0 <= at - since < 1500:
            return False
        word = tok.lower_
        if previous_type != "nominal":
            if not (word in ("he", "she") and previous.text.lower() == word):
                return False  # only the chain of an unresolved `he said` goes on
        else:
            head = self.ctx.doc.char_span(previous.start, previous.end, alignment_mode="expand")
            if head is None or head.root.tag_ != "NN" or any(t.ent_type_ == "PERSON" for t in head) or \
                    self.ctx.lexicon.speaker_nouns.get(head.root.lemma_.lower(), "person") != "person":
                return False
            if word not in ("he", "she") and not (tok.pos_ == "NOUN" and
                                                  tok.lemma_.lower() == head.root.lemma_.lower()):
                return False
        between = self.ctx.doc.char_span(since, tok.idx, alignment_mode="contract") or []
        # anyone else who is the subject of a clause in between (`the mayor brought it up again`) may speak now
        return not any(t.dep_ in ("nsubj", "nsubjpass") and t.pos_ in ("NOUN", "PROPN") and t.i != tok.i and
                       not previous.start <= t.idx < previous.end and not self.ctx.inside_quote(t.idx)
                       for t in between)

    def _by_surname(self, word: str) -> Entity | None:
        """`Sinclair` untagged by the NER: the one person whose name has that word."""
        found = {e.id: e for e in self.ctx.index.entities if e.type == "PERSON" and word in e.name.split()}
        return next(iter(found.values())) if len(found) == 1 else None

    def _pronoun(self, tok: Token, previous: Speaker | None, previous_type: str | None,
                 at: int) -> tuple[Entity | None, str | None]:
        """(entity, name) for an unresolved pronoun: a recent subject, the previous speaker, a recent name."""
        word = tok.lower_
        if word in ("i", "we", "you"):
            return None, None
        index = self.ctx.index
        prev_entity = index.get(previous.entity) if previous is not None and previous.entity else None
        if word == "they":
            pair = self._people_pair(tok, at)
            if pair is not None:
                return None, pair
            group = self._plural_group(tok, at)
            if group is not None:
                return None, group  # `Analysts said BAT's results ...` then `they said`: the analysts, not BAT
            if previous is not None and prev_entity is None and previous_type == "nominal" and \
                    self._plural_speaker(previous):
                return None, previous.name or previous.text  # `economists said ... They said`
        if word in ("he", "she", "him", "her"):
            want = "m" if word in ("he", "him") else "f"
            ok = lambda e: e.type == "PERSON" and self.gender.get(e.id, want) == want and e.id not in self.not_people
        elif word == "it":
            ok = lambda e: e.type == "ORG"  # `the Iranians` or `European` cannot be `it`
        else:
            ok = lambda e: e.type in ("ORG", "NORP") or (e.type == "PERSON" and len(e.name.split()) > 3)
        recent = self._recent_subject(tok, ok, at)
        if recent is not None:
            return recent, None
        if prev_entity is not None and ok(prev_entity):
            return prev_entity, None
        if previous is not None and previous.entity is None and previous.name and (
                (word in ("they", "it")) == (previous_type == "nominal")):
            return None, previous.name
        if previous is not None and previous.entity is None and previous_type == "nominal" and word == "they":
            return None, previous.text
        for start, _end, entity in reversed(self.mentions):
            if start < at and ok(entity) and not self.ctx.inside_quote(start):  # `"David versus Goliath"`
                return entity, None
        return None, None

    def _plural_speaker(self, speaker: Speaker) -> bool:
        """`the economists`, `banking sources`: an unnamed group speaking."""
        span = self.ctx.doc.char_span(speaker.start, speaker.end, alignment_mode="expand")
        return span is not None and span.root.tag_ == "NNS"

    def _plural_group(self, tok: Token, at: int) -> str | None:
        """`they` after a main clause whose subject is a plural common noun (`Analysts said ...`)."""
        for t in self._main_subjects(tok, at):
            if t.tag_ != "NNS" or t.ent_type_ or not self.ctx.frames(t.head):
                return None  # `Prices rose.` names no one who speaks
            return speaker_span(self.ctx, t).text
        return None

    def _lead(self, tok: Token, at: int, *, attribution: bool = True) -> Span | None:
        """The sentence before a quote (two when it is short), and the attribution up to the cue's subject."""
        before = tok_at(self.ctx, max(0, at - 1), forward=False)
        if before is None:
            return None
        first = before.sent.start
        if first > 0 and before.i - first < 2:
            first = self.ctx.doc[first - 1].sent.start
        return self.ctx.doc[first : tok.i if attribution else min(tok.i, before.i + 1)]

    def _recent_subject(self, tok: Token, ok, at: int) -> Entity | None:
        """A compatible entity that is a subject in the sentence before the quote or in the attribution."""
        for t in reversed(self._lead(tok, at) or []):
            if t.dep_ in ("nsubj", "nsubjpass") and not self.ctx.inside_quote(t.idx):
                entity = self.entity_at(named_subject(t))
                if entity is not None and ok(entity):
                    return entity
        return None

    def _main_subjects(self, tok: Token, at: int):
        """Subjects of main clauses before the quote, nearest first."""
        for t in reversed(self._lead(tok, at, attribution=False) or []):
            if t.dep_ in ("nsubj", "nsubjpass") and not self.ctx.inside_quote(t.idx) and _main_clause(t.head):
                yield t

    def _main_subject(self, tok: Token, ok, at: int) -> tuple[Entity | None, str | None] | None:
        """The subject of the last main clause before the quote: a compatible entity, or a name the NER missed.

        `Yuni, a resident of Lampung, was watching television when she heard ...` then `"...," she said`.
        """
        for t in self._main_subjects(tok, at):
            subject = named_subject(t)
            entity = self.entity_at(subject)
            if subject.pos_ == "PRON":
                if entity is None or subject.lower_ != tok.lower_ or not ok(entity):
                    continue  # `but she had proved him wrong` says nothing about who `he` is
                return entity, None
            if entity is not None:
                return (entity, None) if ok(entity) else None
            if subject.pos_ == "PROPN" and not subject.ent_type_ and subject.is_alpha and subject.text[:1].isupper():
                span = speaker_span(self.ctx, subject)
                return (None, span.text) if _is_proper_name(span) else None
            return None  # `The Canadian Press Syrian refugee ...`: someone else is in view
        return None

    def _people_pair(self, tok: Token, at: int) -> str | None:
        """`they` after `owners Tore Sohlberg and Lehla Abreder said ...`: the people named together."""
        for t in self._main_subjects(tok, at):
            if t.pos_ == "PRON":
                continue
            heads = [t] + [c for c in t.children if c.dep_ == "appos"]
            for head in heads:
                group = [head] + [c for c in head.conjuncts if c.i > head.i]
                names = []
                for member in group:
                    entity = self.ctx.index.entity_for_token(member)
                    if entity is None or entity.type != "PERSON" or entity.id in self.not_people:
                        break
                    names.append(entity.name)
                else:
                    if len(names) > 1:
                        return " and ".join(dict.fromkeys(names))
            return None
        return None

    def _bound_away(self, tok: Token, entity_id: str) -> bool:
        """The entity is the object of a clause whose subject is the same pronoun in the attribution's sentence:
        `Asked what he would tell John Tory, he said` -- that `he` is not John Tory, nor is this one."""
        for t in tok.sent:
            if t.i == tok.i or t.lower_ != tok.lower_ or t.dep_ not in ("nsubj", "nsubjpass"):
                continue
            for obj in t.head.subtree:
                if obj.dep_ in ("dobj", "dative", "pobj", "attr") and not self.ctx.inside_quote(obj.idx):
                    found = self.ctx.index.entity_for_token(obj)
                    if found is not None and found.id == entity_id:
                        return True
        return False

    def _issuer(self, tok: Token, previous: Speaker | None, at: int) -> Entity | None:
        """Who a document noun speaks for: its author (`a statement e-mailed to The Globe by Reagan Ruslim`,
        `a study released by Civic Action`), a name in its phrase, or its possessor (`the union's release`)."""
        named = None
        for t in tok.subtree:
            found = self.ctx.index.entity_for_token(t)
            if t.i == tok.i or found is None or found.type not in ("ORG", "PERSON", "GPE", "NORP"):
                continue
            root = t
            while root.dep_ in ("compound", "flat") and root.head.i != tok.i and \
                    self.ctx.index.entity_for_token(root.head) is found:
                root = root.head
            path, up = [], root
            while up.i != tok.i and up.head is not up:
                path.append(up)
                up = up.head
            clause = any(u.dep_ in ("relcl", "acl", "appos") for u in path)
            relative = any(u.dep_ in ("relcl", "appos") for u in path)  # `which used research from X`
            if root.dep_ == "pobj" and (root.head.lower_ == "by" or root.head.lower_ == "from" and not relative):
                return found
            if named is None and not clause and not (root.dep_ == "pobj" and root.head.lower_ == "to"):
                named = found
        if named is not None:
            return named
        for child in tok.children:
            if child.dep_ == "poss" and child.pos_ == "NOUN":
                return self._description(child, previous, at)
        return None

    def _description(self, tok: Token, previous: Speaker | None, at: int) -> Entity | None:
        """`the spokesperson` -> the person introduced as one; `the agency` -> the organisation in view."""
        lemma = tok.lemma_.lower()
        kind = self.ctx.lexicon.speaker_nouns.get(lemma, "person")
        if kind == "anonymous":
            return None  # `the source` is unnamed on purpose
        candidates = [e for start, e in self.roles.get(lemma, []) if start < tok.idx]
        if candidates and kind == "person":
            return candidates[-1]
        if tok.tag_ in ("NNS", "NNPS"):
            return None  # `the officials`: a group, not one entity
        types = ("PERSON",) if kind == "person" else ("ORG",)
        if kind == "person":
            recent = self._recent_subject(tok, lambda e: e.type == "PERSON" and e.id not in self.not_people,
                                         min(at, tok.left_edge.idx))
            if recent is not None:
                return recent
        named = [e for start, _end, e in self.mentions if start < tok.idx and e.type in types + ("GPE",)
                 and lemma in e.name.lower().split() and any(c.isupper() for c in e.name)]
        if named:
            return named[-1]  # `the commission` -> the Ontario Civilian Police Commission
        if kind == "institution":
            return None  # `the military` names itself
        prev_entity = self.ctx.index.get(previous.entity) if previous is not None and previous.entity else None
        if kind != "person" and prev_entity is not None and prev_entity.type in types and \
                0 < tok.idx - previous.start < 1200:
            return prev_entity  # `IRCC said ... The department added that ...`
        return self._salient(lambda e: e.type in types, min(at, tok.idx), prev_entity)

    def _salient(self, ok, at: int, prev_entity: Entity | None) -> Entity | None:
        """The compatible entity most in view before `at`: mentioned lately, often, or the last speaker."""
        score: dict[str, float] = {}
        for start, _end, entity in self.mentions:
            if start < at and ok(entity) and entity.id not in self.not_people:
                score[entity.id] = score.get(entity.id, 0.0) + math.exp(-(at - start) / 800)
        if not score:
            return None
        if prev_entity is not None and prev_entity.id in score:
            score[prev_entity.id] += 0.5
        best = max(score, key=lambda k: score[k])
        return self.ctx.index.get(best)
