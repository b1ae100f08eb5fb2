"""The inferred graph changed by difference (scokg.graph.inferred_update) ends as rebuilt."""

from __future__ import annotations

import pyoxigraph as ox

from scokg.graph.inferred_update import update_inferred
from scokg.graph.validate_changes import ChangeSet
from scokg.vocab import INFERRED_GRAPH

EX = "https://example.org/"
INFERRED = ox.NamedNode(str(INFERRED_GRAPH))


def t(name: str) -> ox.Triple:
    return ox.Triple(ox.NamedNode(EX + name), ox.NamedNode(EX + "p"), ox.NamedNode(EX + "o"))


def line(triple: ox.Triple) -> bytes:
    return f"{triple.subject} {triple.predicate} {triple.object} .\n".encode()


def in_graph(triple: ox.Triple, graph: str) -> ox.Quad:
    name = INFERRED if graph == "inferred" else ox.NamedNode(EX + graph)
    return ox.Quad(triple.subject, triple.predicate, triple.object, name)


def inferred(db: ox.Store) -> set[str]:
    return {
        q.subject.value.removeprefix(EX) for q in db.quads_for_pattern(None, None, None, INFERRED)
    }


def test_each_triple_ends_on_the_side_a_rebuild_gives() -> None:
    db = ox.Store()
    # before: graph a states "stated" (which d entails: so not inferred); c entails "kept"
    # (d too), "dropped" (nobody else) and "same" (still); e states "asserted-now"
    db.extend([in_graph(t("kept"), "inferred"), in_graph(t("dropped"), "inferred")])
    db.extend([in_graph(t("same"), "inferred"), in_graph(t("asserted-now"), "e")])
    before_c = line(t("kept")) + line(t("dropped")) + line(t("same"))
    # the change: a no longer states "stated"; c now entails "same", "new" and "asserted-now"
    changes = ChangeSet()
    changes.add_quads([in_graph(t("stated"), "a")])
    after_c = line(t("same")) + line(t("new")) + line(t("asserted-now"))
    unchanged_d = line(t("kept")) + line(t("stated")) + line(t("elsewhere"))

    added, removed = update_inferred(db, [before_c], [after_c], changes, iter([unchanged_d]))

    # "stated" is no longer stated but d entails it; "new" is new; "asserted-now" is stated
    # by e; "dropped" nobody entails; "elsewhere" was never a candidate and stays out
    assert inferred(db) == {"kept", "same", "new", "stated"}
    assert (added, removed) == (2, 1)


def test_unchanged_graphs_are_not_read_when_nothing_is_undecided() -> None:
    db = ox.Store()

    def never() -> list[bytes]:
        raise AssertionError("read the cache for nothing")

    def lazily():  # type: ignore[no-untyped-def]
        yield from never()

    added, removed = update_inferred(db, [b""], [line(t("x"))], ChangeSet(), lazily())
    assert (added, removed) == (1, 0) and inferred(db) == {"x"}
