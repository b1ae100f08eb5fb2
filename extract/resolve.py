"""Cross-document entity resolution: one identifier per real thing across all documents.

Gazetteer entities keep their gazetteer key. Other entities are joined when their names
normalise to the same key (``names.name_key``: case, articles, spelling variants, a
parenthesis do not matter); people when their first name (or initial) and surname agree
up to a small spelling difference; events when they are meetings of the same body (or have
the same name) at overlapping dates. Every surface form becomes an alternative label.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from scokg.extract.gazetteer import Gazetteer, load
from scokg.extract.model import DocumentExtraction, Entity
from scokg.extract.names import (
    close_spelling,
    fold,
    name_key,
    person_key,
    slugify,
    transliteration_key,
)


@dataclass
class ResolvedEntity:
    slug: str
    type: str
    label: str
    subtype: str | None = None
    meeting: bool = False
    alt_labels: list[str] = field(default_factory=list)
    qid: str | None = None
    located_in: str | None = None
    documents: list[str] = field(default_factory=list)


@dataclass
class ResolvedPosition:
    slug: str
    label: str
    title: str
    holder: str


@dataclass
class ResolvedCorpus:
    documents: list[DocumentExtraction]
    entities: dict[str, ResolvedEntity]
    # document id -> local entity id -> slug
    ids: dict[str, dict[str, str]]
    positions: dict[str, ResolvedPosition]
    _posts: dict[tuple[str, str], ResolvedPosition] = field(default_factory=dict)

    def slug(self, doc_id: str, local_id: str) -> str:
        return self.ids[doc_id][local_id]

    def position(self, title: str, holder: str) -> ResolvedPosition:
        """The post ``title`` of ``holder``; posts written differently ("Secretary General",
        "Secretary-General") stay apart, so each keeps the title as its texts write it."""
        holder_label = self.entities[holder].label
        label = f"{title} of {holder_label}"
        known = self._posts.get((title, holder))
        if known is not None:
            return known
        base = slug = slugify(label)
        n = 2
        while slug in self.positions or slug in self.entities:
            slug = f"{base}-{n}"
            n += 1
        pos = ResolvedPosition(slug, label, title, holder)
        self.positions[slug] = pos
        self._posts[(title, holder)] = pos
        return pos


class _UnionFind:
    def __init__(self) -> None:
        self.parent: dict[tuple[str, str], tuple[str, str]] = {}

    def find(self, x: tuple[str, str]) -> tuple[str, str]:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: tuple[str, str], b: tuple[str, str]) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _date_ranges(documents: Sequence[DocumentExtraction]) -> dict[tuple[str, str], tuple[str, str]]:
    """(document, event) -> (start, end), read in one pass over the facts."""
    starts: dict[tuple[str, str], str] = {}
    ends: dict[tuple[str, str], str] = {}
    for doc in documents:
        for f in doc.facts:
            if f.kind == "startDate":
                starts.setdefault((doc.doc_id, f.subject), f.object)
            elif f.kind == "endDate":
                ends.setdefault((doc.doc_id, f.subject), f.object)
    return {node: (start, ends.get(node, start)) for node, start in starts.items()}


def _person_block(name: str) -> tuple[str, str]:
    initial, surname = person_key(name)
    return initial, transliteration_key(surname)[:2]


def _overlap(a: tuple[str, str] | None, b: tuple[str, str] | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return not (a[1] < b[0][: len(a[1])] or b[1] < a[0][: len(b[1])])


def _is_full_name(name: str) -> bool:
    first = name.split()[0]
    return len(first.rstrip(".")) > 2 and not first.endswith(".")


def resolve(documents: Sequence[DocumentExtraction]) -> ResolvedCorpus:
    """Give every entity of every document its global slug."""
    gaz = load()
    uf = _UnionFind()
    members: dict[tuple[str, str], Entity] = {}
    for doc in documents:
        for ent in doc.entities.values():
            node = (doc.doc_id, ent.id)
            members[node] = ent
            uf.find(node)

    # gazetteer entities: one node per key
    by_key: dict[str, tuple[str, str]] = {}
    for node, ent in members.items():
        if ent.key:
            anchor = by_key.setdefault(ent.key, node)
            uf.union(anchor, node)

    # other entities by name key and type
    by_name: dict[tuple[str, str], tuple[str, str]] = {}
    for node, ent in sorted(members.items()):
        if ent.key or ent.type in {"Event", "Person"}:
            continue
        for name in ent.names:
            k = (ent.type, name_key(name))
            if k in by_name:
                uf.union(by_name[k], node)
            else:
                by_name[k] = node

    # people: same first name (or initial) and nearly the same surname
    people = [
        (node, ent) for node, ent in sorted(members.items()) if ent.type == "Person" and not ent.key
    ]
    # The same written names are the same person: one of them stands for the others below,
    # so that a minister named in a thousand documents is compared once, not a million times.
    by_names: dict[tuple[str, ...], tuple[str, str]] = {}
    distinct: list[tuple[tuple[str, str], Entity]] = []
    for node, ent in people:
        names = tuple(sorted(set(ent.names)))
        if names in by_names:
            uf.union(by_names[names], node)
        else:
            by_names[names] = node
            distinct.append((node, ent))
    # compared only within blocks of the same initial and surname start, so the work grows
    # with the corpus, not with its square
    blocks: dict[tuple[str, str], list[tuple[tuple[str, str], Entity]]] = {}
    for node, ent in distinct:
        for block in {_person_block(n) for n in ent.names}:
            blocks.setdefault(block, []).append((node, ent))
    for block_people in blocks.values():
        _merge_people(block_people, uf)

    # events: same body or name, overlapping dates
    ranges = _date_ranges(documents)
    by_event_key: dict[str, list[tuple[tuple[str, str], Entity]]] = {}
    for node, ent in sorted(members.items()):
        if ent.type == "Event" and not ent.key:
            by_event_key.setdefault(ent.attrs.get("key", ""), []).append((node, ent))
    for events in by_event_key.values():
        _merge_events(events, ranges, uf)

    groups: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for node in members:
        groups.setdefault(uf.find(node), []).append(node)

    entities: dict[str, ResolvedEntity] = {}
    ids: dict[str, dict[str, str]] = {d.doc_id: {} for d in documents}
    for _root, nodes in sorted(groups.items(), key=lambda kv: _sort_key(kv[1], members)):
        group = [members[n] for n in nodes]
        resolved = _describe(group, [ranges[n][0] for n in nodes if n in ranges], gaz)
        slug = resolved.slug
        n = 2
        while slug in entities:
            slug = f"{resolved.slug}-{n}"
            n += 1
        resolved.slug = slug
        resolved.documents = sorted({n[0] for n in nodes if members[n].mentions})
        entities[slug] = resolved
        for doc_id, local in nodes:
            ids[doc_id][local] = slug
    # cities lie in states, when both are in the graph
    for resolved_entity in entities.values():
        city = resolved_entity
        if city.type == "City" and city.located_in is not None and city.located_in not in entities:
            city.located_in = None
    return ResolvedCorpus(list(documents), entities, ids, {})


def _sort_key(
    nodes: list[tuple[str, str]], members: dict[tuple[str, str], Entity]
) -> tuple[str, ...]:
    first = min(nodes)
    ent = members[first]
    return (ent.key or "~", first[0], first[1])


GENERIC_EVENT_NAMES = ("meeting", "session", "summit")


def _merge_people(people: list[tuple[tuple[str, str], Entity]], uf: _UnionFind) -> None:
    """Merge the people of one block who are one person. Full names first ("Nurlan Abenov",
    "Nurlan Abenova"); then a person named only by an initial ("N. Abenov") joins the one
    full-named person it fits, and stays apart when it fits two ("Nurlan" and "Nadir"), so
    that an initial never chains two different people together."""
    full = [(node, ent) for node, ent in people if any(_is_full_name(n) for n in ent.names)]
    short = [(node, ent) for node, ent in people if not any(_is_full_name(n) for n in ent.names)]
    for i, (node_a, a) in enumerate(full):
        for node_b, b in full[i + 1 :]:
            if uf.find(node_a) != uf.find(node_b) and _same_person(a, b):
                uf.union(node_a, node_b)
    for i, (node_a, a) in enumerate(short):
        fits = {uf.find(node_b) for node_b, b in full if _same_person(a, b)}
        if len(fits) == 1:
            uf.union(fits.pop(), node_a)
        elif not fits:
            for node_b, b in short[i + 1 :]:
                if uf.find(node_a) != uf.find(node_b) and _same_person(a, b):
                    uf.union(node_a, node_b)


def _merge_events(
    events: list[tuple[tuple[str, str], Entity]],
    ranges: dict[tuple[str, str], tuple[str, str]],
    uf: _UnionFind,
) -> None:
    """Merge the events of one key that are one occurrence: in different documents, either
    both undated and sharing a name that is not a generic "meeting of X", or with overlapping
    dates. Dated events are compared only within the years they span, undated ones only by
    name, so the work grows with the corpus rather than with its square."""
    by_name: dict[str, list[tuple[str, str]]] = {}
    by_year: dict[str, list[tuple[str, str]]] = {}
    for node, ent in events:
        dates = ranges.get(node)
        if dates is None:
            if not any(n.lower().startswith(GENERIC_EVENT_NAMES) for n in ent.names):
                for key in {name_key(n) for n in ent.names}:
                    by_name.setdefault(key, []).append(node)
            continue
        if not (dates[0][:4].isdigit() and dates[1][:4].isdigit()):
            by_year.setdefault("", []).append(node)
            continue
        first, last = int(dates[0][:4]), int(dates[1][:4])
        for year in range(first, max(first, last) + 1):
            by_year.setdefault(str(year), []).append(node)
    for nodes in by_name.values():
        if len({doc for doc, _ in nodes}) > 1:
            for node in nodes[1:]:
                uf.union(nodes[0], node)
    for nodes in by_year.values():
        for i, node_a in enumerate(nodes):
            range_a = ranges[node_a]
            for node_b in nodes[i + 1 :]:
                if node_a[0] != node_b[0] and uf.find(node_a) != uf.find(node_b):
                    if _overlap(range_a, ranges[node_b]):
                        uf.union(node_a, node_b)


def _same_person(a: Entity, b: Entity) -> bool:
    for na in a.names:
        for nb in b.names:
            ia, sa = person_key(na)
            ib, sb = person_key(nb)
            if not close_spelling(sa, sb) or ia != ib:
                continue
            fa, fb = fold(na.split()[0]).rstrip("."), fold(nb.split()[0]).rstrip(".")
            if fa == fb or not (_is_full_name(na) and _is_full_name(nb)):
                return True
    return False


def _describe(group: list[Entity], starts: list[str], gaz: Gazetteer) -> ResolvedEntity:
    first = group[0]
    key = next((e.key for e in group if e.key), None)
    entry = gaz.entries.get(key) if key else None
    typ = entry.type if entry else Counter(e.type for e in group).most_common(1)[0][0]
    names = _names(group)
    if entry is not None:
        label = entry.label
    elif typ == "Person":
        full = [n for n in names if _is_full_name(n)] or names
        label = max(full, key=lambda n: (len(n.split()), len(n)))
    elif typ == "Event":
        capital = [n for n in names if n[:1].isupper() and not n.startswith('"')] or names
        label = min(capital, key=lambda n: (len(n) if len(n) > 12 else 999, n))
    else:
        counts = Counter(names)
        label = max(names, key=lambda n: (counts[n], len(n)))
    if not label:
        label = first.id
    subtype = (
        entry.subtype
        if entry and entry.subtype
        else next((e.subtype for e in group if e.subtype), None)
    )
    meeting = any(e.meeting for e in group)
    if key:
        slug = key
    elif typ == "Event":
        dates = sorted(starts)
        slug = slugify(re.sub(r"^\d{4}\s+", "", label)) + (f"-{dates[0]}" if dates else "")
    else:
        slug = slugify(label)
    return ResolvedEntity(
        slug=slug,
        type=typ,
        label=label,
        subtype=subtype,
        meeting=meeting,
        alt_labels=[n for n in names if n != label],
        qid=entry.qid if entry else None,
        located_in=entry.state if entry else None,
    )


def _names(group: Iterable[Entity]) -> list[str]:
    out: list[str] = []
    for ent in group:
        for name in ent.names:
            if name and name not in out:
                out.append(name)
    return out
