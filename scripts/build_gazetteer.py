#!/usr/bin/env python3
"""Build the entity-linking gazetteer shipped in ``kg/data/gazetteer/``.

Reads the third-party source data in the shared folder (never copied into the repository) and
the hand-curated ``scripts/news_actors.tsv`` and writes three JSON Lines files, one per licence:

* ``countries.jsonl``     Our World in Data country table + mledoze/countries  -> ODbL 1.0
* ``organisations.jsonl`` supraverden list of international organisations      -> CC BY-SA 4.0
* ``news_actors.jsonl``   ``scripts/news_actors.tsv`` (ours), aliases enriched from the
                          PETRARCH2 Phoenix actor dictionaries (MIT)

Usage::

    python scripts/build_gazetteer.py [--shared PATH] [--out DIR]

``--shared`` defaults to ``../shared`` next to the repository root; ``--out`` defaults to
``kg/data/gazetteer``. The output is deterministic: two runs give byte-identical files.
See ``kg/data/gazetteer/README.md`` for the record format and the curation rules.
"""

from __future__ import annotations

import argparse
import csv
import difflib
import json
import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, TypeAlias

from kg.gazetteer import NER_OF_TYPE  # the one table of entity type -> spaCy label

REPO_ROOT: Final = Path(__file__).resolve().parent.parent
DEFAULT_SHARED: Final = REPO_ROOT.parent / "shared"
DEFAULT_OUT: Final = REPO_ROOT / "kg" / "data" / "gazetteer"
CURATED_TSV: Final = Path(__file__).resolve().parent / "news_actors.tsv"

OWID_CSV: Final = "data/gazetteer-sources/owid_countries_regions.csv"
MLEDOZE_JSON: Final = "data/gazetteer-sources/mledoze_countries.json"
SUPRAVERDEN_YAML: Final = "data/gazetteer-sources/supraverden_general_list.yaml"
PHOENIX_ACTORS: Final = (
    "data/petrarch2/Phoenix.Countries.actors.txt",
    "data/petrarch2/Phoenix.International.actors.txt",
    "data/petrarch2/Phoenix.MilNonState.actors.txt",
)

#: OWID links a few countries to the item of the whole realm; news text means the country.
#: Q29999 is the Kingdom of the Netherlands (with its Caribbean countries), Q55 the Netherlands.
COUNTRY_ITEM: Final[dict[str, str]] = {"Q29999": "Q55"}

QID_RE: Final = re.compile(r"^Q[1-9][0-9]*$")

#: Surface forms (casefolded) that are also a common English word or first name, or that name
#: more than one well-known thing. An entity whose label or alias is listed gets
#: ``"ambiguous": true`` so that a consumer can ask for more evidence before linking.
AMBIGUOUS_SURFACES: Final = frozenset(
    {
        # countries and territories
        "chad", "congo", "georgia", "guernsey", "guinea", "jersey", "jordan", "niger",
        "reunion", "réunion", "turkey",
        # news actors
        "abbas", "amnesty", "gallant", "guardian", "harris", "independent", "kirby",
        "sinwar", "sullivan",
    }
)  # fmt: skip

# ---------------------------------------------------------------------------------------------
# generic alias hygiene

_MOJIBAKE_RE: Final = re.compile("[ÃÂ\ufffd\u0080-\u009f]|â€")
_LEADING_ARTICLE_RE: Final = re.compile(r"^(?:the|The|THE)\s+")
_DANGLING_WORD_RE: Final = re.compile(r"\s(?:of|and|for|the|in|on|de)$")


def is_mojibake(text: str) -> bool:
    """True for strings that were decoded with the wrong character set ("CuraÃ§ao").

    >>> is_mojibake("CuraÃ§ao"), is_mojibake("Curaçao")
    (True, False)
    """
    return bool(_MOJIBAKE_RE.search(text))


def is_latin(text: str) -> bool:
    """True when every letter of ``text`` is from the Latin script.

    >>> is_latin("Côte d'Ivoire"), is_latin("Россия")
    (True, False)
    """
    return all(not ch.isalpha() or "LATIN" in unicodedata.name(ch, "") for ch in text)


def clean_surface(text: str) -> str:
    """Normalise a surface form: NFC, single spaces, no leading article.

    >>> clean_surface("  the  Gaza   Strip ")
    'Gaza Strip'
    """
    text = " ".join(unicodedata.normalize("NFC", text).split())
    return _LEADING_ARTICLE_RE.sub("", text)


def usable_alias(text: str) -> bool:
    """Generic rejection rules shared by all three tables."""
    return (
        len(text) >= 2
        and not is_mojibake(text)
        and is_latin(text)
        and not _DANGLING_WORD_RE.search(text)
        and any(ch.isalpha() for ch in text)
    )


