"""Who did it to whom: sources and targets of an event clause from the dependency parse.

Subjects (active, passive, relative clauses, infinitives), coordinated actors ("Canada, the U.K., the EU
and the US"), prepositional and nested targets ("the resumption of ties with X"), "X along with Y",
first-person speakers inside quotations and pronouns that the actor coder left unresolved.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from tacitus.extract.entities import EntityIndex
from tacitus.extract.event_patterns import Pattern
from tacitus.schema import Quote

SUBJECTS = {"nsubj", "nsubjpass", "csubj", "csubjpass", "expl"}
OBJECTS = {"dobj", "obj", "dative", "attr", "oprd"}


FIRST_PERSON = {"we", "us", "i", "me", "our"}
RELATIVE = {"which", "who", "that", "whom", "whose"}


# "the country is opposed to", "are engaged in talks": passive form, active meaning (the subject acts)
STATIVE_PASSIVES = {"oppose", "engage", "commit", "determine", "prepare", "involve", "dedicate", "devote", "resolve",
                    "poise", "set", "interest", "concern", "bind", "compel", "force", "obligate", "oblige"}
LOCATIVE = {"in", "at", "near", "inside", "outside", "across", "throughout", "within", "around"}
PLACE_PREPS = frozenset(LOCATIVE | {"along"})  # where an act happened ("struck positions along the border")
PARTICLES = {"off", "out", "up", "down", "away", "back"}
NAMES = {"PERSON", "ORG", "GPE", "NORP"}  # not "late Sunday" or "40 kms east"
# "has plans to", "made an offer to", "announced plans to": the subject owns the intended act
LIGHT_VERBS = {"have", "make", "take", "reach", "announce", "unveil", "outline", "adopt", "express", "voice"}
DEFAULT_TARGET_PREPS = {"with", "against", "on", "upon", "to", "toward", "towards", "at", "into", "from"}
# PETRARCH's default: a user pattern without a target slot also takes the object of these ("* FOR AID")
NEARNESS = {"close", "closer", "near", "nearer", "next"}  # adverbs that take a place phrase ("close to X")
USER_TARGET_PREPS = frozenset(DEFAULT_TARGET_PREPS | {"for", "in", "of", "about", "over"})


# event nouns that are never actors ("a military cooperation agreement"), set from the lexicon
_NON_ACTOR_HEADS: frozenset[str] = frozenset()
_FOR_DEEDS: frozenset[str] = frozenset()  # synset FORDEED: "praised|blamed X for V-ing"


@dataclass
class Participant:
    token: Token
    span: Span
    entity: str | None
    code: str | None
    deep: bool = False  # found inside the object phrase rather than as its head


def phrase(tok: Token) -> Span:
    """The noun phrase headed by `tok`, without relative clauses, appositions or coordinated phrases."""
    start, end = tok.i, tok.i + 1
    for child in tok.lefts:
        if child.dep_ not in ("punct", "cc", "conj", "appos", "relcl", "acl", "advcl") and not _misparsed_conjunct(child):
            start = min(start, child.left_edge.i)
    for child in tok.rights:
        if child.dep_ in ("punct", "cc", "conj", "appos", "relcl", "acl", "advcl"):
            break
        if child.dep_ == "prep" and child.lower_ not in ("of", "from", "in", "for"):
            break
        end = max(end, child.right_edge.i + 1)
    if end - start > 15:
        start, end = max(start, tok.i - 6), min(end, tok.i + 6)
    for i in range(tok.i - 1, start - 1, -1):
        if "\n" in tok.doc[i].text or "\n" in tok.doc[i].whitespace_:
            start = i + 1
            break
    return tok.doc[start:end]


def coordinated(tok: Token) -> list[Token]:
    """`tok` and the phrases coordinated with it ("Canada, the U.K., the EU and the US")."""
    out, stack = [], [tok]
    while stack:
        t = stack.pop(0)
        if t in out:
            continue
        out.append(t)
        late = late_conjuncts(t)
        stack.extend(c for c in t.children if (c.dep_ == "conj" and c not in late)
                     or (c.dep_ == "appos" and is_list_appos(c)) or _misparsed_conjunct(c))
    return out


def _named(tok: Token) -> bool:
    return tok.pos_ == "PROPN" or (tok.pos_ == "NOUN" and tok.is_title and tok.i > tok.sent.start)


def late_conjuncts(tok: Token) -> list[Token]:
    """"Lawmakers in Fornost and Gondor": the parser may coordinate Gondor with "Lawmakers" instead of with
    Fornost; names after the noun's of/in/from phrase belong to that phrase."""
    if tok.pos_ != "NOUN":
        return []
    pobj = next((o for p in tok.children if p.dep_ == "prep" and p.lower_ in ("of", "in", "from")
                 for o in p.children if o.dep_ == "pobj" and _named(o)), None)
    if pobj is None:
        return []
    return [c for c in tok.children if c.dep_ == "conj" and c.i > pobj.i and _named(c)]


