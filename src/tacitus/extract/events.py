"""CAMEO and PLOVER events: who did what to whom, when and where, with modality and provenance.

Each verb (and each event noun) is matched against the team's pattern lexicon (`event_patterns`) over the
bag of words of its clause; source and target come from the dependency parse (active and passive voice,
coordination, prepositional targets, relative clauses), actors from the EntityIndex, the date from the
temporal expression attached to the clause, else the document date; the location from the place attached to
the clause, else the source actor's own place (`event_location`; the visited actor's for a visit), with
`location_basis` saying which.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
from collections.abc import Iterator
from pathlib import Path

from spacy.tokens import Doc, Span, Token

from tacitus.config import Config
from tacitus.extract import event_context as ctx
from tacitus.extract import event_roles as roles
from tacitus.extract.entities import EntityIndex
from tacitus.extract.event_location import actor_location, clause_places, visited_countries
from tacitus.extract.event_patterns import PREPOSITIONS, EventLexicon, Pattern, load_lexicon, preverb_words
from tacitus.schema import Event, EventActor, Place, Plover, Quote, SentenceSpan, TimeRef
from tacitus.schema import Span as TextSpan

VERSION = "tacitus.events.v2"
log = logging.getLogger(__name__)

MAX_SENTENCE_TOKENS = 150  # longer "sentences" are tables or run-ons: no reliable clause structure
BAG_DEPS = {"dobj", "obj", "dative", "attr", "oprd", "acomp", "prep", "agent", "prt", "xcomp", "pcomp", "pobj",
            "compound", "amod", "advmod", "npadvmod", "nmod", "poss", "nummod", "det", "neg", "aux", "conj",
            "dep", "ccomp"}
NO_DESCEND = {"relcl", "acl", "advcl", "parataxis", "punct", "cc", "mark", "nsubj", "nsubjpass", "csubj"}
# codes that two coordinated actors do with each other when no target is named ("X and Y are in talks")
RECIPROCAL = ("03", "04", "050", "054", "057", "06", "19")
# codes whose target does the mirrored act: "X met Y" is also "Y met X"; "X visited Y" is "Y hosted X"
MIRRORED = {"040": "040", "044": "044", "046": "046", "042": "043", "043": "042"}
# material cooperation and conflict: the roots that sports language imitates ("beat", "crush", "exchange")
MATERIAL_ROOTS = {"06", "07", "08", "17", "18", "19", "20"}
NEAR = {"near", "outside", "around", "beside", "behind", "inside", "across", "along", "by"}
STATE_FORCES = ("MIL", "COP", "SPY")
ARMED_ROLES = ("REB", "INS", "IMG", "SEP", "UAF", "CRM", "TER")  # groups one is accused of being linked to
LINKING = {"link", "tie"}
REPORTING = {"say", "tell", "claim", "allege", "insist", "argue", "contend", "charge", "assert", "state", "add",
             "warn", "write", "note", "complain", "suggest"}


def load(config: Config) -> EventLexicon:
    """The event lexicon, read once per process, with the user's PETRARCH verb dictionaries from the config
    (their matching patterns take precedence over built-in ones; see tacitus.verb_dictionaries)."""
    import warnings as py_warnings

    from tacitus.verb_dictionaries import is_discards_file, read_discard_files, verb_dictionary_paths

    files = list(config.dictionaries if config else ())
    lexicon = load_lexicon(verb_dictionaries=verb_dictionary_paths(files))
    discard_files = [Path(p) for p in files if is_discards_file(Path(p))]
    if discard_files:  # PETRARCH discards: stories or sentences with these phrases code no events
        lexicon.discards = read_discard_files(discard_files, lexicon.warnings)
        lexicon.paths = [*lexicon.paths, *discard_files]
    for problem in lexicon.warnings:
        py_warnings.warn(f"verbs dictionary: {problem}", stacklevel=2)
    return lexicon


def version(resources: EventLexicon) -> str:
    """Extractor version with a hash of the event lexicon files."""
    return f"{VERSION}+lexicon-{resources.version}"


Roles = tuple[str, ...]
CONFLICT_ROOTS = {f"{n}" for n in range(15, 21)}  # force, reduce relations, coerce, assault, fight


def events(doc: Doc, *, entities: EntityIndex, times: list[TimeRef], places: list[Place], quotes: list[Quote],
           lexicon: EventLexicon, code_statements: bool = False) -> list[Event]:
    """Every coded event in the document, in text order."""
    roles.set_non_actor_heads(lexicon.non_actor_heads)
    roles.set_for_deeds(lexicon.for_deeds)
    document = doc._.document if doc.has_extension("document") else None
    doc_date: dt.date | None = getattr(document, "date", None)
    found: list[Event] = []
    seen: set[tuple] = set()
    discards = lexicon.discards
    if discards is not None and any(p.search(doc.text) for p in discards.story):
        log.debug("events: story discarded by a discards phrase")
        return []
    for sent in doc.sents:
        if not _codable(sent):
            log.debug("events: skipped sentence at %d (%d tokens)", sent.start_char, len(sent))
            continue
        if discards is not None and any(p.search(sent.text) for p in discards.sentence):
            continue
        for event in _sentence_events(sent, entities, times, places, quotes, lexicon, code_statements, doc_date):
            key = (event.cameo, event.source and event.source.actor_code, event.target and event.target.actor_code,
                   event.trigger.start)
            if key not in seen:
                seen.add(key)
                found.append(event)
    for event in found:
        if event.location is None:
            # no place attached to the clause: where the source actor is ("Nairobi summoned ..."), except that
            # a visit (042) happens where the visited actor is
            actor = event.target if event.cameo == "042" and event.target is not None else event.source
            event.location = actor_location(actor, places)
            event.location_basis = "actor" if event.location is not None else None
    found.sort(key=lambda e: (e.trigger.start, e.source.start if e.source else -1))
    return found


def _codable(sent: Span) -> bool:
    """Sentences worth parsing for events: English-looking, with a verb, not a table or an all-caps headline."""
    if len(sent) > MAX_SENTENCE_TOKENS or len(sent) < 3:
        return False
    words = [t for t in sent if t.is_alpha]
    if len(words) < 3 or sum(t.like_num for t in sent) > len(sent) / 3:
        return False
    if sum(t.is_upper and len(t) > 1 for t in words) > 0.7 * len(words):
        return False
    if sum(t.is_oov and not t.ent_type_ for t in words) > 0.6 * len(words) and not any(t.is_stop for t in words):
        return False  # non-English text
    return any(t.pos_ in ("VERB", "AUX") for t in sent)


# ------------------------------------------------------------------------------------------ clause frames

def _bag(verb: Token) -> tuple[frozenset[str], bool]:
    """Lemmas and words of the verb's complements (not its subject or other clauses); and whether it
    controls an infinitive."""
    words: set[str] = set()
    infinitive = False
    stack = [(c, 1) for c in verb.children if (c.dep_ in BAG_DEPS and not _temporal(c))
             or (c.dep_ == "nsubjpass" and verb.tag_ == "VBN")]
    if verb.dep_ == "amod" or verb.dep_ == "acl":  # "the sanctions imposed on X": the noun is the object
        words.add(verb.head.lemma_.lower())
    while stack:
        tok, depth = stack.pop()
        # an infinitive's "to" is its aux; "told X he had raised his stake to 12 pct" has a preposition
        to_aux = any(c.lower_ == "to" and c.dep_ == "aux" for c in tok.children)
        controlled = tok.dep_ == "xcomp" or (tok.dep_ in ("ccomp", "advcl") and to_aux)
        if controlled and tok.head == verb:
            infinitive = True
        if tok.dep_ == "ccomp" and tok.head == verb and not to_aux:
            continue  # a reported clause is its own event
        words.add(tok.lemma_.lower())
        words.add(tok.lower_)
        if depth >= 5:
            continue
        for child in tok.children:
            if child.dep_ not in NO_DESCEND and not (child.dep_ == "conj" and child.pos_ in ("VERB", "AUX")):
                stack.append((child, depth + 1))
    for child in verb.children:
        if child.dep_ in ("prt", "neg", "advmod", "acomp"):
            words.add(child.lower_)
        elif child.dep_ == "advcl" and child.tag_ == "VB" and any(c.lower_ == "to" for c in child.children):
            words.add(child.lemma_.lower())  # the purpose: "summoned the envoy to protest" (not its words)
    # "stop short of": the particle words sit next to the verb
    if verb.i + 1 < len(verb.doc):
        words.add(verb.doc[verb.i + 1].lower_)
    return frozenset(words), infinitive


PHRASE_WORDS = 5  # the longest `_`-joined user phrase matched word for word


def _user_bag(verb: Token, bag: frozenset[str]) -> frozenset[str]:
    """The bag for user (PETRARCH) patterns: the clause's words, those of its that-clauses, and the runs of
    consecutive words after the verb (as words and as lemmas) that `_`-joined phrases must match."""
    tokens = [t for t in verb.sent if t.i > verb.i and not t.is_punct]
    runs: set[str] = set()
    for forms in ([t.lower_ for t in tokens], [t.lemma_.lower() for t in tokens]):
        for n in range(2, PHRASE_WORDS + 1):
            runs.update(" ".join(forms[i:i + n]) for i in range(len(forms) - n + 1))
    return bag | _that_clause_words(verb) | runs


def _that_clause_words(verb: Token) -> frozenset[str]:
    """Words and lemmas of the verb's that-clauses ("allowed that X is not a really pleasant place"): PETRARCH
    patterns match the words after the verb, so user patterns see them; built-in ones code the clause apart."""
    words: set[str] = set()
    for clause in (c for c in verb.children if c.dep_ == "ccomp" and c.i > verb.i):
        for tok in clause.subtree:
            words.update((tok.lower_, tok.lemma_.lower()))
    return frozenset(words)


def _temporal(prep: Token) -> bool:
    """"on Tuesday", "in March": a time phrase, not a pattern's "call on" or "talks in"."""
    objects = [c for c in prep.children if c.dep_ == "pobj"]
    return prep.dep_ == "prep" and bool(objects) and all(o.ent_type_ in ("DATE", "TIME") for o in objects)