def spelling_variants(text: str) -> list[str]:
    """Typographic variants worth listing: the straight apostrophe for a curly one.

    >>> spelling_variants("United Nations Children’s Fund")
    ["United Nations Children's Fund"]
    """
    return [text.replace("’", "'")] if "’" in text else []


def _sort_key(text: str) -> tuple[str, str]:
    return (text.casefold(), text)


# ---------------------------------------------------------------------------------------------
# the record


@dataclass
class Entity:
    """One gazetteer record (one JSON line)."""

    qid: str
    label: str
    type: str
    source: str
    aliases: list[str] = field(default_factory=list)
    demonyms: list[str] = field(default_factory=list)
    ambiguous: bool = False

    def add_alias(self, text: str) -> None:
        text = clean_surface(text)
        if text and usable_alias(text):
            self.aliases.append(text)
            self.aliases.extend(spelling_variants(text))

    def finish(self) -> None:
        """Deduplicate (exact match), drop the label itself and sort."""
        if self.type not in NER_OF_TYPE:
            raise ValueError(f"{self.label}: unknown type {self.type!r}")
        if self.qid and not QID_RE.match(self.qid):
            raise ValueError(f"{self.label}: malformed qid {self.qid!r}")
        seen = {self.label}
        self.aliases = sorted({a for a in self.aliases if a not in seen}, key=_sort_key)
        self.demonyms = sorted(set(self.demonyms), key=_sort_key)
        forms = [self.label, *self.aliases]
        self.ambiguous = self.ambiguous or any(f.casefold() in AMBIGUOUS_SURFACES for f in forms)

    def surfaces(self) -> list[str]:
        return [self.label, *self.aliases]

    def to_json(self) -> str:
        record: dict[str, object] = {
            "qid": self.qid,
            "label": self.label,
            "type": self.type,
            "ner": NER_OF_TYPE[self.type],
            "aliases": self.aliases,
            "demonyms": self.demonyms,
            "ambiguous": self.ambiguous,
            "source": self.source,
        }
        return json.dumps(record, ensure_ascii=False)


def resolve_collisions(entities: list[Entity], protected: Iterable[str] = ()) -> None:
    """Make aliases point at one entity where possible.

    An alias equal to another entity's label, or to a surface in ``protected`` (labels and
    aliases that other files own), is removed. An alias still shared by several entities is
    kept on all of them, and they are marked ambiguous.
    """
    protected_set = {p.casefold() for p in protected}
    label_owner: dict[str, set[int]] = {}
    for i, ent in enumerate(entities):
        label_owner.setdefault(ent.label.casefold(), set()).add(i)
    alias_owner: dict[str, set[int]] = {}
    for i, ent in enumerate(entities):
        kept = []
        for alias in ent.aliases:
            key = alias.casefold()
            owners = label_owner.get(key, set())
            if (owners and i not in owners) or key in protected_set:
                continue
            kept.append(alias)
            alias_owner.setdefault(key, set()).add(i)
        ent.aliases = kept
    for key, owners in alias_owner.items():
        holders = owners | label_owner.get(key, set())
        if len(holders) > 1:
            for i in holders:
                entities[i].ambiguous = True


# ---------------------------------------------------------------------------------------------
# countries: OWID + mledoze (ODbL)

#: OWID names that are not the usual English short name
COUNTRY_LABELS: Final[dict[str, str]] = {
    "ALA": "Åland Islands",
    "BLM": "Saint Barthélemy",
    "CIV": "Ivory Coast",
    "COD": "Democratic Republic of the Congo",
    "CUW": "Curaçao",
    "FRO": "Faroe Islands",
    "FSM": "Micronesia",
    "MAC": "Macau",
    "MAF": "Saint Martin",
    "PCN": "Pitcairn Islands",
    "REU": "Réunion",
    "STP": "São Tomé and Príncipe",
    "SXM": "Sint Maarten",
    "TLS": "East Timor",
    "VAT": "Vatican City",
}

#: names used in news text that neither source lists
COUNTRY_EXTRA_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "ARE": ("UAE", "U.A.E."),
    "CIV": ("Côte d'Ivoire", "Cote d'Ivoire"),
    "COD": ("DRC", "DR Congo", "Congo-Kinshasa"),
    "CZE": ("Czech Republic",),
    "GBR": ("U.K.", "Britain", "Great Britain"),
    "KOR": ("Republic of Korea",),
    "PRK": ("DPRK",),
    "PSE": ("State of Palestine",),
    "RUS": ("Russian Federation",),
    "SWZ": ("Swaziland",),
    "TUR": ("Türkiye", "Turkiye"),
    "USA": ("U.S.", "U.S.A.", "America", "United States of America"),
    "VAT": ("Vatican", "Holy See"),
}