def _misparsed_conjunct(tok: Token) -> bool:
    """"Fornost and the evil awful Gondor": the parser may hang the first item on the last as a modifier
    that still carries the "and"."""
    return (tok.dep_ in ("nmod", "compound") and tok.pos_ in ("PROPN", "NOUN") and tok.is_title
            and tok.head.pos_ == "PROPN" and tok.i < tok.head.i and any(c.dep_ == "cc" for c in tok.subtree))


def subjects(verb: Token, first: Token) -> list[Token]:
    """The subject and any further subject the parser attached to the verb ("Old foes Gondor and Osgiliath")."""
    return [first] + [c for c in verb.children if c.dep_ == first.dep_ and c != first and c.pos_ == "PROPN"]


def is_list_appos(tok: Token) -> bool:
    """An apposition that is really the next item of a list (it has its own conjuncts or is a proper name)."""
    named = tok.pos_ == "PROPN" or (tok.pos_ == "NOUN" and tok.is_title)  # the tagger calls rare names nouns
    return named and tok.ent_type_ in ("GPE", "ORG", "NORP", "PERSON", "")


def resolve(tok: Token, entities: EntityIndex) -> Participant | None:
    """The coded actor a noun token refers to, looking inside "soldiers from Gondor" / "Gondor's government"."""
    span = phrase(tok)
    entity, actor = entities.actor_for_span(span)
    if entity is None and actor is not None and tok.lemma_.lower() in _NON_ACTOR_HEADS:
        return None  # "a military cooperation agreement" is an event noun, not a military actor
    if entity is not None and entities.entity_for_token(tok) is None and entities.nominal_actor is not None:
        # "Canadian lawmakers": the modifier is an entity (CAN) but the phrase is more specific (CANLEG)
        nominal = entities.nominal_actor(span)
        if nominal is not None and actor is not None and nominal.code.startswith(actor.code):
            actor = nominal
    if entity is None and actor is not None and entities.nominal_actor is not None and _place_after(tok):
        # "protesters in Minsk": the place gives the country, the noun its role (not the capital's GOV)
        own = entities.nominal_actor(_head_words(tok))
        if own is not None and own.code[3:].isalpha() and len(actor.code) > 3 and own.code[3:] != actor.code[3:]:
            return Participant(tok, span, None, actor.code[:3] + own.code[3:])
    shared = _shared_phrase_actor(tok, entities) if entity is None else None
    if shared is not None:
        # "Diplomats and envoys of the EU": a bare role noun takes the phrase its conjunct shares with it,
        # not a country guessed from the rest of the sentence
        role = actor.code[3:] if actor is not None and len(actor.code) > 3 and len(shared.code) == 3 else ""
        return Participant(tok, span, shared.entity, shared.code + role)  # "Ministers ... from Chile": CHLGOV
    if actor is None:
        # "sheep and goats of Gondor", "envoys and ministers from the EU": the parser hangs the phrase after
        # the last conjunct on the first one; it belongs to the last one (and may be shared)
        trailing = [c for c in tok.head.children if c.i > tok.i] if tok.dep_ == "conj" else []
        for child in [*tok.children, *trailing]:
            if child.dep_ == "prep" and child.lower_ in ("of", "from", "in"):
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        inner = resolve(pobj, entities)
                        if inner and inner.code:
                            return Participant(tok, span, inner.entity, inner.code)
    if entity is None and actor is None:
        return None
    return Participant(tok, span, entity.id if entity else None, actor.code if actor else None)


