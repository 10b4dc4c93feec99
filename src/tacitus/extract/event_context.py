"""When, where and how sure: modality, the date and the place attached to an event clause."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from tacitus.schema import Place, TimeRef

SUBJECTS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}
FUTURE_CONTROL = {"plan", "intend", "prepare", "aim", "seek", "want", "hope", "expect", "schedule", "set",
                  "poise", "about", "likely", "due", "go", "promise", "pledge", "vow", "agree", "offer", "undertake",
                  "commit", "threaten", "ready", "willing", "prepared"}
NEGATING_CONTROL = {"fail", "refrain", "decline", "stop", "cease", "reluctant", "unwilling", "hesitant", "loath",
                    "unable", "avoid", "refuse", "resist"}
UNLIKELY_CONTROL = {"unlikely", "doubtful", "improbable"}
# "the goal is to occupy": aimed at; "Eriador's refusal to talk": not done
GOAL_NOUNS = {"goal", "aim", "objective", "purpose", "plan", "intention", "mission", "priority", "ambition", "idea"}
REFUSAL_NOUNS = {"refusal", "reluctance", "failure", "unwillingness", "inability"}
# "has no plans to", "made no commitment to": a denied plan negates the planned act; a plan makes it future
PLAN_NOUNS = {"plan", "intention", "intent", "desire", "wish", "interest", "reason", "need", "right", "authority",
              "commitment", "promise", "pledge", "willingness", "readiness", "offer", "proposal", "bid", "attempt"}
DENYING = {"deny", "dismiss", "reject", "refute"}
HYPOTHETICAL_AUX = {"could", "might", "may", "should", "can", "must", "ought"}
FUTURE_AUX = {"will", "shall", "'ll", "wo"}


@dataclass(frozen=True)
class ModalWords:
    """Words that make an act possible or planned rather than done (synsets.tsv: &HYPOTHETICALNOUN,
    &PLANNEDNOUN, &HYPOTHETICALMOD, &PLANNEDMOD)."""

    hypothetical_nouns: frozenset[str] = frozenset()  # "the possibility of talks", "calls for an inquiry"
    planned_nouns: frozenset[str] = frozenset()  # "plans for a summit", "preparations for a visit"
    hypothetical_mods: frozenset[str] = frozenset()  # "a possible visit"
    planned_mods: frozenset[str] = frozenset()  # "a proposed meeting", "the upcoming summit"

    @classmethod
    def from_synsets(cls, synsets: dict[str, list[str]]) -> ModalWords:
        """The four word sets from the lexicon's synsets."""
        def words(name: str) -> frozenset[str]:
            return frozenset(w.lower() for w in synsets.get(name, []))
        return cls(words("HYPOTHETICALNOUN"), words("PLANNEDNOUN"), words("HYPOTHETICALMOD"), words("PLANNEDMOD"))

    def of_noun(self, tok: Token) -> str | None:
        """"hypothetical" or "future" for a governing noun, else None."""
        lemma = tok.lemma_.lower()
        if lemma in self.planned_nouns:
            return "future"
        return "hypothetical" if lemma in self.hypothetical_nouns else None

    def of_modifier(self, tok: Token) -> str | None:
        """"hypothetical" or "future" for a modifier word of an event noun, else None."""
        forms = (tok.lower_, tok.lemma_.lower())
        if any(f in self.planned_mods for f in forms):
            return "future"
        return "hypothetical" if any(f in self.hypothetical_mods for f in forms) else None


NO_MODAL_WORDS = ModalWords()
GOVERNING_PREPS = {"of", "for", "on", "about", "over", "toward", "towards"}