#: aliases from the sources that are wrong, misspelt or dangerous in running text
COUNTRY_DROP_ALIASES: Final = frozenset(
    {
        "Autralia", "Saint Barthlemy", "Guadaloupe", "French Guyana", "United Arab Em",
        "Lao", "Pleasant Island", "Republic of China", "Guiana", "Virgin Islands",
        "Svalbard og Jan Mayen", "Antarctic Treaty area", "China, mainland", "Timor",
        "Emirates", "Global", "Libyan A.J.", "U.R. of Tanzania: Mainland", "U.R. Tanzania",
        "TFYR Macedonia", "TFYR of Macedonia", "D.P.R. of Korea", "D.R. of the Congo",
        "Saint Vincent/Grenadines", "China Hong Kong SAR", "Northern Mariana",
        "West Bank and Gaza",
    }
)  # fmt: skip

#: upper-case abbreviations kept as aliases (all others, e.g. ISO codes, are dropped)
COUNTRY_ABBREVIATIONS: Final = frozenset(
    {"US", "U.S.", "USA", "U.S.A.", "UK", "U.K.", "UAE", "U.A.E.", "DRC", "DPRK"}
)

#: one-word alternative spellings from mledoze that are English and safe
MLEDOZE_SINGLE_WORD_KEEP: Final = frozenset(
    {
        "Aland", "Bosnia-Herzegovina", "Burma", "Congo-Brazzaville", "Congo-Kinshasa",
        "Curacao", "DPRK", "DRC", "Holland", "Macao", "Macedonia", "Swaziland", "Turkiye",
        "UAE", "UK", "US", "USA", "Vatican",
    }
)  # fmt: skip
MLEDOZE_PHRASE_KEEP: Final = frozenset(
    {"Brunei Darussalam", "Chinese Taipei", "Côte d'Ivoire", "Cote d'Ivoire", "Viet Nam"}
)
#: a multi-word alternative spelling is taken as English when it contains one of these words
ENGLISH_NAME_WORDS: Final = frozenset(
    {
        "Britain", "Coast", "Collectivity", "Commonwealth", "Democratic", "Duchy", "East",
        "Federal", "Federated", "Federation", "Grand", "Great", "Island", "Islands", "Isles",
        "Kingdom", "Principality", "Republic", "State", "States", "Sultanate", "Territories",
        "Territory", "Union",
    }
)  # fmt: skip

#: territories that are not "independent" in mledoze but are states in news usage
COUNTRY_TYPE_OVERRIDES: Final[dict[str, str]] = {
    "PSE": "Country",
    "TWN": "Country",
    "ATA": "Place",
}
DEMONYM_EXTRAS: Final[dict[str, tuple[str, ...]]] = {
    "GBR": ("Briton", "Britons"),
    "SAU": ("Saudi", "Saudis"),
    "TUR": ("Turk", "Turks"),
}
_PLURAL_ENDINGS: Final = (
    "an", "i", "er", "ot", "ine", "ek", "ak", "ene", "ech", "que", "ino", "ik", "ien",
)  # fmt: skip
_FOREIGN_FUNCTION_WORDS: Final = frozenset(
    {"da", "de", "del", "des", "di", "do", "du", "et", "la", "le", "og", "y", "ya"}
)
_ABBREVIATION_RE: Final = re.compile(r"[A-Z](?:\.?[A-Z])*\.?")
_TRUNCATED_RE: Final = re.compile(r"\b(?!St\.)[A-Za-z]{2,}\.(?=\s|$)|[A-Za-z]\.[A-Za-z]{2,}")


def plural_demonym(demonym: str) -> str | None:
    """The plural of a demonym where it is simply "+s".

    >>> plural_demonym("Egyptian"), plural_demonym("Israeli"), plural_demonym("Chinese")
    ('Egyptians', 'Israelis', None)
    """
    if "-" in demonym or not demonym.endswith(_PLURAL_ENDINGS):
        return None
    return demonym + "s"


def country_alias_ok(alias: str, trusted: bool) -> bool:
    """Source-specific checks for a country alias (``trusted``: an official or common name)."""
    if alias in COUNTRY_DROP_ALIASES or "(" in alias or "[" in alias:
        return False
    if _ABBREVIATION_RE.fullmatch(alias):
        return alias in COUNTRY_ABBREVIATIONS
    return trusted or ("," not in alias and not _TRUNCATED_RE.search(alias))


def mledoze_alt_is_english(alt: str) -> bool:
    """mledoze mixes English and native spellings; keep the English ones.

    >>> mledoze_alt_is_english("Republic of Chad"), mledoze_alt_is_english("Union des Comores")
    (True, False)
    """
    if alt in MLEDOZE_SINGLE_WORD_KEEP or alt in MLEDOZE_PHRASE_KEEP:
        return True
    words = alt.split()
    return (
        len(words) > 1
        and alt.isascii()
        and any(w in ENGLISH_NAME_WORDS for w in words)
        and not any(w in _FOREIGN_FUNCTION_WORDS for w in words)
    )