def _place_after(tok: Token) -> bool:
    """A role noun with a locative phrase of its own ("protesters in Minsk", "troops near Kabul")."""
    return tok.pos_ == "NOUN" and any(c.dep_ == "prep" and c.lower_ in LOCATIVE for c in tok.rights)


def _head_words(tok: Token) -> Span:
    """The noun and the words before it ("Belarusian protesters"), without the phrases after it."""
    start = min([tok.i] + [c.left_edge.i for c in tok.lefts if c.dep_ not in ("punct", "cc", "conj", "appos")])
    return tok.doc[start : tok.i + 1]


def subject(verb: Token) -> tuple[Token | None, bool]:
    """The subject token of a verb and whether the clause is passive; inherited through xcomp/conj/relcl."""
    current = verb
    raised = False  # "X is said to be about to restore ties": X restores; the voice is the infinitive's own
    for _ in range(6):
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in current.children)
        if raised:
            passive = any(c.dep_ == "auxpass" for c in verb.children)
        for child in current.children:
            if child.dep_ in ("nsubj", "csubj", "nsubjpass", "csubjpass"):
                if child.lower_ in RELATIVE and current.dep_ == "relcl":
                    return current.head, passive
                return child, passive
        if current.dep_ == "agent":
            break
        for child in current.children:
            if child.dep_ == "agent":
                return None, True
        if current.dep_ == "relcl":
            return current.head, passive
        if current.dep_ == "pcomp" and current.head.lower_ == "for" and current.head.head.lemma_.lower() in _FOR_DEEDS:
            # "praised Reagan for retaliating", "thanked Saudi Arabia for sending aid": the object did it
            doer = next((c for c in current.head.head.children if c.dep_ in ("dobj", "obj")), None)
            if doer is not None:
                return doer, passive
        if current.dep_ in ("xcomp", "conj", "advcl", "acomp", "pcomp", "prep", "advmod") and current.head != current:
            raised = raised or current.dep_ == "xcomp"
            current = current.head
            continue
        if current.dep_ == "acl" and _infinitive(current):
            owner = next((c for c in current.head.children if c.dep_ == "poss"), None)
            if owner is not None:  # "Eriador's refusal to talk to X": the possessor acts
                return owner, any(c.dep_ == "auxpass" for c in current.children)
            if current.head.dep_ in ("dobj", "obj") and current.head.head.lemma_ in LIGHT_VERBS:
                # "Turkey has no plans to impose sanctions": the owner of the plan is the subject
                raised = True
                current = current.head.head
                continue
        if current.dep_ in ("amod", "acl"):
            return None, True
        break
    return None, False


def _name(tok: Token) -> bool:
    """A named actor ("Ukraine", "Palestinians"), not a common noun with an actor-like modifier."""
    return tok.pos_ == "PROPN" or tok.ent_type_ in NAMES


def _infinitive(verb: Token) -> bool:
    """A "to" infinitive ("plans to impose")."""
    return verb.tag_ == "VB" and any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children)


def agent(verb: Token) -> Token | None:
    """The object of the "by" phrase of a passive verb."""
    for child in verb.children:
        if child.dep_ == "agent":
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def controller_object(verb: Token) -> Token | None:
    """"called on Beijing to respect": the object of the controlling verb is the subject of the infinitive."""
    head = verb.head
    if verb.dep_ != "xcomp" or head == verb:
        return None
    for child in head.children:
        if child.dep_ in ("dobj", "obj"):
            return child
        if child.dep_ == "prep" and child.lower_ in ("on", "upon"):
            for pobj in child.children:
                if pobj.dep_ == "pobj":
                    return pobj
    return None