# ------------------------------------------------------------------------------------------ coding a sentence

def _sentence_events(sent: Span, entities: EntityIndex, times: list[TimeRef], places: list[Place],
                     quotes: list[Quote], lexicon: EventLexicon, code_statements: bool,
                     doc_date: dt.date | None) -> Iterator[Event]:
    doc = sent.doc
    in_sent = [t for t in times if sent.start_char <= t.start < sent.end_char]
    times_by_verb = ctx.index_by_verb(doc, in_sent, lambda t: t.type in ("DATE", "TIME") and ctx.date_of(t) is not None)
    places_by_verb = ctx.index_by_verb(doc, [p for p in places if sent.start_char <= p.start < sent.end_char
                                          and ctx.locative(doc, p)])
    consumed: set[int] = set()
    by_trigger: dict[int, list[Event]] = {}
    for verb in sent:
        if verb.pos_ not in ("VERB", "AUX") or verb.dep_ in ("aux", "auxpass") or verb.i in consumed:
            continue
        lemma = _lexicon_lemma(verb, lexicon)
        if lemma is None or (lemma == "blame" and verb.dep_ == "xcomp" and verb.head.lemma_ == "be"):
            continue  # "X is to blame": X is blamed (see _culprits), X blames nobody
        bag, infinitive = _bag(verb)
        user_bag = (_user_bag(verb, bag) if lexicon.user_dictionaries
                    and any(p.user for p in lexicon.verbs.get(lemma, ())) else None)
        before = _before(verb, lexicon)
        pattern, score = lexicon.best(lexicon.verbs, lemma, bag, infinitive, before=before, user_bag=user_bag)
        if pattern is None or (not pattern.user and lexicon.no_event(lemma, bag, infinitive, score, before=before)):
            continue
        if pattern.code.startswith("01") and not code_statements:
            continue
        if pattern.code == "030":
            pattern = _specific_intent(verb, pattern, lexicon)
        sport = pattern.code[:2] in MATERIAL_ROOTS and lexicon.about_sport(bag) and lexicon.about_sport(
            _without_places(verb, bag))
        if pattern.code == "112" and lemma in LINKING and not pattern.user and _bare(pattern) \
                and not _linked_to_armed(verb, entities):
            continue  # "linked further aid to reforms", "to link the oilfields to a port": no accusation
        if pattern.code[:2] in CONFLICT_ROOTS and _measures_object(verb, lexicon.sectors[0]):
            continue  # "cut its prime rate", "hit a record high": markets, not conflict
        if pattern.infinitive or pattern.groups:
            consumed.update(_embedded_verbs(verb))
        produced = list(_code_clause(verb, pattern, score, sent, entities, quotes, lexicon, times_by_verb,
                                     places_by_verb, doc_date, sport=sport))
        by_trigger.setdefault(verb.i, []).extend(produced)
        yield from produced
    yield from _reported_accusations(sent, by_trigger, entities, quotes, lexicon, times_by_verb, doc_date)
    yield from _nominal_events(sent, entities, quotes, lexicon, times_by_verb, places_by_verb, doc_date)