def build_countries(shared: Path, curated_qids: set[str]) -> tuple[list[Entity], list[str]]:
    with (shared / MLEDOZE_JSON).open(encoding="utf-8") as fh:
        mledoze: dict[str, dict[str, object]] = {str(c["cca3"]): c for c in json.load(fh)}
    entities: list[Entity] = []
    skipped: list[str] = []
    with (shared / OWID_CSV).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        match = re.search(r"(Q[0-9]+)$", row["wikidata_uri"].strip())
        if not match:
            continue
        qid = COUNTRY_ITEM.get(match.group(1), match.group(1))
        code = row["iso_alpha3"] or row["code"]
        if qid in curated_qids:
            skipped.append(f"{row['name']} ({qid}): curated in news_actors")
            continue
        country = mledoze.get(code)
        label = COUNTRY_LABELS.get(code, row["name"])
        if country is None:
            kind = "Region"
        else:
            kind = "Country" if country.get("independent") else "Region"
        kind = COUNTRY_TYPE_OVERRIDES.get(code, kind)
        ent = Entity(
            qid=qid,
            label=label,
            type=kind,
            source="owid+mledoze" if country else "owid",
        )
        candidates: list[tuple[str, bool]] = [(row["name"], True), (row["wikidata_label"], True)]
        if row["aliases"]:
            candidates += [(a, False) for a in json.loads(row["aliases"])]
        if country is not None:
            names = country["name"]
            assert isinstance(names, dict)
            candidates += [(str(names["common"]), True), (str(names["official"]), True)]
            alts = country.get("altSpellings", [])
            assert isinstance(alts, list)
            candidates += [(str(a), False) for a in alts if mledoze_alt_is_english(str(a))]
        candidates += [(a, True) for a in COUNTRY_EXTRA_ALIASES.get(code, ())]
        for text, trusted in candidates:
            alias = clean_surface(text)
            if alias and country_alias_ok(alias, trusted):
                ent.add_alias(alias)
        if country is not None:
            ent.demonyms = mledoze_demonyms(country, exclude={ent.label, *ent.aliases})
        ent.demonyms += DEMONYM_EXTRAS.get(code, ())
        entities.append(ent)
    # a demonym shared with a sovereign state stays with the state ("Indian", "Dutch")
    state_demonyms = {d for e in entities if e.type == "Country" for d in e.demonyms}
    for ent in entities:
        if ent.type != "Country":
            ent.demonyms = [d for d in ent.demonyms if d not in state_demonyms]
    return entities, skipped


def mledoze_demonyms(country: dict[str, object], exclude: set[str]) -> list[str]:
    """English demonyms (masculine and feminine forms) and their plurals.

    A "demonym" that is just the country name (Djibouti, Gibraltar) is left out.
    """
    demonyms = country.get("demonyms")
    if not isinstance(demonyms, dict):
        return []
    eng = demonyms.get("eng")
    if not isinstance(eng, dict):
        return []
    out: list[str] = []
    for value in (eng.get("m", ""), eng.get("f", "")):
        for part in re.split(r",\s*|\s+or\s+", str(value)):
            part = part.strip()
            if part and part not in exclude:
                out.append(part)
                plural = plural_demonym(part)
                if plural:
                    out.append(plural)
    return out


# ---------------------------------------------------------------------------------------------
# organisations: supraverden (CC BY-SA 4.0)

_YAML_KEY_RE: Final = re.compile(r"^  ([A-Za-z0-9_]+):(?: (.*))?$")
YamlValue: TypeAlias = str | list[str] | None


def parse_yaml_scalar(raw: str | None) -> str | None:
    """Decode a YAML scalar as written in the supraverden file.

    >>> parse_yaml_scalar("'[No code found.]'"), parse_yaml_scalar("null")
    ('[No code found.]', None)
    >>> parse_yaml_scalar("'It''s'")
    "It's"
    """
    if raw is None:
        return None
    raw = raw.strip()
    if raw in ("", "null", "~", "Null", "NULL"):
        return None
    if len(raw) >= 2 and raw[0] == raw[-1] == "'":
        return raw[1:-1].replace("''", "'")
    if len(raw) >= 2 and raw[0] == raw[-1] == '"':
        value = json.loads(raw)
        if not isinstance(value, str):
            raise ValueError(f"unexpected YAML scalar {raw!r}")
        return value
    return raw


