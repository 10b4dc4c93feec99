"""Actor dictionaries: the built-in lexicon, the team's simple user formats, and PETRARCH/TABARI files.

Everything loads into one `ActorDictionary`: normalised phrase -> list of `DatedCode` (code, valid_from,
valid_until). Two kinds of entries:

* **actors** name a specific actor: "United Nations" -> IGOUNO, "Beijing" -> CHNGOV, "Donald Trump" ->
  USAGOV (2017-01-20..2021-01-20).
* **agents** are role nouns that take their country from context: "minister" -> `~GOV`, "police" ->
  `~COP`. As in PETRARCH, `~GOV` is appended to a country code (CHN + ~GOV -> CHNGOV) and `NGO~` is put in
  front of it (NGO~ + USA -> NGOUSA).

Phrases are compared case-insensitively, without accents, dots or hyphens ("U.S." = "US", "al-Qaeda" =
"al Qaeda"). A later file overrides an earlier one phrase by phrase, so user dictionaries override the
built-in lexicon.

Formats are chosen by extension (.tsv, .yaml/.yml, .actors/.agents), else sniffed from the first lines:

TSV, one entry a line, `#` comments; columns names (variants separated by `|`), code, optional from and
until dates (YYYY-MM-DD, YYYY-MM or YYYY; both ends inclusive). A code starting or ending with `~` is an
agent (role noun), whose plural is added automatically::

    Donald Trump|Trump|President Trump	USAGOV	2017-01-20	2021-01-20
    Donald Trump|Trump|President Trump	USAGOV	2025-01-20
    Bank of Canada	CANGOV
    finance minister|finance ministers	~GOV

YAML, a list of entries, or a mapping with `actors:` and `agents:` lists::

    actors:
      - names: [Donald Trump, Trump]
        code: USAGOV
        from: 2017-01-20
        until: 2021-01-20
    agents:
      - names: [spokesperson, spokespeople]
        code: GOV            # agents: "GOV" means "~GOV"

PETRARCH/TABARI `.actors` / `.agents` files: `PHRASE_WITH_UNDERSCORES [CODE]`, synonym lines `+PHRASE`,
indented code lines, date-restricted codes `[CODE <YYMMDD]`, `[CODE >YYYYMMDD]`, `[CODE D1-D2]` (the first
restricted code valid on the date wins, else the unrestricted one), several codes `[ABC/DEF]`, agent
codes `[~GOV]` / `[NGO~]`, agent plurals `{PLURAL}` or `{}` (none), substitution sets
`!PERSON! = MAN, MEN` used as `CONGRESS!PERSON!`, comments after `#` or `;` and `<!-- ... -->` blocks.

A malformed line never stops loading: it is reported as `file:line: reason` in the returned warnings.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

__all__ = [
    "ActorDictionary",
    "DatedCode",
    "apply_agent",
    "load_dictionaries",
    "normalise_phrase",
    "read_petrarch",
    "read_user_tsv",
    "read_user_yaml",
]


@dataclass(frozen=True)
class DatedCode:
    """One code of a phrase, valid from/until a date (inclusive; None = open)."""

    code: str
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    @property
    def restricted(self) -> bool:
        return self.valid_from is not None or self.valid_until is not None

    def valid_on(self, date: dt.date) -> bool:
        """Whether the code applies on `date`."""
        return (self.valid_from is None or date >= self.valid_from) and (
            self.valid_until is None or date <= self.valid_until)


@lru_cache(maxsize=65536)  # called for every token of every document
def normalise_phrase(text: str) -> str:
    """The key phrases are compared by: lower case, no accents, dots, hyphens or underscores."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = text.replace("’", "'").replace("_", " ").replace(".", "")
    text = re.sub(r"[-‐‑–—/]", " ", text)
    text = re.sub(r"[^\w'& ]", " ", text)
    return " ".join(text.split())


def resolve_codes(codes: Sequence[DatedCode], date: dt.date | None) -> list[str]:
    """Codes that apply on `date`: the first matching restricted block, else the unrestricted codes."""
    if date is not None:
        first: DatedCode | None = None
        found: list[str] = []
        for item in codes:
            if item.restricted and item.valid_on(date):
                if first is None:
                    first = item
                if (item.valid_from, item.valid_until) == (first.valid_from, first.valid_until):
                    found.append(item.code)
        if found:
            return found
    return [item.code for item in codes if not item.restricted]


