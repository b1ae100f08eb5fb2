"""Counting: true positives, false positives and false negatives per entity type and fact kind.

Entities, per type (after :mod:`scokg.evaluate.align`):

* TP - a required gold entity aligned to a graph entity;
* FN - a required gold entity left unaligned;
* FP - a graph entity of the document left unaligned, except when it is not penalised:
  it shares a name only with *optional* gold entities (whatever their type), or it shares
  no name with any gold entity and every one of its names (its mentions in this document,
  or its labels when it has none) stands, as whole words, inside a longer gold name of the
  document (GUIDELINES: "a graph entity whose every name stands inside a longer gold name").
  A graph entity that shares a name with a *required* gold entity of another type is an FP
  of its own type ("type mismatch"; the gold entity, left unaligned, is an FN of its type).
  One that shares a name with a gold entity of its own type that went to another graph
  entity is an FP ("duplicate").
* A graph entity aligned to an optional gold entity counts nowhere; an entity whose
  classes map to none of the six types is not scored.
* The Event ``meeting`` flag is not part of F1: it is reported as the share of aligned
  required events whose flag (``a sco:Meeting``) equals the gold one.

Facts, per kind: every graph fact is rewritten through the alignment (an aligned entity
becomes its gold key, an unaligned one stays its IRI and so matches nothing; dates compare
by lexical form). A position matches a gold position when the person is the gold person,
the titles are equal after :func:`~scokg.evaluate.names.normalise_name`, and the holder is
any key of the gold holder list.

* Gold facts that are required: not marked ``{"optional": true}``, not ``locatedIn``
  (always optional), and not involving an optional gold entity (for a position: its person,
  or every one of its holders).
* TP - a required gold fact some graph fact matches; FN - one no graph fact matches.
* FP - a graph fact matching no required gold fact, except when it matches an optional
  gold fact, is a ``locatedIn``, or involves a graph entity that counts nowhere (aligned to
  an optional gold entity or not penalised above).
* Duplicates count once: graph facts equal after rewriting are one fact, and a gold fact is
  matched at most once (two positions matching the same gold position are one TP, no FP).

Overall: the micro-average sums TP, FP and FN over every entity and fact row; the
macro-average is the mean of the rows' scores (rows with nothing in them are left out).
Precision is undefined (``None``) without graph items, recall without gold items;
F1 = 2TP / (2TP + FP + FN), which is 0 when one of them is 0 and undefined on an empty row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from statistics import mean

from scokg.evaluate.align import Alignment
from scokg.evaluate.gold import (
    ALWAYS_OPTIONAL_KINDS,
    DATE_KINDS,
    ENTITY_TYPES,
    FACT_KINDS,
    GoldDocument,
    GoldFact,
)
from scokg.evaluate.graph_view import GraphDocument, GraphFact, shorten
from scokg.evaluate.names import normalise_name, stands_inside

# Outcomes of a finding.
FN = "FN"
FP = "FP"
IGNORED = "ignored"
FLAG = "meeting flag"


@dataclass
class Counts:
    """True positives, false positives and false negatives of one row."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def empty(self) -> bool:
        return self.tp + self.fp + self.fn == 0

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        return None if self.empty else 2 * self.tp / (2 * self.tp + self.fp + self.fn)


@dataclass(frozen=True)
class Averages:
    """A macro-average: the mean of the rows' scores (``None`` if no row has one)."""

    precision: float | None
    recall: float | None
    f1: float | None


@dataclass(frozen=True)
class MeetingFlag:
    """How many aligned required events carry the gold ``meeting`` flag."""

    correct: int = 0
    total: int = 0

    def __add__(self, other: MeetingFlag) -> MeetingFlag:
        return MeetingFlag(self.correct + other.correct, self.total + other.total)

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.total if self.total else None