def nominal_modality(noun: Token, words: ModalWords) -> tuple[str, bool] | None:
    """The modality an event noun gets from its own modifiers ("a proposed meeting", "a possible visit") or
    from a noun that governs it ("the possibility of talks", "plans for a summit", "calls for an inquiry",
    "no plans for a visit"); None when neither says anything."""
    for child in noun.children:
        if child.dep_ in ("amod", "compound", "nmod", "advmod"):
            found = words.of_modifier(child)
            if found:
                return found, False
    tok = noun
    for _ in range(3):  # "the possibility of a resumption of talks"
        if tok.dep_ == "pobj" and tok.head.lower_ in GOVERNING_PREPS and tok.head.head.pos_ == "NOUN":
            governor = tok.head.head
        elif tok.dep_ == "compound" and tok.head.pos_ == "NOUN":
            governor = tok.head  # "the summit plans"
        else:
            return None
        found = words.of_noun(governor)
        if found:
            if any(c.lower_ in ("no", "neither") and c.dep_ == "det" for c in governor.children):
                return "negated", True  # "has no plans for a visit"
            return found, False
        tok = governor
    return None


def _negative_subject(subject: Token) -> bool:
    """"Neither France nor Germany signed", "No country has recognized", "None of them attended"."""
    if subject.lower_ in ("nobody", "none", "neither", "nothing", "noone"):
        return True
    return any(c.lower_ in ("no", "neither") and c.dep_ in ("det", "preconj") for c in subject.children)


