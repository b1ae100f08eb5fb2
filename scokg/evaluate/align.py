"""Which graph entity is which gold entity, for one document.

The graph names entities by IRI and the gold files by key; the only thing they share is
what the text calls them. So:

1. A graph entity and a gold entity are *candidates* when their types agree and they
   share a name after :func:`~scokg.evaluate.names.normalise_name` (the graph entity's
   names are its mentions in the document plus its ``rdfs:label``/``skos:altLabel``).
2. Several gold entities may share a name (the press release's two "RATS Council
   meetings"); candidates are ranked by, in this order:

   a. agreement of their literal facts - start, end and signing dates: +1 for every
      (kind, date) both sides state, -1 for every kind both state with no date in common;
   b. fact overlap: how many of the gold entity's facts the graph entity has with the
      same kind and role and a partner that is a candidate for the gold partner;
   c. the number of names they share;
   d. a required gold entity before an optional one;

   and then by the gold file's order and the IRI, so the result never depends on chance.
3. Pairs are taken greedily from the best down, each entity at most once: a one-to-one
   alignment. Anything left over is unaligned.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from scokg.evaluate.gold import DATE_KINDS, GoldDocument
from scokg.evaluate.graph_view import GraphDocument, GraphFact
from scokg.evaluate.names import normalise_name

# A fact seen from one of its entities: (kind, role, partner). Role "s" when the entity is
# the subject, "o" when it is the object (a position's holder is its object).
_Edge = tuple[str, str, str]


@dataclass(frozen=True)
class Alignment:
    """The one-to-one pairing of graph IRIs with gold keys, and who shares a name."""

    graph_to_gold: dict[str, str]
    gold_to_graph: dict[str, str]
    # For every graph entity, the gold keys (of any type) it shares a name with.
    same_name: dict[str, tuple[str, ...]]

    def key_of(self, iri: str) -> str | None:
        """The gold key a graph entity is aligned to, if any."""
        return self.graph_to_gold.get(iri)


def align(gold: GoldDocument, graph: GraphDocument) -> Alignment:
    """Align the entities of one document (see the module docstring for the rules)."""
    by_name: dict[str, list[str]] = defaultdict(list)
    for key, entity in gold.entities.items():
        for name in {normalise_name(n) for n in entity.names}:
            by_name[name].append(key)

    index = {key: i for i, key in enumerate(gold.entities)}
    same_name: dict[str, tuple[str, ...]] = {}
    candidates: dict[str, list[str]] = {}
    for iri, found in graph.entities.items():
        keys: list[str] = []
        for name in {normalise_name(n) for n in found.all_names}:
            keys.extend(k for k in by_name.get(name, ()) if k not in keys)
        keys.sort(key=index.__getitem__)
        same_name[iri] = tuple(keys)
        if found.type is not None:
            candidates[iri] = [k for k in keys if gold.entities[k].type == found.type]

    gold_edges = _gold_edges(gold)
    graph_edges = _graph_edges(graph.facts)
    gold_dates = _gold_dates(gold)
    graph_dates = _graph_dates(graph.facts)

    ranked: list[tuple[tuple[int, int, int, int, int, str], str, str]] = []
    for iri, keys in candidates.items():
        names = {normalise_name(n) for n in graph.entities[iri].all_names}
        for key in keys:
            gold_entity = gold.entities[key]
            shared = len(names & {normalise_name(n) for n in gold_entity.names})
            dates = _date_agreement(gold_dates.get(key, {}), graph_dates.get(iri, {}))
            overlap = _overlap(gold_edges.get(key, set()), graph_edges.get(iri, set()), candidates)
            rank = (-dates, -overlap, -shared, int(gold_entity.optional), index[key], iri)
            ranked.append((rank, iri, key))
    ranked.sort()

    graph_to_gold: dict[str, str] = {}
    gold_to_graph: dict[str, str] = {}
    for _, iri, key in ranked:
        if iri not in graph_to_gold and key not in gold_to_graph:
            graph_to_gold[iri] = key
            gold_to_graph[key] = iri
    return Alignment(graph_to_gold, gold_to_graph, same_name)


def _gold_edges(gold: GoldDocument) -> dict[str, set[_Edge]]:
    edges: dict[str, set[_Edge]] = defaultdict(set)
    for fact in gold.facts:
        if fact.kind in DATE_KINDS:
            continue
        partners = fact.holders if fact.kind == "position" else (fact.object,)
        for partner in partners:
            edges[fact.subject].add((fact.kind, "s", partner))
            edges[partner].add((fact.kind, "o", fact.subject))
    return edges


def _graph_edges(facts: frozenset[GraphFact]) -> dict[str, set[_Edge]]:
    edges: dict[str, set[_Edge]] = defaultdict(set)
    for fact in facts:
        if fact.literal:
            continue
        edges[fact.subject].add((fact.kind, "s", fact.object))
        edges[fact.object].add((fact.kind, "o", fact.subject))
    return edges


def _overlap(gold: set[_Edge], graph: set[_Edge], candidates: dict[str, list[str]]) -> int:
    """How many gold edges have a graph edge of the same kind and role to a candidate."""
    return sum(
        1
        for kind, role, partner in gold
        if any(
            k == kind and r == role and partner in candidates.get(other, ())
            for k, r, other in graph
        )
    )


def _gold_dates(gold: GoldDocument) -> dict[str, dict[str, set[str]]]:
    dates: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for fact in gold.facts:
        if fact.kind in DATE_KINDS:
            dates[fact.subject][fact.kind].add(fact.object)
    return dates


def _graph_dates(facts: frozenset[GraphFact]) -> dict[str, dict[str, set[str]]]:
    dates: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for fact in facts:
        if fact.kind in DATE_KINDS and fact.literal:
            dates[fact.subject][fact.kind].add(fact.object)
    return dates


def _date_agreement(gold: dict[str, set[str]], graph: dict[str, set[str]]) -> int:
    score = 0
    for kind in DATE_KINDS:
        ours, theirs = gold.get(kind, set()), graph.get(kind, set())
        common = len(ours & theirs)
        if common:
            score += common
        elif ours and theirs:
            score -= 1
    return score