def read_supraverden(path: Path) -> dict[str, dict[str, YamlValue]]:
    """A reader for the simple shape of ``general_list.yaml`` (no YAML library needed).

    The file is a mapping of organisation name -> mapping of ``key: scalar`` lines indented by
    two spaces, where a key with no value may be followed by ``  - item`` list lines. Long
    top-level names use the explicit form ``? name`` / ``: first_key: value``. Anything else is
    reported as an error rather than guessed at.
    """
    records: dict[str, dict[str, YamlValue]] = {}
    current: dict[str, YamlValue] | None = None
    pending_key: str | None = None
    list_key: str | None = None
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            if line.startswith("? "):
                pending_key = line[2:].strip()
                continue
            if line.startswith(": ") and pending_key is not None:
                current = records.setdefault(pending_key, {})
                pending_key, list_key = None, None
                line = "  " + line[2:]
            elif not line.startswith(" "):
                if not line.endswith(":"):
                    raise ValueError(f"{path}:{lineno}: unsupported top-level line")
                name = parse_yaml_scalar(line[:-1])
                if name is None:
                    raise ValueError(f"{path}:{lineno}: empty organisation name")
                current, list_key = records.setdefault(name, {}), None
                continue
            if current is None:
                raise ValueError(f"{path}:{lineno}: value outside a record")
            if line.startswith("  - "):
                if list_key is None:
                    raise ValueError(f"{path}:{lineno}: list item without a key")
                items = current[list_key]
                assert isinstance(items, list)
                value = parse_yaml_scalar(line[4:])
                if value is not None:
                    items.append(value)
                continue
            match = _YAML_KEY_RE.match(line)
            if not match:
                raise ValueError(f"{path}:{lineno}: unsupported line")
            key, raw = match.groups()
            if raw is None:
                current[key], list_key = [], key
            else:
                current[key], list_key = parse_yaml_scalar(raw), None
    return records


_ORG_ALIAS_KEY_RE: Final = re.compile(r"^(?:Abbreviation|Name_other)(?:_other)?(?:_[0-9]+)?_en$")
#: abbreviations of one or two letters are dropped except these
ORG_SHORT_KEEP: Final = frozenset({"UN", "EU"})
#: abbreviations that spell a common word (dropped) -- except WHO, which news text uses constantly
ORG_WORD_ABBREVIATIONS: Final = frozenset(
    {"apt", "era", "eli", "fra", "idea", "msg", "sau", "share"}
)
ORG_EXTRA_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "Q1065": ("U.N.",),  # United Nations, AP style
    "Q37470": ("U.N. Security Council", "Security Council"),
    "Q42262": ("ESA",),  # European Space Agency
    "Q846656": ("UN Relief and Works Agency", "U.N. Relief and Works Agency"),
}
#: (qid, alias) pairs from the source that would mislead a linker
ORG_DROP_ALIASES: Final = frozenset(
    {
        ("Q1374308", "ESA"),  # Euratom Supply Agency: "ESA" means the European Space Agency
        ("Q1665759", "IDB"),  # Inter-American Defense Board: "IDB" means the development bank
        ("Q13516775", "IOC"),  # International Olive Council: "IOC" means the Olympic committee
        ("Q120512563", "SDF"),  # SAARC Development Fund: "SDF" means the Syrian Democratic Forces
        ("Q333727", "ISA"),  # "ISA" is also the Israel Security Agency (Shin Bet)
        ("Q21594952", "ISA"),
        ("Q3772571", "CBD"),  # Caribbean Development Bank: "CBD" is cannabidiol / biodiversity
        ("Q372042", "ETF"),  # European Training Foundation: "ETF" is an exchange-traded fund
        ("Q588982", "PCB"),
        ("Q97167520", "AMA"),
        # the OPEC Fund's record gives OPEC's own name as its abbreviation
        ("Q392787", "Organization of the Petroleum Exporting Countries"),
    }
)
_ORG_VARIANTS: Final = (
    ("Organisation", "Organization"),
    ("Organization", "Organisation"),
    ("Programme", "Program"),
)


def org_alias_ok(alias: str) -> bool:
    if alias.casefold() in ORG_WORD_ABBREVIATIONS:
        return False
    return len(alias) > 2 or alias in ORG_SHORT_KEEP


def build_organisations(shared: Path, curated_qids: set[str]) -> tuple[list[Entity], list[str]]:
    records = read_supraverden(shared / SUPRAVERDEN_YAML)
    with_qid: dict[str, list[str]] = {}
    for name in sorted(records):
        qid, label = records[name].get("Wikidata_code"), records[name].get("Name_en")
        if isinstance(qid, str) and QID_RE.match(qid) and isinstance(label, str):
            with_qid.setdefault(qid, []).append(name)
    entities: list[Entity] = []
    skipped: list[str] = []
    for qid, names in sorted(with_qid.items()):
        if len(names) > 1:  # a source error: one id on different organisations
            skipped.append(f"{qid}: one Wikidata id on {len(names)} records ({'; '.join(names)})")
            continue
        rec = records[names[0]]
        label = clean_surface(str(rec["Name_en"]))
        if qid in curated_qids:
            skipped.append(f"{label} ({qid}): curated in news_actors")
            continue
        ent = Entity(qid=qid, label=label, type="Organization", source="supraverden")
        texts = [str(v) for k, v in sorted(rec.items()) if _ORG_ALIAS_KEY_RE.match(k) and v]
        texts += ORG_EXTRA_ALIASES.get(qid, ())
        texts = [t for t in (clean_surface(t) for t in texts) if (qid, t) not in ORG_DROP_ALIASES]
        for text in [label, *texts]:
            for old, new in _ORG_VARIANTS:
                if old in text:
                    texts.append(text.replace(old, new))
        for alias in texts:
            if org_alias_ok(alias):
                ent.add_alias(alias)
        entities.append(ent)
    return entities, skipped