# "agreed to restore ties" is intent to cooperate diplomatically: CAMEO's 03x by the root of the intended act
INTENT_BY_ROOT = {"04": "036", "05": "032", "06": "031", "07": "033", "08": "035"}


def _specific_intent(verb: Token, pattern: Pattern, lexicon: EventLexicon) -> Pattern:
    """The 03x sub-code of a generic "promised/agreed to ..." from the act its infinitive codes."""
    for inner in (c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"):
        lemma = _lexicon_lemma(inner, lexicon)
        if lemma is None:
            continue
        inner_bag = _bag(inner)[0]
        found, score = lexicon.best(lexicon.verbs, lemma, inner_bag, False, before=_before(inner, lexicon),
                                    user_bag=_user_bag(inner, inner_bag) if lexicon.user_dictionaries else None)
        if found is not None and score >= 2 and found.code[:2] in INTENT_BY_ROOT:
            return dataclasses.replace(pattern, code=INTENT_BY_ROOT[found.code[:2]])
    return pattern


def _before(verb: Token, lexicon: EventLexicon) -> frozenset[str] | None:
    """The words left of the verb for user patterns with pre-verb words ("WOULD NOT *"); built-in patterns have
    none, so the walk is skipped without user dictionaries."""
    return preverb_words(verb) if lexicon.user_dictionaries else None


def _without_places(verb: Token, bag: frozenset[str]) -> frozenset[str]:
    """The clause's words without those of "near the stadium"-like phrases (a place, not the topic)."""
    drop = {t.lower_ for c in verb.children if c.dep_ == "prep" and c.lower_ in NEAR for t in c.subtree}
    drop |= {t.lemma_.lower() for c in verb.children if c.dep_ == "prep" and c.lower_ in NEAR for t in c.subtree}
    return bag - drop


def _lexicon_lemma(verb: Token, lexicon: EventLexicon) -> str | None:
    """The verb's lemma as the lexicon knows it; rare verbs the lemmatizer gets wrong ("cordoned" ->
    "cordone") are tried by stripping their inflection."""
    lemma = verb.lemma_.lower()
    word = verb.lower_
    if word != lemma and lexicon.user_dictionaries and any(p.user for p in lexicon.verbs.get(word, ())):
        return word  # a user dictionary's own entry for this form ("LEFT [032]" apart from "LEAVE [012]")
    if lemma in lexicon.verbs:
        return lemma
    for suffix, repl in (("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            guess = word[: -len(suffix)] + repl
            if guess in lexicon.verbs:
                return guess
    return None


def _accusatory(code: str) -> bool:
    """Codes that, when a speaker says another actor did them, make the statement an accusation:
    disapproval and accusation (11x), and unspecified coercion ("manipulation to destabilize")."""
    return code.startswith("11") or code == "170"


def _clause_verbs(head: Token) -> list[Token]:
    """The head verb of a reported clause and the verbs coordinated with or controlled by it."""
    out, stack = [], [head]
    while stack:
        tok = stack.pop()
        out.append(tok)
        stack.extend(c for c in tok.children if c.dep_ in ("conj", "xcomp", "advcl") and c.pos_ in ("VERB", "AUX"))
    return out


def _reported_accusations(sent: Span, by_trigger: dict[int, list[Event]], entities: EntityIndex,
                          quotes: list[Quote], lexicon: EventLexicon, times_by_verb: dict,
                          doc_date: dt.date | None) -> Iterator[Event]:
    """"X said that Y is engaging in political manipulation": saying that another actor does something
    hostile is itself an accusation (112) by the speaker against that actor."""
    for verb in sent:
        if verb.lemma_ not in REPORTING or verb.pos_ != "VERB":
            continue
        subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subject is None:
            continue
        speaker = roles.participant(subject, entities, quotes)
        if speaker is None or not speaker.code:
            continue
        inner: list[Event] = []
        reported: set[str] = set()
        for clause in (c for c in verb.children if c.dep_ == "ccomp"):
            for tok in _clause_verbs(clause):
                reported.update((e.source.actor_code or "")[:3] for e in by_trigger.get(tok.i, []) if e.source)
                inner.extend(e for e in by_trigger.get(tok.i, []) if _accusatory(e.cameo) and not e.negated)
        if speaker.code[:3] in reported:
            continue  # "officials said Spain and Portugal opposed the scheme": a side reporting on itself
        modality, negated = ctx.modality(verb, sent, lexicon.modal_words)
        ref = ctx.time_for(verb, times_by_verb)
        speakers = [p for p in (roles.participant(t, entities, quotes) for t in roles.coordinated(subject))
                    if p is not None and p.code]
        for side in roles.unique(speakers):
            assert side.code is not None
            blamed = [p for c in verb.children if c.dep_ == "ccomp" for p in _culprits(c, entities, quotes)
                      if p.code and p.code[:3] != side.code[:3]]
            for target in roles.unique(blamed):
                yield _record("112", verb, 3, side, target, sent, lexicon, modality, negated, ref, None, doc_date,
                              compound=len(blamed) > 1 or len(speakers) > 1)
        accused: dict[str, Event] = {}
        for event in inner:
            code = event.source.actor_code if event.source else None
            if code and code != speaker.code and not speaker.code.startswith(code[:3]) and code not in accused:
                accused[code] = event
        if not accused:
            continue
        for event in accused.values():
            assert event.source is not None
            target = roles.Participant(subject, subject.doc[subject.i : subject.i + 1], event.source.entity,
                                 event.source.actor_code)
            target_span = sent.doc.char_span(event.source.start, event.source.end, alignment_mode="expand")
            if target_span is not None:
                target.span = target_span
            yield _record("112", verb, 2, speaker, target, sent, lexicon, modality, negated, ref, None, doc_date,
                          compound=len(accused) > 1)


CULPRIT = {"behind", "responsible", "guilty", "culpable", "blame"}


def _culprits(clause: Token, entities: EntityIndex, quotes: list[Quote]) -> list[roles.Participant]:
    """"(X said) Iran was behind the attack", "... was responsible for", "... was to blame": the subjects
    that a reported clause blames."""
    if clause.lemma_ != "be" or any(c.dep_ == "neg" for c in clause.children):
        return []
    if not any((c.dep_ in ("prep", "acomp", "xcomp") and c.lemma_.lower() in CULPRIT)
               or (c.dep_ == "xcomp" and any(g.lemma_ == "blame" for g in c.children)) for c in clause.children):
        return []
    subject = next((c for c in clause.children if c.dep_ == "nsubj"), None)
    if subject is None:
        return []
    found = (roles.participant(t, entities, quotes) for t in roles.coordinated(subject))
    return [p for p in found if p is not None and p.code]


def _embedded_verbs(verb: Token) -> set[int]:
    """Verbs inside the pattern's clause ("accused X of carrying out", "refused to allow"): coded with it."""
    out: set[int] = set()
    stack = [c for c in verb.children if c.dep_ in ("xcomp", "prep", "acomp", "dobj")]
    while stack:
        t = stack.pop()
        if t.pos_ in ("VERB", "AUX") and t.dep_ in ("xcomp", "pcomp"):
            out.add(t.i)
        stack.extend(c for c in t.children if c.dep_ in ("xcomp", "pcomp", "prep", "pobj"))
    return out


def _code_clause(verb: Token, pattern: Pattern, score: int, sent: Span, entities: EntityIndex,
                 quotes: list[Quote], lexicon: EventLexicon, times_by_verb: dict, places_by_verb: dict,
                 doc_date: dt.date | None, *, sport: bool = False) -> Iterator[Event]:
    if verb.tag_ == "VBN" and verb.dep_ == "advcl" and roles.agent(verb) is None and not any(
            c.dep_ in roles.SUBJECTS for c in verb.children):
        return  # "Asked whether X would ..., the minister said": the main clause's subject is asked, by nobody named
    subject, passive = roles.subject(verb)
    if passive and verb.lemma_ in roles.STATIVE_PASSIVES and roles.agent(verb) is None:
        passive = False
    if passive:
        source_heads = [a for a in [roles.agent(verb)] if a is not None]
        if not source_heads and pattern.user and pattern.received and subject is not None:
            # "+ * FROM $" read on "X was freed from Y": the subject is the pattern's "+", passive or not
            source_heads = roles.coordinated(subject)
    else:
        source_heads = ([t for s in roles.subjects(subject.head, subject) for t in roles.coordinated(s)]
                        if subject is not None else [])
    if verb.dep_ == "xcomp" and not source_heads:
        ctrl = roles.controller_object(verb)
        source_heads = roles.coordinated(ctrl) if ctrl is not None else []
    sources = [p for p in (roles.participant(t, entities, quotes) for t in source_heads) if p and p.code]
    sources.extend(p for t in source_heads for p in roles.of_coordination(t, entities))
    if subject is not None and not passive:
        partners = (roles.participant(t, entities, quotes) for t in roles.along_with(verb) + roles.along_with(subject))
        sources.extend(p for p in partners if p and p.code)
    groups: list[list[roles.Participant]] = []
    # a that-clause's subject is the target only when it is itself an actor ("believes Gondor can cope"), not
    # through an actor deep inside it ("plans ..., and trading in Saudi Arabia has picked up")
    clause_heads = set(roles.clause_subjects(verb))
    for head in roles.target_tokens(verb, pattern, passive and subject is not None, subject):
        group: list[roles.Participant] = []
        for tok in roles.coordinated(head):
            # "receive loans from Japan": with a direct-object slot, the object's origin is not the target
            avoid = frozenset({"from"}) if pattern.target_prep == frozenset() else frozenset()
            avoid |= pattern.skip_preps
            direct = [p for p in [roles.resolve_head(tok, entities)] if p] if head in clause_heads else None
            for found in (roles.resolve_deep(tok, entities, avoid) if direct is None else direct) \
                    + roles.of_coordination(tok, entities):
                if found.code and all(found.code != t.code for t in group):
                    group.append(found)
        if group:
            groups.append(group)
    # "refused to withdraw its troops from Ukraine": prefer a target outside the source's own country
    own = {p.code[:3] for p in sources if p.code}
    targets = next((g for g in groups if any(t.code[:3] not in own for t in g)), groups[0] if groups else [])
    place_slot = bool(pattern.target_prep) and pattern.target_prep <= roles.PLACE_PREPS  # "... in|near +T"
    if (targets and roles.in_place_phrase(targets[0].token)) or (not targets and place_slot):
        # "struck Iranian targets in Syria": an object that names an actor is the target, and the place is
        # where it happened; "struck targets in Lebanon" (an object without an actor) still hits Lebanon
        named = [p for p in roles.object_actors(verb, entities) if p.code and p.code[:3] not in own]
        if named:
            targets = named
    if pattern.code.startswith("04") and pattern.target_prep == frozenset():
        # "meet U.S. complaints", "visit the Chinese market", "received a patent from the U.S. Patent
        # Office": one meets, visits or hosts actors, not their things
        targets = [t for t in targets if not t.deep
                   and (pattern.code not in ("042", "043") or roles.actor_head(t.token, entities))]
    # "agreed to join forces to win contracts": the idiom's "forces" are nobody's troops
    targets = [t for t in targets if not (t.token.lemma_ == "force" and t.token.dep_ in ("dobj", "obj")
                                          and t.token.head.lemma_ == "join" and not t.deep)]
    if pattern.code.startswith("14") and verb.lemma_ == "join":
        # "dockers joined nurses in strikes against the government": one joins fellow protesters, not a target
        targets = [t for t in targets if t.token.dep_ not in ("dobj", "obj") or t.token.head != verb]
    # "retaliated ... at a White House luncheon": a gathering one acts at is the setting, not the target
    settings = lexicon.synsets.get("SETTING", ())
    targets = [t for t in targets if not (t.token.dep_ == "pobj" and t.token.head.lower_ == "at"
                                          and t.token.lemma_.lower() in settings)]
    if not targets:
        targets = roles.inherited_targets(verb, entities)
    sources = _without_apposed_parents(roles.unique(sources))
    if not sources:
        return
    place_list = clause_places(next((places_by_verb[t.i] for t in ctx.clause_chain(verb) if t.i in places_by_verb),
                                     []), sources)
    if not targets and pattern.code == "042":
        targets = visited_countries(sent.doc, place_list, sources, entities)
    # "France and Germany condemned their attack": a possessive pronoun that points back at one of the
    # sources does not make that source the target
    own_codes = {p.code for p in sources}
    targets = [t for t in targets if not (t.code in own_codes and any(c.tag_ == "PRP$" for c in t.token.children))]
    if sport and not any(f in (p.code or "")[3:] for p in sources for f in STATE_FORCES):
        return  # sports pages: "crushed Argentina in the World Cup final" is no attack
    mutual = len(sources) > 1 and _mutual(verb, lexicon.mutual_nouns) and {t.code for t in targets} <= {s.code for s in sources}
    if mutual or (not targets and len(sources) > 1 and pattern.code.startswith(RECIPROCAL)
                  and not _other_object(verb, lexicon.mutual_nouns)):
        pairs = [(a, b) for a in sources for b in sources if a.code != b.code]
    elif targets:
        # "we oppose the use of this matter to exert pressure on China" (said by China): an actor of the
        # source's own country found deep inside the object is not the target
        pairs = [(a, b) for a in sources for b in targets
                 if a.code != b.code and not (b.deep and a.code and b.code and a.code[:3] == b.code[:3])]
        if not pairs:
            return
    elif score >= 3 or pattern.code.startswith("01") or not lexicon.require_dyad:
        # specific clauses and statements stand on their source (any clause, when dyads are not required)
        pairs = [(a, None) for a in sources]
    else:
        return
    modality, negated = ctx.modality(verb, sent, lexicon.modal_words)
    if negated and pattern.user and pattern.negative:
        modality, negated = "asserted", False  # "NOT * AGREE [-036]": the user's code already says "not"
    ref = ctx.time_for(verb, times_by_verb)
    source_group = [p.code for p in sources if p.code] if len(sources) > 1 else []
    target_group = [p.code for p in targets if p.code] if len(targets) > 1 else []
    if pattern.received:
        pairs = [(b, a) for a, b in pairs if b is not None]
    coded = [(a, b, pattern.code) for a, b in pairs]
    # a meeting involves both sides; a visit is hosted by the visited (CAMEO 042 <-> 043); a user pattern says
    # itself what its target does ("[032:033]"), and CAMEO's pairs do not apply to the user's codes
    mirror = pattern.mirror if pattern.user else MIRRORED.get(pattern.code)
    if targets and mirror:
        coded += [(b, a, mirror) for a, b in pairs if b is not None and not b.deep]
    _, business, private, press = lexicon.sectors
    coded = [(a, b, c) for a, b, c in coded if not _business_only(a, b, c, business, private, press)]
    for source, target, code in coded:
        if code in ("143", "145", "180", "182") and source is not None and "MIL" in (source.code or "")[3:]:
            # an attack by armed forces is conventional military force in CAMEO; "warplanes struck the
            # oilfields" is an air strike, not a labour strike (143)
            code = "190"
        elif code == "144" and source is not None and any(r in (source.code or "")[3:] for r in STATE_FORCES):
            code = "191"  # roads blocked by soldiers or police: a blockade, not a protest
        event = _record(code, verb, score, source, target, sent, lexicon, modality, negated, ref,
                        place_list[0] if place_list else None, doc_date, compound=len(sources) > 1)
        event.source_group, event.target_group = source_group, target_group
        yield event


def _bare(pattern: Pattern) -> bool:
    """The pattern asks for no word besides prepositions ("link +T to", not "link +T to &CRIME")."""
    return all(w in PREPOSITIONS for g in pattern.groups for alt in g.alternatives for w in alt)


def _linked_to_armed(verb: Token, entities: EntityIndex) -> bool:
    """"A woman believed linked to Al-Qaeda": the thing linked to is an armed or criminal group."""
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ == "to":
            for pobj in prep.children:
                p = roles.resolve(pobj, entities) if pobj.dep_ == "pobj" else None
                if p is not None and p.code and any(r in p.code[3:6] or p.code.startswith(r) for r in ARMED_ROLES):
                    return True
    return False


def _measures_object(verb: Token, measures: frozenset[str]) -> bool:
    """The verb's direct object is a market measure ("cut its rate", "a wage and price freeze")."""
    for obj in (c for c in verb.children if c.dep_ in ("dobj", "obj")):
        words = [obj] + [c for c in obj.children if c.dep_ in ("compound", "amod", "nmod", "conj")]
        words += [g for c in obj.children if c.dep_ in ("compound", "amod", "nmod") for g in c.children
                  if g.dep_ == "conj"]
        if any(w.lemma_.lower() in measures or w.lower_ in measures for w in words):
            return True
    return False


def _has_role(p: roles.Participant | None, kinds: Roles) -> bool:
    """Whether an actor code carries one of the roles ("USABUS" has BUS; "MNCUSA" starts with MNC)."""
    code = (p.code or "") if p is not None else ""
    return bool(code) and any(r in code[3:] or code.startswith(r) for r in kinds)


def _business_only(source: roles.Participant | None, target: roles.Participant | None, code: str,
                   business: Roles, private: Roles, press: Roles) -> bool:
    """Company news, not politics: a business acting alone, on its own country's place ("Texaco halted
    shipments to its refinery in Canada"), or two private actors ("economists contacted by Reuters")."""
    if _has_role(source, private) and _has_role(target, private):
        return True
    if _has_role(target, press) and not _has_role(source, press) and code[:2] in ("04", "10"):
        return True  # "talking to Reuters", "a spokesman told The Toronto Star": an interview
    if code[:2] == "07" and (_has_role(source, business) or _has_role(source, press)):
        return True  # "Citicorp agreed a loan to Mexico", "Reuters will provide software": a sale, not aid
    if not _has_role(source, business):
        return False
    assert source is not None and source.code is not None
    if target is not None and any(c.lower_ in ("its", "their") and c.dep_ == "poss" for c in target.token.children):
        return True  # "halted shipments to its refinery in Canada": the company's own plant, wherever it is
    return target is None or target.code == source.code[:3]


def _other_object(verb: Token, shared: frozenset[str]) -> bool:
    """"Spain and Portugal joined the bloc": an object that is not something the two sides share (talks,
    ties, an agreement) means they did not act on each other."""
    return any(c.dep_ in ("dobj", "obj") and c.lemma_.lower() not in shared and c.lower_ not in ("other", "another")
               for c in verb.children)


def _mutual(verb: Token, shared: frozenset[str]) -> bool:
    """"Sudan and Chad postponed their talks", "... met each other": coordinated subjects act on one
    another (not in "condemned their attack", where "their" may be a third party)."""
    for child in verb.children:
        if child.dep_ in ("dobj", "obj") and child.lemma_.lower() in shared and any(
                g.lower_ == "their" and g.dep_ == "poss" for g in child.children):
            return True
        if child.dep_ in ("dobj", "obj", "pobj", "npadvmod") and child.lower_ in ("other", "another"):
            return True
    return False


def _without_apposed_parents(sources: list[roles.Participant]) -> list[roles.Participant]:
    """"Dagolath's Deputy Prime Minister Telemar": the apposed name codes as DAG, the title as DAGGOV;
    keep the more specific code of one person (also when the name's code is another country's: "Ithilen's
    minister Calimehtar" is ITHGOV, whatever the dictionary says of the bare name)."""
    def covered(p: roles.Participant) -> bool:
        return any(q is not p and q.code and p.code and q.code != p.code
                   and (q.code.startswith(p.code) or (len(q.code) > 3 and q.token.pos_ == "NOUN"
                                                      and p.token.pos_ == "PROPN"))
                   and (p.token.head == q.token or q.token.head == p.token)
                   and "appos" in (p.token.dep_, q.token.dep_) for q in sources)
    return [p for p in sources if not covered(p)]


def _nominal_events(sent: Span, entities: EntityIndex, quotes: list[Quote], lexicon: EventLexicon,
                    times_by_verb: dict, places_by_verb: dict, doc_date: dt.date | None) -> Iterator[Event]:
    """Event nouns with their own source: "China's retaliation", "sanctions on X by Y"."""
    for noun in sent:
        if noun.pos_ != "NOUN" or noun.lemma_.lower() not in lexicon.nouns:
            continue
        if noun.dep_ in ("dobj", "nsubjpass", "attr") or (noun.dep_ == "pobj" and noun.head.head.pos_ == "VERB"
                                                           and noun.head.head.lemma_ in lexicon.verbs):
            continue  # part of a verb clause, coded there
        bag = frozenset({t.lemma_.lower() for t in noun.subtree} | {t.lower_ for t in noun.subtree})
        pattern, score = lexicon.best(lexicon.nouns, noun.lemma_.lower(), bag)
        if pattern is None:
            continue
        source: roles.Participant | None = None
        for child in noun.children:
            if child.dep_ == "poss" or (child.dep_ == "prep" and child.lower_ == "by"):
                head = child if child.dep_ == "poss" else next((c for c in child.children if c.dep_ == "pobj"), None)
                if head is not None:
                    source = roles.resolve(head, entities)
            elif child.dep_ in ("amod", "compound") and child.ent_type_ in ("NORP", "GPE", "ORG"):
                source = roles.resolve(child, entities)
            if source and source.code:
                break
        if not source or not source.code:
            # "Egypt announced plans for a summit with Sudan", "Britain renewed calls for an inquiry into X": a
            # noun governed by a plan or a call belongs to the subject of the verb that has the plan or the call
            source = _governing_subject(noun, entities, quotes, lexicon)
        if not source or not source.code:
            continue
        target = None
        for child in noun.children:
            if child.dep_ == "prep" and (not pattern.target_prep or child.lower_ in pattern.target_prep
                                         or child.lower_ in ("on", "against", "with", "to")):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        found = roles.resolve(pobj, entities)
                        if found and found.code and found.code != source.code:
                            target = found
        if target is None:
            continue  # a nominal event names both sides ("sanctions on X by Y", "China's retaliation against Y")
        verb = ctx.attached_verb(noun) or noun
        modality, negated = ctx.modality(verb, sent, lexicon.modal_words) if verb is not noun else ("asserted", False)
        # "the possibility of a UN visit", "plans for a summit": the noun's act is possible or planned, whatever
        # the verb that mentions it asserts
        modality, negated = ctx.nominal_modality(noun, lexicon.modal_words) or (modality, negated)
        ref = ctx.time_for(verb, times_by_verb) if verb is not noun else None
        place_list = clause_places(places_by_verb.get(verb.i, []), [source])
        yield _record(pattern.code, noun, score, source, target, sent, lexicon, modality, negated, ref,
                      place_list[0] if place_list else None, doc_date, compound=False, nominal=True)


# verbs whose subject owns the plan or call it has, makes or repeats ("renewed calls for", not "rejected calls for")
OWNING_VERBS = roles.LIGHT_VERBS | {"renew", "repeat", "reiterate", "issue", "put", "submit", "present", "table",
                                    "lodge", "launch", "step", "draw", "announce", "disclose", "reveal", "float"}


def _governing_subject(noun: Token, entities: EntityIndex, quotes: list[Quote],
                       lexicon: EventLexicon) -> roles.Participant | None:
    """The subject of the verb whose object plans, calls or proposes the event noun ("announced plans for a
    summit"), when a modal noun governs it and the verb makes it the subject's own; None otherwise ("announced
    the results of a summit", "rejected calls for sanctions")."""
    if ctx.nominal_modality(noun, lexicon.modal_words) is None:
        return None
    tok = noun
    for _ in range(3):
        if not (tok.dep_ == "pobj" and tok.head.lower_ in ctx.GOVERNING_PREPS and tok.head.head.pos_ == "NOUN"):
            return None
        tok = tok.head.head
        if tok.dep_ in ("dobj", "obj") and tok.head.pos_ == "VERB" and tok.head.lemma_.lower() in OWNING_VERBS:
            subject, passive = roles.subject(tok.head)
            if subject is None or passive:
                return None
            return roles.participant(subject, entities, quotes)
    return None


def _record(code: str, trigger: Token, score: int, source: roles.Participant | None,
            target: roles.Participant | None,
            sent: Span, lexicon: EventLexicon, modality: str, negated: bool, ref: TimeRef | None,
            place: Place | None, doc_date: dt.date | None, *, compound: bool, nominal: bool = False) -> Event:
    entry = lexicon.code(code)
    plover = lexicon.plover_for(code)
    date, precision, date_text = doc_date, "day" if doc_date else None, None
    if ref is not None:
        parsed = ctx.date_of(ref)
        if parsed:
            date, precision = parsed
            date_text = ref.text
    confidence = 0.35 + 0.07 * min(score, 5) + (0.15 if source and target else 0.0)
    confidence += 0.05 if len(code) >= 3 and not code.endswith("0") else 0.0
    confidence -= 0.1 if nominal else 0.0
    confidence -= 0.05 if compound else 0.0
    key = f"{trigger.idx}:{code}:{source and source.code}:{target and target.code}"
    return Event(
        id="ev-" + hashlib.sha1(key.encode()).hexdigest()[:10],
        cameo=code, cameo_name=entry.name if entry else None, base_code=code[:3], root_code=code[:2],
        quad_class=entry.quad_class if entry else None, goldstein=lexicon.goldstein(code),
        plover=Plover(type=plover.type, mode=plover.mode, contexts=list(plover.contexts)),
        source=_event_actor(source), target=_event_actor(target),
        date=date, date_precision=precision, date_text=date_text, location=place,
        location_basis="clause" if place is not None else None,
        modality=modality, negated=negated, confidence=round(max(0.05, min(confidence, 0.95)), 2),  # type: ignore[arg-type]
        trigger=TextSpan(text=trigger.text, start=trigger.idx, end=trigger.idx + len(trigger.text)),
        sentence=SentenceSpan(start=sent.start_char, end=sent.end_char),
    )


def _event_actor(p: roles.Participant | None) -> EventActor | None:
    if p is None:
        return None
    return EventActor(text=p.span.text, start=p.span.start_char, end=p.span.end_char, entity=p.entity,
                      actor_code=p.code)