@dataclass(frozen=True)
class Finding:
    """One thing ``--explain`` reports: a miss, a false hit, a wrong flag or an ignored item.

    ``category`` is "entity" or "fact", ``row`` the entity type or fact kind, ``text`` the
    item in readable form and ``note`` why it came out this way (e.g. "type mismatch").
    """

    outcome: str
    category: str
    row: str
    text: str
    note: str = ""


@dataclass
class DocumentScore:
    """The scores of one gold document; ``alignment`` maps graph IRIs to gold keys."""

    document: str
    gold_file: str
    entities: dict[str, Counts]
    facts: dict[str, Counts]
    meeting: MeetingFlag
    alignment: dict[str, str]
    findings: list[Finding] = field(default_factory=list)

    @property
    def entity_total(self) -> Counts:
        return _total(self.entities.values())

    @property
    def fact_total(self) -> Counts:
        return _total(self.facts.values())

    @property
    def micro(self) -> Counts:
        return self.entity_total + self.fact_total


@dataclass
class EvaluationReport:
    """Scores over every gold document, with the per-document breakdown."""

    documents: list[DocumentScore]

    @property
    def entities(self) -> dict[str, Counts]:
        return {t: _total(d.entities[t] for d in self.documents) for t in ENTITY_TYPES}

    @property
    def facts(self) -> dict[str, Counts]:
        return {k: _total(d.facts[k] for d in self.documents) for k in FACT_KINDS}

    @property
    def entity_total(self) -> Counts:
        return _total(self.entities.values())

    @property
    def fact_total(self) -> Counts:
        return _total(self.facts.values())

    @property
    def micro(self) -> Counts:
        return self.entity_total + self.fact_total

    @property
    def macro(self) -> Averages:
        rows = [c for c in [*self.entities.values(), *self.facts.values()] if not c.empty]
        return Averages(
            precision=_mean(c.precision for c in rows),
            recall=_mean(c.recall for c in rows),
            f1=_mean(c.f1 for c in rows),
        )

    @property
    def meeting(self) -> MeetingFlag:
        flag = MeetingFlag()
        for document in self.documents:
            flag = flag + document.meeting
        return flag


def _total(counts: Iterable[Counts]) -> Counts:
    total = Counts()
    for c in counts:
        total = total + c
    return total


def _mean(values: Iterable[float | None]) -> float | None:
    present = [v for v in values if v is not None]
    return mean(present) if present else None


def score_document(gold: GoldDocument, graph: GraphDocument, alignment: Alignment) -> DocumentScore:
    """Count one document (rules in the module docstring)."""
    score = DocumentScore(
        document=gold.document,
        gold_file=gold.path.name,
        entities={t: Counts() for t in ENTITY_TYPES},
        facts={k: Counts() for k in FACT_KINDS},
        meeting=MeetingFlag(),
        alignment=dict(alignment.graph_to_gold),
    )
    not_counted = _score_entities(gold, graph, alignment, score)
    _score_facts(gold, graph, alignment, not_counted, score)
    return score