# ---------------------------------------------------------------------------------------------
# news actors: our table + Phoenix (MIT) aliases

TSV_COLUMNS: Final = ("qid", "label", "type", "aliases", "note")

#: first words of Phoenix phrases that are titles, roles or descriptions, not names
PHOENIX_TITLE_WORDS: Final = frozenset(
    {
        "AMBASSADOR", "AYATOLLAH", "CHAIRMAN", "CHIEF", "COMMANDER", "CROWN", "DEFENCE",
        "DEFENSE", "DR", "EGYPTIAN", "EMIR", "ENVOY", "FIELD", "FOREIGN", "FORMER", "GEN",
        "GENERAL", "GOVERNOR", "GRAND", "IRANIAN", "ISRAELI", "KING", "LEADER", "MINISTER",
        "MR", "MRS", "MS", "PALESTINIAN", "PREMIER", "PRESIDENT", "PRIME", "PRINCE", "QUEEN",
        "SECRETARY", "SEN", "SENATOR", "SHEIKH", "SPEAKER", "SPOKESMAN", "SUPREME", "US",
        "U.S.", "VICE", "VICE-PRESIDENT",
    }
)  # fmt: skip
#: words that mark a Phoenix phrase as a description or a role, wherever they appear
PHOENIX_ROLE_WORDS: Final = frozenset(
    {
        "ADMINISTRATION", "AFFILIATED", "BASED", "GOVERNMENT", "LINKED", "MEMBERS",
        "MINISTER", "OFFICIAL", "OFFICIALS", "OFFSHOOT", "OPERATIVES", "PRESIDENT", "REGIME",
        "SECRETARY", "SPOKESMAN", "SPOKESPERSON", "SPOKESWOMAN", "STAFF",
    }
)  # fmt: skip
#: Phoenix synonyms that name another entity than the curated one (reviewed by hand)
PHOENIX_REJECT: Final[dict[str, frozenset[str]]] = {
    "Gaza Strip": frozenset({"GAZAN"}),
    "Hamas": frozenset({"AL AQSA FOUNDATION", "KHALED MESHAAL"}),
    "al-Qaeda": frozenset({"QAEDA GROUP"}),
    "Islamic Revolutionary Guard Corps": frozenset({"BASIJ"}),
    "White House": frozenset(
        {"WEST WING", "EXECUTIVE OFFICE OF THE PRESIDENT OF THE UNITED STATES"}
    ),
    "BBC": frozenset({"BRITISH BROADCASTING SERVICE", "BBC WORLD SERVICE"}),
}
#: words too common in group names to show that two names mean the same group
PHOENIX_GENERIC_WORDS: Final = frozenset(
    {
        "AGENCY", "ARMY", "BRIGADE", "BRIGADES", "COMMITTEE", "COUNCIL", "DEMOCRATIC",
        "DEPARTMENT", "FORCE", "FORCES", "FRONT", "GROUP", "INTERNATIONAL", "ISLAMIC",
        "LIBERATION", "MINISTRY", "MOVEMENT", "NATIONAL", "NEWS", "ORGANISATION",
        "ORGANIZATION", "PARTY", "PEOPLE", "PEOPLES", "POPULAR", "PRESS", "REPUBLIC",
        "REVOLUTIONARY", "SECURITY", "SOCIETY", "STATE", "STATES", "UNION", "UNITED",
    }
)  # fmt: skip
_ROMAN_RE: Final = re.compile(r"[IVX]{2,}")
_LOWER_PARTICLES: Final = frozenset(
    {"al", "el", "ad", "ed", "bin", "ibn", "bint", "fi", "wa", "de", "du", "da", "der",
     "van", "von", "of", "the", "and", "for", "in", "on", "at"}
)  # fmt: skip


@dataclass
class CuratedRow:
    qid: str
    label: str
    type: str
    aliases: list[str]
    note: str


def read_curated(path: Path) -> list[CuratedRow]:
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and ln[0] != "#"]
    reader = csv.reader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader)
    if tuple(header) != TSV_COLUMNS:
        raise ValueError(f"{path}: header must be the columns {', '.join(TSV_COLUMNS)}")
    rows = []
    for number, cells in enumerate(reader, 2):
        if len(cells) != len(TSV_COLUMNS):
            raise ValueError(f"{path}: data row {number} has {len(cells)} columns")
        qid, label, kind, aliases, note = (c.strip() for c in cells)
        if qid and not QID_RE.match(qid):
            raise ValueError(f"{path}: {label}: malformed qid {qid!r}")
        if not qid and "unverified" not in note:
            raise ValueError(f"{path}: {label}: an empty qid needs 'unverified' in the note")
        if kind not in NER_OF_TYPE:
            raise ValueError(f"{path}: {label}: unknown type {kind!r}")
        alias_list = [a.strip() for a in aliases.split("|") if a.strip()]
        rows.append(CuratedRow(qid, label, kind, alias_list, note))
    return rows