def target_tokens(verb: Token, pattern: Pattern, passive: bool, subject: Token | None) -> list[Token]:
    """Candidate target heads: the pattern's slot, else the usual object positions."""
    objects = [c for c in verb.children if c.dep_ in ("dobj", "obj", "dative")]
    if not objects:  # "cordoned off the roads", "called in the ambassador": a particle parsed as a preposition
        particles = PARTICLES | {w for form in pattern.particles.get(verb.lemma_, ()) for w in form}
        objects = [o for c in verb.children if c.dep_ == "prep" and c.lower_ in particles and c.i == verb.i + 1
                   for o in c.children if o.dep_ == "pobj"]
    if not objects:  # "hosted Ethiopian Prime Minister Abiy Ahmed": a name the parser took for an adverb
        objects = [c for c in verb.children if c.dep_ == "npadvmod" and c.pos_ == "PROPN" and c.i > verb.i
                   and c.ent_type_ in NAMES]
    if passive and subject is not None and (subject.dep_ == "nsubjpass"
                                            or (verb.dep_ == "relcl" and subject == verb.head and _name(subject))):
        objects.insert(0, subject)  # "Ukraine, which was invaded by Russia": the antecedent undergoes it
    elif verb.dep_ == "acl" and verb.tag_ == "VBN" and _name(verb.head) and any(c.dep_ == "agent"
                                                                              for c in verb.children):
        objects.insert(0, verb.head)  # "Ukraine, invaded by Russia in 2022, ..." (not "figures released by")
    objects = [_that_clause_subject(o) or o for o in objects]
    preps = [c for c in verb.children if c.dep_ in ("prep", "dative") and c.pos_ == "ADP"]
    preps.extend(p for c in verb.children if c.dep_ == "acomp" for p in c.children if p.dep_ == "prep")
    # "marched close to the border with X", "deployed near to X": the adverb holds the phrase
    preps.extend(p for c in verb.children if c.dep_ == "advmod" and c.lemma_.lower() in NEARNESS
                 for p in c.children if p.dep_ == "prep")
    for obj in objects:
        preps.extend(c for c in obj.children if c.dep_ == "prep")
    for prep in list(preps):  # nested: "be in talks with X"
        for pobj in prep.children:
            if pobj.dep_ == "pobj":
                preps.extend(c for c in pobj.children if c.dep_ == "prep")
    inner = [c for c in verb.children if c.dep_ in ("xcomp", "pcomp")
             or (c.dep_ == "advcl" and any(a.lower_ == "to" and a.dep_ == "aux" for a in c.children))]
    inner += [g for c in inner for g in c.children if g.dep_ == "pcomp"]
    for c in verb.children:
        if c.dep_ == "prep":
            inner.extend(g for g in c.children if g.dep_ == "pcomp")

    def pobjs(words: set[str], among: list[Token]) -> list[Token]:
        """Objects of the listed prepositions."""
        return [p for prep in among if prep.lower_ in words for p in prep.children if p.dep_ in ("pobj", "pcomp")]

    if pattern.target_prep is not None and not pattern.target_prep:
        candidates = objects or pobjs({"on", "upon", "to"}, preps)
    elif pattern.target_prep:
        inner_preps = [p for c in inner for p in c.children if p.dep_ == "prep"]
        candidates = pobjs(set(pattern.target_prep), preps + inner_preps)
    else:
        default = (USER_TARGET_PREPS if pattern.user else DEFAULT_TARGET_PREPS) - pattern.skip_preps
        candidates = objects + pobjs(default, preps)
        candidates += [o for c in inner for o in c.children if o.dep_ in ("dobj", "obj")]
        candidates += pobjs(default, [p for c in inner for p in c.children if p.dep_ == "prep"])
        if not passive and objects:
            # "rejected the proposal by Kyiv": the parser hangs the object's "by" phrase on the verb
            candidates += pobjs({"by"}, [c for c in verb.children if c.dep_ == "prep"])
    if pattern.target_prep is None:
        candidates += clause_subjects(verb)  # the last resort: the first group with an actor is the target
    out: list[Token] = []
    for tok in candidates:
        if tok not in out and (passive or tok != subject):
            out.append(tok)
    return out