# -- entities --------------------------------------------------------------------------------
def _score_entities(
    gold: GoldDocument, graph: GraphDocument, alignment: Alignment, score: DocumentScore
) -> set[str]:
    """Fill in the entity rows and the meeting flag; return the IRIs that count nowhere."""
    sharing: dict[str, list[str]] = {}
    for iri, keys in alignment.same_name.items():
        for key in keys:
            sharing.setdefault(key, []).append(iri)

    correct = total = 0
    for key, entity in gold.entities.items():
        aligned = alignment.gold_to_graph.get(key)
        if entity.optional:
            continue
        if aligned is not None:
            score.entities[entity.type].tp += 1
            if entity.type == "Event":
                total += 1
                if graph.entities[aligned].meeting == entity.meeting:
                    correct += 1
                else:
                    said = "a meeting" if graph.entities[aligned].meeting else "not a meeting"
                    score.findings.append(
                        Finding(
                            FLAG,
                            "entity",
                            "Event",
                            f"{entity.display} = {graph.display(aligned)}",
                            f"the graph says {said}",
                        )
                    )
            continue
        score.entities[entity.type].fn += 1
        notes = []
        for other in sharing.get(key, []):
            found = graph.entities[other]
            if found.type is None:
                continue
            if found.type != entity.type:
                notes.append(f"type mismatch: the graph has {graph.display(other)} as {found.type}")
            elif other in alignment.graph_to_gold:
                taken = alignment.graph_to_gold[other]
                notes.append(f"{graph.display(other)} was aligned to {taken} instead")
        score.findings.append(Finding(FN, "entity", entity.type, entity.display, "; ".join(notes)))
    score.meeting = MeetingFlag(correct, total)

    gold_names = {normalise_name(n) for e in gold.entities.values() for n in e.names}
    not_counted: set[str] = set()
    for iri, found in graph.entities.items():
        partner = alignment.key_of(iri)
        if partner is not None:
            if gold.entities[partner].optional:
                not_counted.add(iri)
                score.findings.append(
                    Finding(
                        IGNORED,
                        "entity",
                        gold.entities[partner].type,
                        graph.display(iri),
                        f"aligned to optional gold entity {partner}",
                    )
                )
            continue
        outcome, note = _judge_unaligned(gold, graph, alignment, iri, gold_names)
        row = found.type or "-"
        if outcome == FP and found.type is not None:
            score.entities[found.type].fp += 1
        else:
            not_counted.add(iri)
        score.findings.append(Finding(outcome, "entity", row, graph.display(iri), note))
    return not_counted


def _judge_unaligned(
    gold: GoldDocument,
    graph: GraphDocument,
    alignment: Alignment,
    iri: str,
    gold_names: set[str],
) -> tuple[str, str]:
    """FP or ignored, and why, for a graph entity that no gold entity was aligned to."""
    found = graph.entities[iri]
    if found.type is None:
        classes = ", ".join(sorted(shorten(c) for c in found.classes)) or "none"
        return IGNORED, f"no gold type for its classes ({classes})"
    shared = [gold.entities[k] for k in alignment.same_name.get(iri, ())]
    required = [e for e in shared if not e.optional]
    mismatched = [e for e in required if e.type != found.type]
    if mismatched:
        e = mismatched[0]
        return FP, f"type mismatch: gold {e.key} is {e.type}"
    if required:
        e = required[0]
        holder = alignment.gold_to_graph.get(e.key)
        taken = graph.display(holder) if holder else "another graph entity"
        return FP, f"duplicate: gold {e.key} is already aligned to {taken}"
    if shared:
        return IGNORED, f"shares a name with optional gold entity {shared[0].key}"
    names = found.names or found.labels
    outer = []
    for name in {normalise_name(n) for n in names}:
        inside = sorted(g for g in gold_names if stands_inside(name, g))
        if not inside:
            break
        outer.append(inside[0])
    else:
        if names:
            return IGNORED, f'nested name, inside "{outer[0]}"'
    return FP, ""


# -- facts -----------------------------------------------------------------------------------
_Term = tuple[str, str]  # ("key", gold key) | ("iri", unaligned IRI) | ("lit", lexical form)


@dataclass(frozen=True)
class _Mapped:
    """A graph fact rewritten through the alignment."""

    kind: str
    subject: _Term
    object: _Term
    title: str  # normalised title for positions, "" otherwise