def apply_agent(country: str | None, agent: str) -> str:
    """Combine a country/actor code with an agent code: (CHN, ~GOV) -> CHNGOV, (USA, NGO~) -> NGOUSA."""
    country = country or ""
    if agent.startswith("~"):
        return country + agent[1:]
    if agent.endswith("~"):
        return agent[:-1] + country
    return country + agent


@dataclass
class ActorDictionary:
    """Normalised phrase -> dated codes, for actors and for agents (role nouns)."""

    actors: dict[str, list[DatedCode]] = field(default_factory=dict)
    agents: dict[str, list[DatedCode]] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # phrase -> file:line it came from
    _lengths: dict[str, set[int]] = field(default_factory=dict, repr=False)

    def add(self, phrase: str, codes: Iterable[DatedCode], *, where: str = "", replace: bool = True) -> None:
        """Add (or, with `replace`, override) a phrase; agent codes go to `agents`, others to `actors`."""
        key = normalise_phrase(phrase)
        if not key:
            return
        codes = list(codes)
        for table, wanted in ((self.agents, True), (self.actors, False)):
            part = [c for c in codes if _is_agent(c.code) == wanted]
            if not part:
                continue
            if replace or key not in table:
                table[key] = part
            else:
                table[key] = table[key] + [c for c in part if c not in table[key]]
        words = key.split()
        self._lengths.setdefault(words[0], set()).add(len(words))
        if where:
            self.sources.setdefault(key, where)

    def update(self, other: ActorDictionary) -> None:
        """Merge another dictionary into this one; its phrases override ours."""
        for table, theirs in ((self.actors, other.actors), (self.agents, other.agents)):
            for key, codes in theirs.items():
                table[key] = list(codes)
                words = key.split()
                self._lengths.setdefault(words[0], set()).add(len(words))
        self.sources.update(other.sources)

    def lookup(self, phrase: str | Sequence[str], date: dt.date | None = None) -> list[str]:
        """Actor codes of a phrase (text or token sequence) on a date; [] when unknown."""
        codes = self.actors.get(_key(phrase))
        return resolve_codes(codes, date) if codes else []

    def agent(self, phrase: str | Sequence[str], date: dt.date | None = None) -> list[str]:
        """Agent codes ("~GOV", "NGO~") of a role phrase on a date; [] when unknown."""
        codes = self.agents.get(_key(phrase))
        return resolve_codes(codes, date) if codes else []

    def longest_match(self, words: Sequence[str], start: int, date: dt.date | None = None,
                      *, kind: str = "actors") -> tuple[int, list[str]]:
        """Longest phrase of normalised `words` starting at `start`: (number of words, codes), or (0, [])."""
        if start >= len(words):
            return 0, []
        lengths = self._lengths.get(words[start])
        if not lengths:
            return 0, []
        table = self.actors if kind == "actors" else self.agents
        for n in sorted(lengths, reverse=True):
            if start + n > len(words):
                continue
            codes = table.get(" ".join(words[start:start + n]))
            if codes:
                found = resolve_codes(codes, date)
                if found:
                    return n, found
        return 0, []

    def __len__(self) -> int:
        return len(self.actors) + len(self.agents)


def _key(phrase: str | Sequence[str]) -> str:
    return normalise_phrase(phrase if isinstance(phrase, str) else " ".join(phrase))


def _is_agent(code: str) -> bool:
    return code.startswith("~") or code.endswith("~")


# ---------------------------------------------------------------------------------------------------------
# dates

