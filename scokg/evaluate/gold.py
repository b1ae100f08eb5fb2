"""Gold annotation files: load them and check them before anything is scored.

A gold file (``<document stem>.gold.json``, format in ``GUIDELINES.md``) lists for one
document every entity and fact a perfect extractor would produce::

    {"document": "2017-06-09-astana-summit-press-release.txt",
     "entities": [{"key": "kazakhstan", "type": "State", "names": ["Kazakhstan"]}, ...],
     "facts": [["location", "astana-summit-2017", "astana"],
               ["position", "nursultan-nazarbayev", "President", ["kazakhstan"]],
               ["memberOf", "kazakhstan", "sco", {"optional": true}], ...]}

A file that breaks the format is refused with an :class:`~scokg.errors.InputError` that
names the file and the offending entry, so that a typo in an annotation never turns
silently into a lower score.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

from scokg.errors import InputError

GOLD_SUFFIX = ".gold.json"

# The six entity types of the guidelines, in the order reports list them.
ENTITY_TYPES = ("State", "Person", "Organisation", "Instrument", "Event", "City")

# The fact kinds of the guidelines, in the order reports list them.
FACT_KINDS = (
    "participant",
    "chair",
    "position",
    "location",
    "startDate",
    "endDate",
    "memberOf",
    "observerOf",
    "dialoguePartnerOf",
    "signingDate",
    "signingPlace",
    "adoptedAt",
    "locatedIn",
)
# Kinds whose object is a date, compared by its lexical form ("2017-06-08", "2018-06", "2016").
DATE_KINDS = frozenset({"startDate", "endDate", "signingDate"})
# Kinds that are never required nor penalised, whatever the file says (world knowledge).
ALWAYS_OPTIONAL_KINDS = frozenset({"locatedIn"})

_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class GoldEntity:
    """One entity of a gold file. ``meeting`` is only meaningful for events."""

    key: str
    type: str
    names: tuple[str, ...]
    meeting: bool = False
    optional: bool = False

    @property
    def display(self) -> str:
        """``key "first name"``, for reports."""
        return f'{self.key} "{self.names[0]}"'


@dataclass(frozen=True)
class GoldFact:
    """One fact of a gold file.

    ``object`` is an entity key, an ISO date (for :data:`DATE_KINDS`) or, for
    ``position``, the title; ``holders`` are then the acceptable holder keys.
    """

    kind: str
    subject: str
    object: str
    holders: tuple[str, ...] = ()
    optional: bool = False

    @property
    def entity_keys(self) -> tuple[str, ...]:
        """Every entity key the fact refers to (dates and titles excluded)."""
        if self.kind == "position":
            return (self.subject, *self.holders)
        if self.kind in DATE_KINDS:
            return (self.subject,)
        return (self.subject, self.object)

    @property
    def display(self) -> str:
        """The fact as a readable line, e.g. ``location: astana-summit-2017 -> astana``."""
        if self.kind == "position":
            return f'position: {self.subject} is "{self.object}" of {" or ".join(self.holders)}'
        return f"{self.kind}: {self.subject} -> {self.object}"


@dataclass(frozen=True)
class GoldDocument:
    """A loaded gold file. ``doc_id`` is the stem of ``document`` (its named graph's name)."""

    path: Path
    document: str
    doc_id: str
    entities: dict[str, GoldEntity]
    facts: tuple[GoldFact, ...]


def load_gold_dir(directory: Path) -> list[GoldDocument]:
    """Every ``*.gold.json`` file of ``directory`` (not recursive), sorted by file name.

    Fails when the folder holds none, or when two files annotate the same document.
    """
    if not directory.is_dir():
        raise InputError(directory, "not a folder of gold files")
    paths = sorted(directory.glob("*" + GOLD_SUFFIX))
    if not paths:
        raise InputError(directory, f"no *{GOLD_SUFFIX} files here")
    documents: list[GoldDocument] = []
    seen: dict[str, Path] = {}
    for path in paths:
        gold = load_gold_file(path)
        if gold.doc_id in seen:
            raise InputError(
                path, f"document {gold.document} is already annotated in {seen[gold.doc_id].name}"
            )
        seen[gold.doc_id] = path
        documents.append(gold)
    return documents


def load_gold_file(path: Path) -> GoldDocument:
    """Read and check one gold file; any problem is an :class:`InputError` naming it."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(path, "not UTF-8 text") from None
    except OSError as exc:
        raise InputError(path, f"cannot read it ({exc.strerror})") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(path, f"not valid JSON (line {exc.lineno}: {exc.msg})") from None
    return _GoldReader(path).read(data)


class _GoldReader:
    """Checks the parsed JSON of one file, raising on the first problem found."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, reason: str) -> InputError:
        return InputError(self.path, reason)

    def read(self, data: Any) -> GoldDocument:
        if not isinstance(data, dict):
            raise self.fail("the top level must be a JSON object")
        unknown = set(data) - {"document", "entities", "facts"}
        if unknown:
            raise self.fail(f"unknown field(s) {', '.join(sorted(unknown))}")
        document = data.get("document")
        if not isinstance(document, str) or not document.strip():
            raise self.fail('"document" must be the file name of the annotated text')
        if PurePosixPath(document).name != document or PureWindowsPath(document).name != document:
            raise self.fail(f'"document" must be a bare file name, not a path: {document!r}')
        entities = self.read_entities(data.get("entities"))
        facts = self.read_facts(data.get("facts"), entities)
        return GoldDocument(
            path=self.path,
            document=document,
            doc_id=PurePosixPath(document).stem,
            entities=entities,
            facts=facts,
        )

    # -- entities --------------------------------------------------------------------------
    def read_entities(self, raw: Any) -> dict[str, GoldEntity]:
        if not isinstance(raw, list):
            raise self.fail('"entities" must be a list')
        entities: dict[str, GoldEntity] = {}
        for number, item in enumerate(raw, start=1):
            entity = self.read_entity(number, item)
            if entity.key in entities:
                raise self.fail(f'entity {number}: key "{entity.key}" is used twice')
            entities[entity.key] = entity
        return entities

    def read_entity(self, number: int, item: Any) -> GoldEntity:
        where = f"entity {number}"
        if not isinstance(item, dict):
            raise self.fail(f"{where}: must be a JSON object")
        key = item.get("key")
        if not isinstance(key, str) or not key.strip():
            raise self.fail(f'{where}: "key" must be a non-empty string')
        where = f'entity {number} ("{key}")'
        unknown = set(item) - {"key", "type", "names", "meeting", "optional"}
        if unknown:
            raise self.fail(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        type_ = item.get("type")
        if type_ not in ENTITY_TYPES:
            raise self.fail(
                f"{where}: type {json.dumps(type_)} is not one of {', '.join(ENTITY_TYPES)}"
            )
        names = item.get("names")
        if (
            not isinstance(names, list)
            or not names
            or not all(isinstance(n, str) and n.strip() for n in names)
        ):
            raise self.fail(f'{where}: "names" must be a non-empty list of non-empty strings')
        meeting = item.get("meeting", False)
        if not isinstance(meeting, bool):
            raise self.fail(f'{where}: "meeting" must be true or false')
        if meeting and type_ != "Event":
            raise self.fail(f'{where}: "meeting" is only for entities of type Event')
        optional = item.get("optional", False)
        if not isinstance(optional, bool):
            raise self.fail(f'{where}: "optional" must be true or false')
        return GoldEntity(
            key=key, type=type_, names=tuple(names), meeting=meeting, optional=optional
        )

    # -- facts -----------------------------------------------------------------------------
    def read_facts(self, raw: Any, entities: dict[str, GoldEntity]) -> tuple[GoldFact, ...]:
        if not isinstance(raw, list):
            raise self.fail('"facts" must be a list')
        facts = [self.read_fact(number, item, entities) for number, item in enumerate(raw, 1)]
        return tuple(_merge_duplicates(facts))

    def read_fact(self, number: int, item: Any, entities: dict[str, GoldEntity]) -> GoldFact:
        where = f"fact {number}"
        if not isinstance(item, list) or not item:
            raise self.fail(f"{where}: must be a list such as [kind, subject, object]")
        kind = item[0]
        if kind not in FACT_KINDS:
            raise self.fail(
                f"{where}: kind {json.dumps(kind)} is not one of {', '.join(FACT_KINDS)}"
            )
        where = f"fact {number} ({json.dumps(item, ensure_ascii=False)})"
        parts = list(item[1:])
        optional = False
        if parts and isinstance(parts[-1], dict):
            optional = self.read_flags(where, parts.pop())
        expected = 3 if kind == "position" else 2
        if len(parts) != expected:
            form = "[kind, person, title, [holder, ...]]" if kind == "position" else None
            raise self.fail(f"{where}: expected the form {form or '[kind, subject, object]'}")
        subject = self.entity_key(where, parts[0], entities)
        if kind == "position":
            title, holders = parts[1], parts[2]
            if not isinstance(title, str) or not title.strip():
                raise self.fail(f"{where}: the title must be a non-empty string")
            if not isinstance(holders, list) or not holders:
                raise self.fail(f"{where}: the holders must be a non-empty list of keys")
            keys = tuple(self.entity_key(where, h, entities) for h in holders)
            return GoldFact(kind, subject, title, holders=keys, optional=optional)
        if kind in DATE_KINDS:
            return GoldFact(kind, subject, self.date(where, parts[1]), optional=optional)
        target = self.entity_key(where, parts[1], entities)
        return GoldFact(kind, subject, target, optional=optional)

    def read_flags(self, where: str, flags: dict[str, Any]) -> bool:
        if set(flags) != {"optional"} or not isinstance(flags["optional"], bool):
            raise self.fail(f'{where}: the last element may only be {{"optional": true}}')
        return flags["optional"]

    def entity_key(self, where: str, value: Any, entities: dict[str, GoldEntity]) -> str:
        if not isinstance(value, str):
            raise self.fail(f"{where}: {json.dumps(value)} is not an entity key")
        if value not in entities:
            raise self.fail(f'{where}: "{value}" is not the key of an entity of this file')
        return value

    def date(self, where: str, value: Any) -> str:
        if isinstance(value, str) and _is_iso_date(value):
            return value
        raise self.fail(
            f"{where}: {json.dumps(value)} is not an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)"
        )


def _is_iso_date(value: str) -> bool:
    match = _DATE.fullmatch(value)
    if match is None:
        return False
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return False
    return True


def _merge_duplicates(facts: Iterable[GoldFact]) -> list[GoldFact]:
    """One fact per distinct content; it is required when any of its copies is required."""
    merged: dict[tuple[str, str, str, frozenset[str]], GoldFact] = {}
    for fact in facts:
        identity = (fact.kind, fact.subject, fact.object, frozenset(fact.holders))
        earlier = merged.get(identity)
        if earlier is None or (earlier.optional and not fact.optional):
            merged[identity] = fact
    return list(merged.values())