def _that_clause_subject(obj: Token) -> Token | None:
    """"expressed hopes that X could be drawn into talks", "rejected claims that X ...": a common-noun object
    with a that-clause is about the clause's subject, not about the first actor deep inside it."""
    if obj.pos_ != "NOUN":
        return None
    for clause in obj.children:
        if clause.dep_ in ("acl", "ccomp") and any(c.dep_ == "mark" and c.lower_ == "that" for c in clause.children):
            return next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")
                         and c.pos_ in ("NOUN", "PROPN")), None)
    return None


def resolve_head(tok: Token, entities: EntityIndex) -> Participant | None:
    """The actor a noun names with its own words and those before it ("Gondor", "Canadian MPs"), not through
    a phrase after it ("trading in Saudi Arabia" is no Saudi actor)."""
    start = min([tok.i] + [c.left_edge.i for c in tok.lefts if c.dep_ not in ("punct", "cc", "conj", "appos")])
    span = tok.doc[start : tok.i + 1]
    entity, actor = entities.actor_for_span(span)
    if actor is None or (tok.pos_ == "NOUN" and tok.lemma_.lower() in _NON_ACTOR_HEADS and entity is None):
        return None
    return Participant(tok, span, entity.id if entity else None, actor.code)


def in_place_phrase(tok: Token) -> bool:
    """The object of a locative preposition ("in Syria", "near Kabul", "at the border"): where, not whom."""
    return tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.lower_ in PLACE_PREPS


def object_actors(verb: Token, entities: EntityIndex) -> list[Participant]:
    """The actors that the verb's direct objects name with their own words ("struck Iranian targets",
    "shelled Taliban positions"), not through a phrase after them ("targets in Syria")."""
    out: list[Participant] = []
    for obj in (c for c in verb.children if c.dep_ in ("dobj", "obj")):
        for tok in coordinated(obj):
            found = resolve_head(tok, entities)
            if found is not None and found.code and all(found.code != p.code for p in out):
                out.append(found)
    return out


def clause_subjects(verb: Token) -> list[Token]:
    """"Arnor believes that Gondor can cope", "warned that a blockade of X would ...": with no object, the
    subject of the verb's that-clause is what the verb is about (as PETRARCH reads it)."""
    return [c for clause in verb.children if clause.dep_ == "ccomp" and clause.i > verb.i
            for c in clause.children if c.dep_ in ("nsubj", "nsubjpass") and c.pos_ in ("NOUN", "PROPN")]


def resolve_deep(tok: Token, entities: EntityIndex, avoid: frozenset[str] = frozenset()) -> list[Participant]:
    """A target phrase, or the first actor inside it ("the roads leading into Mordor", "an attack by X",
    "the resumption of ties between X and Y"), with the actors coordinated with it."""
    by_agent = nominal_agent(tok, entities)
    if by_agent is not None:
        return by_agent  # "condemned an attack by X in Y": the attacker, not the place
    found = resolve(tok, entities)
    if found and found.code and not any(t.dep_ == "conj" for t in found.span):
        return [found]
    inner = first_actor_inside(tok, entities, avoid)
    if found and found.code:
        if inner is None or inner.code != found.code or len(coordinated(inner.token)) < 2:
            return [found]
        # "the resumption of ties with Mordor, Rohan and Bree": the phrase codes as its first actor only
        return [found] + [p for p in _coordinated_actors(inner, entities)[1:] if p.code != found.code]
    if inner is None:
        return []
    inner.deep = True
    return _coordinated_actors(inner, entities, deep=True)


def _coordinated_actors(first: Participant, entities: EntityIndex, deep: bool = False) -> list[Participant]:
    """`first` and the coded actors coordinated with its token, without repeated codes."""
    out: list[Participant] = []
    for t in coordinated(first.token):
        p = first if t == first.token else resolve(t, entities)
        if p is not None and deep:
            p.deep = True
        if p and p.code and all(p.code != q.code for q in out):
            out.append(p)
    return out