def parse_date(text: str, *, end: bool = False) -> dt.date:
    """YYYY-MM-DD, YYYY-MM, YYYY, YYYYMMDD or PETRARCH's YYMMDD; `end` rounds a partial date up."""
    text = text.strip()
    if re.fullmatch(r"\d{6}", text):  # PETRARCH/TABARI two-digit years: 30-99 -> 19xx
        year = int(text[:2])
        text = f"{year + (1900 if year >= 30 else 2000)}{text[2:]}"
    if re.fullmatch(r"\d{8}", text):
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        return dt.date.fromisoformat(text)
    if m := re.fullmatch(r"(\d{4})-(\d{2})", text):
        year, month = int(m[1]), int(m[2])
        if not end:
            return dt.date(year, month, 1)
        following = dt.date(year + month // 12, month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    if re.fullmatch(r"\d{4}", text):
        return dt.date(int(text), 12, 31) if end else dt.date(int(text), 1, 1)
    raise ValueError(f"not a date: {text!r}")


def _as_date(value: object, *, end: bool = False) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return parse_date(str(value), end=end)


_CODE = re.compile(r"^(~?[A-Z][A-Z0-9]*~?|~?[-+#]{3}[A-Z0-9]*~?)$")


def _check_code(code: str) -> str:
    code = code.strip().upper()
    if not code or not all(_CODE.match(part) for part in code.split("/")) or re.search(r"\d{4}", code):
        raise ValueError(f"not an actor code: {code!r}")
    return code


# ---------------------------------------------------------------------------------------------------------
# the team's user formats

def read_user_tsv(path: Path, warnings: list[str]) -> ActorDictionary:
    """A TSV user dictionary: names|variants, code, optional from and until."""
    result = ActorDictionary()
    with open(path, encoding="utf-8") as fh:
        for n, raw in enumerate(fh, start=1):
            line = raw.rstrip("\r\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            cols = [c.strip() for c in line.split("\t")]
            where = f"{path}:{n}"
            if not 2 <= len(cols) <= 4:
                warnings.append(f"{where}: expected 2-4 tab-separated columns (names, code, from, until), "
                                f"got {len(cols)}")
                continue
            cols += [""] * (4 - len(cols))
            try:
                _add_entry(result, cols[0].split("|"), cols[1], cols[2], cols[3], where=where)
            except ValueError as exc:
                warnings.append(f"{where}: {exc}")
    return result


class _LineLoader(yaml.SafeLoader):
    """A YAML loader that records the line of every mapping (for file:line warnings)."""


def _mapping_with_line(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping["__line__"] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_with_line)


def read_user_yaml(path: Path, warnings: list[str]) -> ActorDictionary:
    """A YAML user dictionary: a list of {names, code, from, until}, or {actors: [...], agents: [...]}."""
    result = ActorDictionary()
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        warnings.append(f"{path}{line}: not valid YAML ({getattr(exc, 'problem', None) or exc})")
        return result
    if data is None:
        return result
    sections: list[tuple[bool, object]]
    if isinstance(data, list):
        sections = [(False, data)]
    elif isinstance(data, dict):
        unknown = set(data) - {"actors", "agents", "__line__"}
        if unknown:
            warnings.append(f"{path}:{data['__line__']}: unknown section(s) {', '.join(sorted(unknown))} "
                            "(expected actors, agents)")
        sections = [(False, data.get("actors") or []), (True, data.get("agents") or [])]
    else:
        warnings.append(f"{path}:1: expected a list of entries or a mapping with actors/agents")
        return result
    for is_agent, entries in sections:
        if not isinstance(entries, list):
            warnings.append(f"{path}: 'actors' and 'agents' must be lists")
            continue
        for entry in entries:
            if not isinstance(entry, dict):
                warnings.append(f"{path}: entry {entry!r} is not a mapping with names and code")
                continue
            where = f"{path}:{entry.get('__line__', '?')}"
            names = entry.get("names", entry.get("name"))
            if isinstance(names, str):
                names = [names]
            code = str(entry.get("code", "") or "")
            if is_agent and code and "~" not in code:
                code = "~" + code
            try:
                if not names or not isinstance(names, list):
                    raise ValueError("entry needs 'names' (a name or a list of names)")
                _add_entry(result, [str(x) for x in names], code, entry.get("from"), entry.get("until"),
                           where=where)
            except ValueError as exc:
                warnings.append(f"{where}: {exc}")
    return result


def _add_entry(result: ActorDictionary, names: list[str], code: str, valid_from: object, valid_until: object,
               *, where: str) -> None:
    code = _check_code(code)
    start, end = _as_date(valid_from), _as_date(valid_until, end=True)
    if start and end and end < start:
        raise ValueError(f"date range ends before it starts ({start} > {end})")
    names = [x.strip() for x in names if x.strip()]
    if not names:
        raise ValueError("no names")
    codes = [DatedCode(part, start, end) for part in code.split("/")]
    if _is_agent(code):  # role nouns also match in the plural ("finance ministers")
        names = names + [plural_phrase(x) for x in names if plural_phrase(x) not in names]
    for name in names:
        # several rows for one name (e.g. two terms of office) add up within one file
        result.add(name, codes, where=where, replace=False)


# ---------------------------------------------------------------------------------------------------------
# PETRARCH / TABARI

_SUBST = re.compile(r"^(![A-Z0-9_]+!)\s*=\s*(.+)$", re.IGNORECASE)


def read_petrarch(path: Path, warnings: list[str]) -> ActorDictionary:
    """A PETRARCH/TABARI .actors or .agents dictionary."""
    result = ActorDictionary()
    substitutions: dict[str, list[str]] = {}
    current: list[str] = []  # phrases of the actor being read
    current_codes: list[DatedCode] = []
    current_where = ""
    current_plurals: list[str] | None = None
    in_comment = False

    def finish() -> None:
        if not current:
            return
        if not current_codes:
            warnings.append(f"{current_where}: '{current[0]}' has no code")
        else:
            for phrase in _expand(current, substitutions, current_codes, current_plurals):
                result.add(phrase, current_codes, where=current_where)

    with open(path, encoding="utf-8", errors="replace") as fh:
        for n, raw in enumerate(fh, start=1):
            where = f"{path}:{n}"
            line = raw.rstrip("\r\n")
            if in_comment:
                in_comment = "-->" not in line
                continue
            stripped = line.strip()
            if stripped.startswith("<!"):
                in_comment = "-->" not in stripped
                continue
            line = re.split(r"[#;]", line, maxsplit=1)[0].rstrip()
            if not line.strip():
                continue
            if m := _SUBST.match(line.strip()):
                substitutions[m[1].upper()] = [_phrase(x) for x in m[2].split(",") if x.strip()]
                continue
            indented = line[0] in " \t"
            body = line.strip()
            if body.startswith("+"):
                if not current:
                    warnings.append(f"{where}: synonym '{body}' before any actor")
                    continue
                current.append(_phrase(body[1:]))
                continue
            if indented or body.startswith("["):
                if not current:
                    warnings.append(f"{where}: code '{body}' before any actor")
                    continue
                current_codes.extend(_code_blocks(body, where, warnings))
                continue
            finish()
            phrase_text, _, rest = body.partition("[")
            rest = "[" + rest if rest else ""
            current_plurals = None
            if m := re.search(r"\{([^}]*)\}", phrase_text):
                current_plurals = [_phrase(x) for x in re.split(r"[,\s]+", m[1]) if x.strip()]
                phrase_text = phrase_text[: m.start()] + phrase_text[m.end():]
            current = [_phrase(phrase_text)]
            current_where = where
            current_codes = _code_blocks(rest, where, warnings) if rest else []
            if not current[0]:
                warnings.append(f"{where}: no phrase before the code")
                current = []
    finish()
    return result


def _phrase(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).strip()


def _code_blocks(text: str, where: str, warnings: list[str]) -> list[DatedCode]:
    """Codes in `[CODE]`, `[CODE <D]`, `[CODE >D]`, `[CODE D1-D2]` blocks of one line."""
    found: list[DatedCode] = []
    blocks = re.findall(r"\[([^\]]*)\]", text)
    leftover = re.sub(r"\[[^\]]*\]", "", text).strip()
    if leftover or (not blocks and text.strip()):
        warnings.append(f"{where}: unexpected text {leftover or text.strip()!r} (expected [CODE] blocks)")
    for block in blocks:
        parts = block.split(None, 1)
        if not parts:
            warnings.append(f"{where}: empty code block []")
            continue
        try:
            code = _check_code(parts[0])
            start = end = None
            restriction = "".join(parts[1].split()) if len(parts) > 1 else ""
            if restriction.startswith("<"):
                end = parse_date(restriction[1:]) - dt.timedelta(days=1)
            elif restriction.startswith(">"):
                start = parse_date(restriction[1:]) + dt.timedelta(days=1)
            elif restriction:
                first, sep, last = restriction.partition("-")
                if not sep:
                    raise ValueError(f"bad date restriction {restriction!r}")
                start, end = parse_date(first), parse_date(last)
        except ValueError as exc:
            warnings.append(f"{where}: {exc} in [{block.strip()}]")
            continue
        found.extend(DatedCode(part, start, end) for part in code.split("/"))
    return found


def _expand(phrases: list[str], substitutions: dict[str, list[str]], codes: list[DatedCode],
            plurals: list[str] | None) -> list[str]:
    """Phrases with !SETS! substituted; agent phrases also get their plural forms."""
    out: list[str] = []
    is_agent = any(_is_agent(c.code) for c in codes)
    for phrase in phrases:
        variants = [phrase]
        used_set = False
        while any("!" in v for v in variants):
            expanded = []
            for v in variants:
                m = re.search(r"![A-Za-z0-9_]+!", v)
                if not m:
                    expanded.append(v)
                    continue
                used_set = True
                for alt in substitutions.get(m[0].upper(), [m[0].strip("!")]):
                    expanded.append(v[: m.start()] + alt + v[m.end():])
            variants = expanded
        out.extend(variants)
        if is_agent and plurals is None and not used_set:
            out.extend(plural_phrase(v) for v in variants)
    if plurals:
        out.extend(plurals)
    return out


def plural_phrase(phrase: str) -> str:
    """English plural of a phrase's last word (spokesman -> spokesmen, party -> parties, police -> police)."""
    words = phrase.split()
    if not words:
        return phrase
    last = words[-1]
    lower = last.lower()
    if lower in _UNCOUNTED or lower.endswith("people") or re.search(r"[^su]s$", lower):
        plural = last
    elif lower.endswith("man") and lower not in {"german", "human", "ottoman", "caiman"}:
        plural = last[:-3] + ("MEN" if last.isupper() else "men")
    elif lower.endswith("person"):
        plural = last + ("S" if last.isupper() else "s")
    elif re.search(r"[^aeiou]y$", lower):
        plural = last[:-1] + ("IES" if last.isupper() else "ies")
    elif re.search(r"(s|x|z|ch|sh)$", lower):
        plural = last + ("ES" if last.isupper() else "es")
    else:
        plural = last + ("S" if last.isupper() else "s")
    return " ".join(words[:-1] + [plural])


_UNCOUNTED = {"police", "military", "media", "press", "staff", "personnel", "clergy", "youth", "judiciary",
              "leadership", "opposition", "security", "intelligence", "aircraft", "infantry", "artillery"}


# ---------------------------------------------------------------------------------------------------------

def sniff_format(path: Path) -> str:
    """"tsv", "yaml" or "petrarch": by extension, else by the first lines of the file."""
    suffix = path.suffix.lower()
    if suffix == ".tsv":
        return "tsv"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    if suffix in (".actors", ".agents"):
        return "petrarch"
    with open(path, encoding="utf-8", errors="replace") as fh:
        for raw in fh:
            line = raw.strip()
            if not line or line.startswith(("#", "<!")):
                continue
            if "[" in line or line.startswith("+") or re.match(r"^![A-Z0-9_]+!\s*=", line, re.IGNORECASE):
                return "petrarch"
            if "\t" in line:
                return "tsv"
            if re.match(r"^(-\s|actors:|agents:|[\w ]+:\s*$)", line):
                return "yaml"
    return "petrarch"


def read_dictionary(path: Path, warnings: list[str]) -> ActorDictionary:
    """One dictionary file in any of the supported formats (see `sniff_format`)."""
    try:
        kind = sniff_format(path)
        if kind == "tsv":
            return read_user_tsv(path, warnings)
        if kind == "yaml":
            return read_user_yaml(path, warnings)
        return read_petrarch(path, warnings)
    except (OSError, UnicodeDecodeError) as exc:
        warnings.append(f"{path}: cannot read dictionary ({exc})")
        return ActorDictionary()


def load_dictionaries(paths: list[Path]) -> tuple[ActorDictionary, list[str]]:
    """Read dictionary files in order (later ones override earlier ones): (dictionary, warnings)."""
    result = ActorDictionary()
    warnings: list[str] = []
    for path in paths:
        result.update(read_dictionary(Path(path), warnings))
    return result, warnings