def modality(verb: Token, sent: Span, words: ModalWords = NO_MODAL_WORDS) -> tuple[str, bool]:
    """asserted / negated / denied / future / hypothetical for the clause of `verb`."""
    chain = [verb]
    t = verb
    while t.dep_ in ("xcomp", "pcomp", "prep", "acomp", "conj", "ccomp", "advcl", "advmod") and t.head != t \
            and len(chain) < 6:
        if t.dep_ == "conj" and t.head.pos_ != "AUX" and any(c.dep_ in SUBJECTS for c in t.children):
            break
        t = t.head
        chain.append(t)
        if t.dep_ == "ROOT":
            break
    if verb.dep_ in ("xcomp", "ccomp", "advcl", "attr") and verb.head.lemma_ == "be" and any(
            c.dep_ == "nsubj" and c.lemma_.lower() in GOAL_NOUNS for c in verb.head.children):
        return "future", False  # "Iran's main goal is to occupy Basra": aimed at, not done
    if verb.dep_ == "acl" and verb.head.lemma_.lower() in REFUSAL_NOUNS:
        return "negated", True  # "Eriador's refusal to talk to X"
    if verb.dep_ == "acl" and verb.head.lemma_.lower() in PLAN_NOUNS:
        plan = verb.head
        if any(c.lower_ in ("no", "neither") and c.dep_ == "det" for c in plan.children):
            return "negated", True
        if plan.head != plan:
            outer = modality(plan.head, sent, words)
            return outer if outer[0] != "asserted" else ("future", False)
    wanted = words.of_noun(verb.head) if verb.dep_ == "acl" else None
    if wanted:
        return wanted, False  # "the chance to meet X", "calls to impose sanctions"
    direct = chain[: next((i for i, c in enumerate(chain) if c.dep_ == "ccomp"), len(chain) - 1) + 1]
    for tok in direct:
        if any(c.dep_ == "neg" for c in tok.children) or tok.lower_ in ("never",):
            return "negated", True
        if any(_negative_subject(c) for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")):
            return "negated", True
        # "stopped talking" is not done; "will stop in Cairo to meet X" (a purpose clause) is
        if tok.lemma_ in NEGATING_CONTROL and tok is not verb and tok.lemma_ != "decline" \
                and direct[direct.index(tok) - 1].dep_ != "advcl":
            return "negated", True
        if tok is not verb and tok.lemma_ in UNLIKELY_CONTROL:
            return "hypothetical", False  # "Kenya is unlikely to buy wheat from X": not done, maybe not to be
        if tok is not verb and tok.lemma_ == "stop" and any(c.lower_ == "short" for c in tok.children):
            return "negated", True
    for tok in chain[1:]:
        if tok.lemma_ in DENYING and verb.dep_ in ("ccomp", "xcomp", "pcomp") and verb.head == tok:
            return "denied", False
    clause = direct
    # "the possibility of China invading Taiwan": a clause under a possibility or plan noun is not done
    under = next((words.of_noun(tok) for tok in chain[1:] if tok.pos_ == "NOUN" and words.of_noun(tok)), None)
    if under:
        return under, False
    if any(c.lower_ in ("if", "unless") and c.dep_ == "mark" for tok in clause for c in tok.children):
        return "hypothetical", False
    # a purpose clause ("... to have the High Commissioner visit the region") is intended, not done
    if any(tok.dep_ == "advcl" and any(c.lower_ == "to" and c.dep_ == "aux" for c in tok.children)
           for tok in chain):
        return "hypothetical", False
    auxes = {c.lower_ for tok in clause for c in tok.children if c.dep_ in ("aux", "auxpass")}
    if auxes & FUTURE_AUX:
        return "future", False
    if auxes & HYPOTHETICAL_AUX:
        return "hypothetical", False
    if "would" in auxes:
        return "future", False
    if any(tok.lemma_ in FUTURE_CONTROL for tok in clause[1:]):
        return "future", False
    return "asserted", False


def attached_verb(tok: Token) -> Token | None:
    """The verb a token hangs from (the clause it belongs to)."""
    t = tok
    for _ in range(8):
        if t.pos_ in ("VERB", "AUX") and t.dep_ not in ("amod", "aux", "auxpass"):
            return t
        if t.head == t:
            return None
        t = t.head
    return None


def clause_chain(verb: Token) -> list[Token]:
    """The verb and the verbs it hangs from (xcomp, advcl "when", conj), which share its time and place."""
    chain = [verb]
    t = verb
    while t.dep_ in ("xcomp", "advcl", "conj", "pcomp", "prep", "acomp") and t.head != t and len(chain) < 5:
        t = t.head
        chain.append(t)
    return chain


def time_for(verb: Token, times_by_verb: dict[int, list[TimeRef]]) -> TimeRef | None:
    """The time expression attached to the verb's clause or the clauses it hangs from."""
    for tok in clause_chain(verb):
        found = times_by_verb.get(tok.i)
        if found:
            return found[0]
    return None


def date_of(ref: TimeRef) -> tuple[dt.date, str] | None:
    """A TIMEX3 value as the first day it covers, with its precision."""
    value = ref.value or ""
    try:
        if len(value) == 10 or (len(value) > 10 and value[10] == "T"):  # 2021-03-29, 2021-03-29TMO
            return dt.date.fromisoformat(value[:10]), ref.precision if ref.precision not in (None, "time") else "day"
        if len(value) == 8 and value[4:6] == "-W":
            return dt.date.fromisocalendar(int(value[:4]), int(value[6:]), 1), ref.precision or "week"
        if len(value) == 7 and value[4] == "-" and value[5:].isdigit():
            return dt.date(int(value[:4]), int(value[5:]), 1), ref.precision or "month"
        if len(value) == 4 and value.isdigit():
            return dt.date(int(value), 1, 1), ref.precision or "year"
    except ValueError:
        return None
    return None


LOCATIVE_PREPS = {"in", "at", "near", "inside", "outside", "across", "throughout", "within", "around", "along"}


def locative(doc: Doc, place: Place) -> bool:
    """A place named in a locative phrase ("in Xinjiang", "at a briefing in Beijing"), not an actor."""
    span = doc.char_span(place.start, place.end, alignment_mode="expand")
    if span is None:
        return False
    head = span.root.head
    return span.root.dep_ == "pobj" and head.lower_ in LOCATIVE_PREPS


def index_by_verb(doc: Doc, items: list, want=lambda x: True) -> dict[int, list]:
    """Items (times, places) keyed by the verb of the clause they are attached to."""
    index: dict[int, list] = {}
    for item in items:
        if not want(item):
            continue
        span = doc.char_span(item.start, item.end, alignment_mode="expand")
        if span is None:
            continue
        verb = attached_verb(span.root)
        if verb is not None:
            index.setdefault(verb.i, []).append(item)
    return index