def nominal_agent(tok: Token, entities: EntityIndex) -> list[Participant] | None:
    """"an attack by Osgiliath soldiers": the "by" phrase of an event noun names who did it."""
    if tok.pos_ != "NOUN":
        return None
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ == "by":
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    found = resolve(pobj, entities)
                    if found and found.code:
                        found.deep = True
                        return _coordinated_actors(found, entities, deep=True)
    return None


def first_actor_inside(tok: Token, entities: EntityIndex, avoid: frozenset[str] = frozenset()) -> Participant | None:
    """The nearest coded actor inside a phrase, breadth first through its modifiers."""
    queue = [(c, 1) for c in tok.children if c.dep_ in ("prep", "acl", "poss", "compound", "amod")]
    while queue:
        t, depth = queue.pop(0)
        if t.dep_ == "prep" and (t.lower_ in avoid or t.lower_ in LOCATIVE):
            continue  # "provides mortgages in Alaska": a place inside the object is not the target
        if t.tag_ == "PRP$":
            continue  # "limit their exports": the possessive is usually the subject itself
        if t.dep_ in ("pobj", "poss", "dobj", "compound", "amod") and t.pos_ in ("PROPN", "NOUN", "ADJ", "PRON"):
            found = resolve(t, entities)
            if found and found.code:
                return found
        if depth < 5:
            queue.extend((c, depth + 1) for c in t.children if c.dep_ in ("prep", "pobj", "dobj", "acl", "poss", "agent"))
    return None


def unique(found: list[Participant]) -> list[Participant]:
    """Participants without repeats of the same code and entity."""
    out: list[Participant] = []
    for p in found:
        if all(p.code != q.code or p.entity != q.entity for q in out):
            out.append(p)
    return out