def phoenix_key(phrase: str) -> str:
    """Comparison key for names: upper case, no punctuation, no leading article.

    >>> phoenix_key("al-Qassam Brigades") == phoenix_key("AL_QASSAM_BRIGADES_")
    True
    """
    text = phrase.upper().replace("_", " ").replace("-", " ")
    text = re.sub(r"[.'’]", "", text)
    text = " ".join(text.split())
    return text[4:] if text.startswith("THE ") else text


def _phoenix_phrase(raw: str) -> str | None:
    text = raw.split("#", 1)[0]
    text = re.sub(r"\[[^\]]*\]|\{[^}]*\}|\([^)]*\)", " ", text)
    text = text.strip().strip("_").replace("_", " ")
    text = " ".join(text.split())
    if not text or "+" in text or not re.search("[A-Z]", text):
        return None
    return text


def read_phoenix(paths: Sequence[Path]) -> dict[str, list[str]]:
    """Phoenix actor records as primary-phrase key -> all phrases of the record(s).

    A record is a primary phrase followed by ``+synonym`` lines; tab-indented lines carry
    codes and dates and are ignored.
    """
    records: dict[str, list[str]] = {}
    current: list[str] | None = None
    for path in paths:
        with path.open(encoding="utf-8", errors="replace") as fh:
            for line in fh:
                line = line.rstrip("\r\n")
                if not line.strip() or line.lstrip().startswith("#") or line[0] in " \t":
                    continue
                if line.startswith("+"):
                    phrase = _phoenix_phrase(line[1:])
                    if current is not None and phrase:
                        current.append(phrase)
                    continue
                phrase = _phoenix_phrase(line)
                if phrase is None:
                    current = None
                    continue
                current = records.setdefault(phoenix_key(phrase), [])
                current.append(phrase)
    return records


def _recase_part(part: str, first: bool) -> str:
    low = part.lower()
    if low in _LOWER_PARTICLES and not first:
        return low
    if _ROMAN_RE.fullmatch(part):
        return part
    if low.startswith("mc") and len(low) > 2:
        return "Mc" + low[2:].capitalize()
    pieces = low.split("'")
    # O'Brien, D'Souza -- but Qa'ida, Da'esh, Anarchists'
    out = pieces[0].capitalize()
    for piece in pieces[1:]:
        out += "'" + (piece.capitalize() if len(pieces[0]) == 1 else piece)
    return out


def recase(phrase: str) -> str:
    """Phoenix phrases are upper case; write them the way news text does.

    >>> recase("ABDEL FATTAH AL-SISI"), recase("AL-JAZEERA"), recase("IDF")
    ('Abdel Fattah al-Sisi', 'Al-Jazeera', 'IDF')
    >>> recase("ABDALLAH II"), recase("AL QA'IDA"), recase("DA'ESH")
    ('Abdallah II', "Al Qa'ida", "Da'esh")
    """
    words = phrase.split()
    if len(words) == 1 and len(phrase) <= 4 and phrase.isalpha():
        return phrase
    return " ".join(
        "-".join(_recase_part(part, i == 0 and j == 0) for j, part in enumerate(word.split("-")))
        for i, word in enumerate(words)
    )


def _significant_tokens(keys: Iterable[str], places: frozenset[str]) -> set[str]:
    return {
        w
        for key in keys
        for w in key.split()
        if len(w) >= 4 and w not in PHOENIX_GENERIC_WORDS and w not in places
    }


def _mentions_other_place(key: str, own_keys: set[str], places: frozenset[str]) -> bool:
    """True for "AL QAEDA IN IRAQ" when the curated names never mention Iraq."""
    padded = f" {key} "
    own = " | ".join(f" {k} " for k in own_keys)
    return any(f" {p} " in padded and f" {p} " not in own for p in places)