def _score_facts(
    gold: GoldDocument,
    graph: GraphDocument,
    alignment: Alignment,
    not_counted: set[str],
    score: DocumentScore,
) -> None:
    """Fill in the fact rows."""
    optional_keys = {k for k, e in gold.entities.items() if e.optional}

    def term(node: str, literal: bool) -> _Term:
        if literal:
            return ("lit", node)
        key = alignment.key_of(node)
        return ("key", key) if key is not None else ("iri", node)

    mapped: dict[_Mapped, GraphFact] = {}
    for fact in sorted(graph.facts, key=lambda f: (f.kind, f.subject, f.object, f.title or "")):
        title = normalise_name(fact.title) if fact.title is not None else ""
        item = _Mapped(fact.kind, term(fact.subject, False), term(fact.object, fact.literal), title)
        mapped.setdefault(item, fact)

    for kind in FACT_KINDS:
        facts = [f for f in gold.facts if f.kind == kind]
        required = [f for f in facts if not _optional(f, optional_keys)]
        optional = [f for f in facts if _optional(f, optional_keys)]
        ours = [(m, g) for m, g in mapped.items() if m.kind == kind]
        matched = _max_matching(required, [m for m, _ in ours], _matches)
        counts = score.facts[kind]
        counts.tp = len(matched)
        for wanted in required:
            if wanted not in matched.values():
                counts.fn += 1
                score.findings.append(Finding(FN, "fact", kind, wanted.display))
        used = set(matched)
        for item, source in ours:
            text = _display_fact(source, graph, alignment)
            if item in used:
                continue
            note = _why_not_counted(item, source, required, optional, not_counted)
            if note is None:
                counts.fp += 1
                score.findings.append(Finding(FP, "fact", kind, text))
            else:
                score.findings.append(Finding(IGNORED, "fact", kind, text, note))


def _optional(fact: GoldFact, optional_keys: set[str]) -> bool:
    """Whether a gold fact is neither required nor penalised."""
    if fact.optional or fact.kind in ALWAYS_OPTIONAL_KINDS:
        return True
    if fact.kind == "position":
        return fact.subject in optional_keys or set(fact.holders) <= optional_keys
    return bool(set(fact.entity_keys) & optional_keys)


def _matches(item: _Mapped, fact: GoldFact) -> bool:
    """Whether a rewritten graph fact states the gold fact."""
    if item.kind != fact.kind or item.subject != ("key", fact.subject):
        return False
    if fact.kind == "position":
        return item.title == normalise_name(fact.object) and item.object in {
            ("key", h) for h in fact.holders
        }
    if fact.kind in DATE_KINDS:
        return item.object == ("lit", fact.object)
    return item.object == ("key", fact.object)


def _why_not_counted(
    item: _Mapped,
    source: GraphFact,
    required: list[GoldFact],
    optional: list[GoldFact],
    not_counted: set[str],
) -> str | None:
    """Why an unmatched graph fact is not an FP, or ``None`` when it is one."""
    if any(_matches(item, f) for f in required):
        return "duplicate of a matched gold fact"
    if any(_matches(item, f) for f in optional):
        return "equals an optional gold fact"
    if item.kind in ALWAYS_OPTIONAL_KINDS:
        return f"{item.kind} is always optional"
    nodes = [source.subject] + ([] if source.literal else [source.object])
    ignorable = [n for n in nodes if n in not_counted]
    if ignorable:
        return f"involves {shorten(ignorable[0])}, which counts nowhere"
    return None


def _max_matching(
    gold: list[GoldFact],
    graph: list[_Mapped],
    matches: Callable[[_Mapped, GoldFact], bool],
) -> dict[_Mapped, GoldFact]:
    """A largest one-to-one matching of graph facts to gold facts (augmenting paths)."""
    options = {id(g): [m for m in graph if matches(m, g)] for g in gold}
    owner: dict[_Mapped, GoldFact] = {}

    def place(fact: GoldFact, seen: set[_Mapped]) -> bool:
        for item in options[id(fact)]:
            if item in seen:
                continue
            seen.add(item)
            if item not in owner or place(owner[item], seen):
                owner[item] = fact
                return True
        return False

    for fact in gold:
        place(fact, set())
    return owner


def _display_fact(fact: GraphFact, graph: GraphDocument, alignment: Alignment) -> str:
    """A graph fact with gold keys where aligned and names otherwise."""

    def node(iri: str) -> str:
        key = alignment.key_of(iri)
        return key if key is not None else graph.display(iri)

    subject = node(fact.subject)
    target = fact.object if fact.literal else node(fact.object)
    if fact.kind == "position":
        return f'position: {subject} is "{fact.title}" of {target}'
    return f"{fact.kind}: {subject} -> {target}"