def participant(tok: Token, entities: EntityIndex, quotes: list[Quote]) -> Participant | None:
    """The actor of a subject token; an unresolved pronoun falls back to the subject of the governing clause."""
    found = resolve(tok, entities) or speaker_for(tok, quotes, entities)
    anaphor = (tok.pos_ == "PRON" and tok.lower_ in ("it", "they", "he", "she")) or (
        tok.pos_ == "NOUN" and any(c.lower_ == "the" for c in tok.children))
    if (found is None or not found.code) and anaphor:
        clause = tok.head
        while clause.dep_ in ("advcl", "conj", "relcl", "xcomp", "ccomp") and clause.head != clause:
            clause = clause.head
            subject = next((c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subject is not None and subject is not tok and subject.pos_ != "PRON":
                return resolve(subject, entities)
    return found


def along_with(head: Token) -> list[Token]:
    """"Canada -- along with the United States, Britain and the EU -- are ...": the partners share the subject."""
    out: list[Token] = []
    for prep in head.children:
        if prep.dep_ in ("prep", "advmod") and prep.lower_ in ("along", "together"):
            for w in prep.children:
                if w.lower_ == "with":
                    for pobj in w.children:
                        if pobj.dep_ == "pobj":
                            out.extend(coordinated(pobj))
    return out


def inherited_targets(verb: Token, entities: EntityIndex) -> list[Participant]:
    """A clause with no target of its own shares the target of the clause it is coordinated with
    ("would welcome a UN visit, but is opposed to an investigation")."""
    if verb.dep_ != "conj" or verb.head == verb:
        return []
    head = verb.head
    for obj in head.children:
        if obj.dep_ in ("dobj", "obj"):
            found = resolve_deep(obj, entities)
            if found:
                return found[:1]
    return []


def _shared_phrase_actor(tok: Token, entities: EntityIndex) -> Participant | None:
    """The actor of an of/from phrase on the last of a bare role noun's conjuncts ("Diplomats and envoys of
    the EU" -> the EU for "Diplomats"), when the role noun has no such phrase of its own."""
    if tok.pos_ != "NOUN" or any(c.dep_ == "prep" and c.lower_ in ("of", "from", "in") for c in tok.children):
        return None
    conjuncts = [c for c in tok.children if c.dep_ == "conj" and c.pos_ == "NOUN"]
    if not conjuncts:
        return None
    for prep in conjuncts[-1].children:
        if prep.dep_ == "prep" and prep.lower_ in ("of", "from"):
            pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
            inner = resolve(pobj, entities) if pobj is not None else None
            if inner is not None and inner.code:
                return inner
    return None


def of_coordination(tok: Token, entities: EntityIndex) -> list[Participant]:
    """"The ambassadors of Arnor, Osgiliath and Gondor", "lawmakers in France and Germany": one actor per
    country, each with the role of the head noun (ARNGOV, OSGGOV, GONGOV)."""
    head = resolve(tok, entities)
    if head is None or not head.code or entities.entity_for_token(tok) is not None:
        return []
    for mod in tok.lefts:  # "Canadian and British lawmakers", "Eriadori and Calenardhon leaders"
        if mod.dep_ in ("amod", "nmod", "compound") and any(c.dep_ == "conj" for c in mod.children):
            first = resolve_word(mod, entities)
            if first is None or not first.code or not head.code.startswith(first.code):
                continue
            role = head.code[len(first.code):]
            found = (resolve_word(c, entities) for c in coordinated(mod)[1:])
            return [Participant(p.token, p.span, p.entity, p.code + role) for p in found if p and p.code]
    # "lawmakers and officials in France and Germany": the conjoined noun shares its head's phrase
    owner = tok.head if tok.dep_ == "conj" and tok.head.pos_ == "NOUN" and tok.head.i < tok.i else tok
    for prep in owner.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("of", "from", "in") or prep.i < tok.i:
            continue
        pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if pobj is None:
            continue
        first = resolve(pobj, entities)
        if first is None or not first.code or not head.code.startswith(first.code):
            continue
        role = head.code[len(first.code):]
        out = []
        for other in coordinated(pobj)[1:] + late_conjuncts(owner):
            p = resolve(other, entities)
            if p and p.code:
                out.append(Participant(other, p.span, p.entity, p.code + role))
        return out
    return []


def actor_head(tok: Token, entities: EntityIndex) -> bool:
    """The token itself names an actor ("Putin", "the minister", "Palestinians"), not a thing an actor has
    or gives ("a patent from the Patent Office", "U.S. complaints")."""
    if _name(tok) or tok.pos_ == "PRON":
        return True
    return tok.lemma_.lower() not in _NON_ACTOR_HEADS and resolve_word(tok, entities) is not None


def resolve_word(tok: Token, entities: EntityIndex) -> Participant | None:
    """The actor of a single modifier word ("British" in "Canadian and British lawmakers")."""
    span = tok.doc[tok.i : tok.i + 1]
    entity, actor = entities.actor_for_span(span)
    if actor is None:
        return None
    return Participant(tok, span, entity.id if entity else None, actor.code)


def speaker_for(tok: Token, quotes: list[Quote], entities: EntityIndex) -> Participant | None:
    """"we" inside a quotation is the speaker's side."""
    if tok.lower_ not in FIRST_PERSON:
        return None
    for quote in quotes:
        if quote.start <= tok.idx < quote.end and quote.speaker and quote.speaker.actor_code:
            span = tok.doc[tok.i : tok.i + 1]
            return Participant(tok, span, quote.speaker.entity, quote.speaker.actor_code)
    return None


def set_non_actor_heads(heads: frozenset[str]) -> None:
    """Event nouns that are never actors ("a military cooperation agreement"), from the lexicon."""
    global _NON_ACTOR_HEADS
    _NON_ACTOR_HEADS = heads


def set_for_deeds(verbs: frozenset[str]) -> None:
    """Verbs that judge their object for a deed ("praised X for V-ing": X did it), from the lexicon."""
    global _FOR_DEEDS
    _FOR_DEEDS = verbs