def phoenix_aliases(
    row: CuratedRow, phoenix: dict[str, list[str]], places: frozenset[str]
) -> list[str]:
    """Phoenix synonyms of the records whose primary phrase is the curated label or an alias.

    Phoenix groups loosely (a record may hold a group's leaders, sister groups, officials), so
    a synonym is kept only if it looks like a name of *this* entity: no title or role words,
    no country or nationality the curated names do not mention, for a person the surname, for
    anything else a distinctive word in common or a spelling close to a curated name.
    """
    own_keys = {phoenix_key(s) for s in [row.label, *row.aliases]}
    own_tokens = _significant_tokens(own_keys, places)
    surname = phoenix_key(row.label).split()[-1]
    reject = PHOENIX_REJECT.get(row.label, frozenset())
    found: list[str] = []
    for key in sorted(own_keys):
        for phrase in phoenix.get(key, []):
            pkey = phoenix_key(phrase)
            words = pkey.split()
            if pkey in reject or not words or len(pkey) < 3 or len(pkey) > 60:
                continue
            if words[0] in PHOENIX_TITLE_WORDS or any(w in PHOENIX_ROLE_WORDS for w in words):
                continue
            if any(w.endswith("BASED") for w in words) or _mentions_other_place(
                pkey, own_keys, places
            ):
                continue
            if row.type == "Person":
                if surname not in words:
                    continue
            elif not (own_tokens & set(words)) and not any(
                difflib.SequenceMatcher(None, pkey, k).ratio() >= 0.75 for k in own_keys
            ):
                continue
            found.append(recase(phrase))
    return found


def build_news_actors(
    rows: list[CuratedRow],
    phoenix: dict[str, list[str]],
    protected: set[str],
    places: frozenset[str],
) -> tuple[list[Entity], int]:
    """Curated entities; Phoenix aliases are added unless another entity owns that name."""
    entities = []
    curated_surfaces: dict[str, int] = {}
    for i, row in enumerate(rows):
        for s in [row.label, *row.aliases]:
            curated_surfaces.setdefault(s.casefold(), i)
    added = 0
    for i, row in enumerate(rows):
        ent = Entity(qid=row.qid, label=row.label, type=row.type, source="curated")
        for alias in row.aliases:
            ent.add_alias(alias)
        own = {a.casefold() for a in ent.surfaces()}
        for phrase in phoenix_aliases(row, phoenix, places):
            alias = clean_surface(phrase)
            key = alias.casefold()
            if key in own or key in protected or curated_surfaces.get(key, i) != i:
                continue
            if not usable_alias(alias):
                continue
            ent.add_alias(alias)
            own.add(key)
            ent.source = "curated+phoenix"
            added += 1
        entities.append(ent)
    return entities, added


# ---------------------------------------------------------------------------------------------
# driver


def write_jsonl(path: Path, entities: Iterable[Entity]) -> int:
    ordered = sorted(entities, key=lambda e: (e.label.casefold(), e.label, e.qid))
    data = "".join(e.to_json() + "\n" for e in ordered)
    path.write_bytes(data.encode("utf-8"))
    return len(ordered)


def check_shared(shared: Path) -> str | None:
    """A one-line problem description, or None when every source file is present."""
    if not shared.is_dir():
        return f"shared data folder not found: {shared} (pass --shared PATH)"
    for rel in (OWID_CSV, MLEDOZE_JSON, SUPRAVERDEN_YAML, *PHOENIX_ACTORS):
        if not (shared / rel).is_file():
            return f"source file missing in the shared folder: {shared / rel}"
    return None


def _all_surfaces(entities: Iterable[Entity]) -> Iterator[str]:
    for ent in entities:
        yield from ent.surfaces()


def build(shared: Path, out: Path) -> dict[str, int]:
    rows = read_curated(CURATED_TSV)
    curated_qids = {r.qid for r in rows if r.qid}
    countries, skipped_c = build_countries(shared, curated_qids)
    organisations, skipped_o = build_organisations(shared, curated_qids)

    curated_surfaces = {s.casefold() for r in rows for s in [r.label, *r.aliases]}
    for ent in countries + organisations:
        ent.finish()
    resolve_collisions(countries, protected=curated_surfaces)
    resolve_collisions(organisations, protected=curated_surfaces)
    generated = {s.casefold() for s in _all_surfaces(countries + organisations)}

    places = frozenset(
        phoenix_key(s)
        for ent in countries
        for s in [*ent.surfaces(), *ent.demonyms]
        if ent.type == "Country"
    )
    phoenix = read_phoenix([shared / p for p in PHOENIX_ACTORS])
    actors, phoenix_added = build_news_actors(rows, phoenix, generated, places)
    for ent in actors:
        ent.finish()
    resolve_collisions(actors)

    out.mkdir(parents=True, exist_ok=True)
    counts = {
        "countries.jsonl": write_jsonl(out / "countries.jsonl", countries),
        "organisations.jsonl": write_jsonl(out / "organisations.jsonl", organisations),
        "news_actors.jsonl": write_jsonl(out / "news_actors.jsonl", actors),
    }
    for note in skipped_c + skipped_o:
        print(f"  skipped {note}")
    print(f"  Phoenix aliases added to news actors: {phoenix_added}")
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="shared data folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="output directory")
    args = parser.parse_args(argv)
    shared: Path = args.shared
    problem = check_shared(shared)
    if problem:
        print(f"build_gazetteer: error: {problem}", file=sys.stderr)
        return 2
    counts = build(shared, args.out)
    total = sum(counts.values())
    for name, count in counts.items():
        print(f"{name}: {count} entities")
    print(f"total: {total} entities written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
