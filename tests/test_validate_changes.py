"""Validating what a change touched (scokg.graph.validate_changes) equals validating everything.

Each mutation of ``test_shacl_sparql`` is applied to a store holding the sample corpus; the
quads that differ are the change. Validating the change, counting the previous warnings of
the nodes it did not touch, must give the verdict, counts and results of a validation of the
whole mutated store, while an inferred graph full of misleading triples sits beside the data.
"""

from __future__ import annotations

from collections import Counter

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import RDF
from test_shacl_sparql import MUTATIONS, ResultKey, copy, fill, result_keys

from scokg.graph.shacl_sparql import validate_store
from scokg.graph.validate_changes import (
    ChangeSet,
    ShapePaths,
    affected_focus_nodes,
    validate_changes,
    warnings_by_focus,
)
from scokg.vocab import INFERRED_GRAPH, SCO

# The mutations that change the class hierarchy: these need a whole validation.
WHOLE = {"a_class_the_data_declares"}
INFERRED = ox.NamedNode(str(INFERRED_GRAPH))


def quads(store: ox.Store) -> set[ox.Quad]:
    return set(store)


def mislead(store: ox.Store) -> None:
    """An inferred graph that would hide violations if validation read it: every node is
    everything, and has every date."""
    subjects = {q.subject for q in store if not isinstance(q.subject, ox.Triple)}
    classes = [SCO.State, SCO.Person, SCO.Organisation, SCO.Place, SCO.Event, SCO.Position]
    for node in subjects:
        for cls in classes:
            store.add(ox.Quad(node, ox.NamedNode(str(RDF.type)), ox.NamedNode(str(cls)), INFERRED))


def within(keys: Counter[ResultKey], focus: set[URIRef]) -> Counter[ResultKey]:
    return Counter({k: n for k, n in keys.items() if k[0] in focus})


@pytest.mark.parametrize("name", sorted(MUTATIONS))
def test_validating_the_change_equals_validating_everything(
    name: str, sample: Dataset, shapes: Graph, ontology: Graph
) -> None:
    before = fill(ox.Store(), sample)
    previous = validate_store(before, shapes=shapes, ontology=ontology)
    mutated = copy(sample)
    MUTATIONS[name](mutated)
    after = fill(ox.Store(), mutated)
    changes = ChangeSet()
    changes.add_quads(quads(before) ^ quads(after))
    assert len(changes) > 0
    mislead(after)
    whole = validate_store(after, shapes=shapes, ontology=ontology)

    result = validate_changes(
        after, changes, warnings_by_focus(previous), shapes=shapes, ontology=ontology
    )
    if name in WHOLE:
        assert result is None
        return
    assert result is not None
    outcome, warnings = result.outcome, result.warnings
    assert (outcome.conforms, outcome.violations, outcome.warnings) == (
        whole.conforms,
        whole.violations,
        whole.warnings,
    )
    assert warnings == warnings_by_focus(whole)
    focus = affected_focus_nodes(after, changes, ShapePaths.of(shapes))
    assert focus is not None
    touched = {URIRef(node.value) for node in focus if isinstance(node, ox.NamedNode)}
    assert result_keys(outcome) == within(result_keys(whole), touched)
    # every violation of the whole store is about a node the change touched
    assert sum(within(result_keys(whole), touched).values()) >= whole.violations


def test_a_retyped_value_rechecks_whoever_points_at_it(sample: Dataset, shapes: Graph) -> None:
    store = fill(ox.Store(), sample)
    state = next(iter(store.quads_for_pattern(None, None, ox.NamedNode(str(SCO.State)), None)))
    changes = ChangeSet()
    changes.add_quads([state])
    focus = affected_focus_nodes(store, changes, ShapePaths.of(shapes))
    assert focus is not None
    pointing = {q.subject for q in store.quads_for_pattern(None, None, state.subject, None)}
    assert state.subject in focus and pointing and pointing <= focus | {state.subject}
