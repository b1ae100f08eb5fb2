"""The store directory (graph/store.py): generations written aside and swapped in atomically.

Real pyoxigraph databases on disk, small enough that every test writes its own.
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest
from support import generations

from scokg.errors import StoreError
from scokg.graph.store import CURRENT, DATABASE, LOCK, MANIFEST, Manifest, StoreDir

EX = "http://example.org/"
GRAPH = ox.NamedNode(EX + "g")


def quad(n: int) -> ox.Quad:
    return ox.Quad(ox.NamedNode(f"{EX}s{n}"), ox.NamedNode(EX + "p"), ox.Literal(str(n)), GRAPH)


def commit(store: StoreDir, *numbers: int, copy_current: bool = False) -> None:
    """Write a generation holding the quads ``quad(n)`` for ``numbers``."""
    with store.new_generation(copy_current=copy_current) as gen:
        gen.store.extend(quad(n) for n in numbers)


def subjects(store: StoreDir) -> set[str]:
    db = store.open_read_only()
    return {q.subject.value.removeprefix(EX) for q in db}  # type: ignore[union-attr]


class Boom(Exception):
    """Raised inside a generation to simulate a build failing half-way."""


def test_a_new_directory_has_no_graph_and_is_not_touched(tmp_path: Path) -> None:
    root = tmp_path / "store"
    store = StoreDir(root)
    assert store.current_generation() is None
    assert not store.exists()
    assert store.manifest() == Manifest()
    assert not root.exists()


def test_reading_an_empty_store_says_to_build_first(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"no graph here yet; run `scokg build --store"):
        StoreDir(tmp_path).open_read_only()


def test_a_committed_generation_becomes_current(tmp_path: Path) -> None:
    store = StoreDir(tmp_path / "store")
    commit(store, 1, 2)
    gen = store.current_generation()
    assert gen is not None
    assert (tmp_path / "store" / CURRENT).is_symlink()
    assert gen.name.startswith("gen-")
    assert (gen / DATABASE).is_dir()
    assert (gen / MANIFEST).is_file()
    assert subjects(store) == {"s1", "s2"}
    assert store.manifest().created != ""


def test_manifest_round_trips_through_the_generation(tmp_path: Path) -> None:
    store = StoreDir(tmp_path)
    with store.new_generation() as gen:
        gen.store.add(quad(1))
        gen.manifest.documents = {"doc": {"sha256": "abc"}}
        gen.manifest.counts = {"asserted": 1}
        gen.manifest.scokg_version = "9.9"
    manifest = store.manifest()
    assert manifest.documents == {"doc": {"sha256": "abc"}}
    assert manifest.counts == {"asserted": 1}
    assert manifest.scokg_version == "9.9"


def test_an_exception_inside_the_generation_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    store = StoreDir(tmp_path)
    commit(store, 1)
    before = store.current_generation()
    with pytest.raises(Boom), store.new_generation() as gen:
        gen.store.add(quad(2))
        gen.store.add(quad(3))
        raise Boom
    assert store.current_generation() == before
    assert subjects(store) == {"s1"}
    assert generations(tmp_path) == [before]
    assert list(tmp_path.glob(".gen-*")) == []


def test_an_interrupt_inside_the_generation_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    store = StoreDir(tmp_path)
    commit(store, 1)
    with pytest.raises(KeyboardInterrupt), store.new_generation() as gen:
        gen.store.add(quad(2))
        raise KeyboardInterrupt
    assert subjects(store) == {"s1"}
    assert list(tmp_path.glob(".gen-*")) == []


def test_a_failure_before_the_first_build_leaves_no_graph(tmp_path: Path) -> None:
    store = StoreDir(tmp_path)
    with pytest.raises(Boom), store.new_generation() as gen:
        gen.store.add(quad(1))
        raise Boom
    assert not store.exists()
    assert generations(tmp_path) == []


def test_readers_see_the_old_graph_until_the_swap(tmp_path: Path) -> None:
    store = StoreDir(tmp_path)
    commit(store, 1)
    old_reader = store.open_read_only()
    with store.new_generation() as gen:
        gen.store.extend([quad(2), quad(3)])
        assert subjects(store) == {"s1"}  # a reader opened mid-write sees the old graph
    assert subjects(store) == {"s2", "s3"}
    # A reader that opened the old generation keeps working after the swap.
    assert len(old_reader) == 1


def test_copy_current_starts_from_the_current_graph(tmp_path: Path) -> None:
    store = StoreDir(tmp_path)
    commit(store, 1, 2)
    commit(store, 3, copy_current=True)
    assert subjects(store) == {"s1", "s2", "s3"}
    commit(store, 4)
    assert subjects(store) == {"s4"}


def test_a_second_writer_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    store = StoreDir(tmp_path)
    commit(store, 1)
    with store.new_generation() as gen:
        gen.store.add(quad(2))
        with (
            pytest.raises(StoreError, match="another scokg process is writing this store"),
            StoreDir(tmp_path).new_generation(),
        ):
            pass  # pragma: no cover - the lock is refused before the block runs
    assert subjects(store) == {"s2"}


def test_the_lock_is_released_after_a_failed_write(tmp_path: Path) -> None:
    store = StoreDir(tmp_path)
    with pytest.raises(Boom), store.new_generation():
        raise Boom
    commit(store, 5)
    assert subjects(store) == {"s5"}
    assert (tmp_path / LOCK).exists()


def test_at_most_two_generations_are_kept(tmp_path: Path) -> None:
    store = StoreDir(tmp_path)
    for n in range(5):
        commit(store, n)
        assert len(generations(tmp_path)) <= 2
    assert len(generations(tmp_path)) == 2
    assert subjects(store) == {"s4"}


def test_the_previous_generation_is_kept_for_readers_still_using_it(tmp_path: Path) -> None:
    store = StoreDir(tmp_path)
    for n in range(4):
        previous = store.current_generation()
        commit(store, n)
        current = store.current_generation()
        assert current is not None and current != previous
        if previous is not None:
            assert previous.is_dir()
            reader = ox.Store.read_only(str(previous / DATABASE))
            assert len(reader) == 1


def test_a_generation_named_from_a_clock_that_ran_ahead_does_not_evict_the_previous(
    tmp_path: Path,
) -> None:
    """Regression: old generations were chosen by name order, so a stray folder whose name
    sorts last (a clock that ran ahead, or two generations in the same second) was kept and
    the generation current before the swap, which readers may still use, was deleted."""
    store = StoreDir(tmp_path)
    commit(store, 1)
    previous = store.current_generation()
    stray = tmp_path / "gen-29991231T235959-ffffff"
    (stray / DATABASE).mkdir(parents=True)
    commit(store, 2)
    assert previous is not None and previous.is_dir()
    assert not stray.exists()
    assert len(generations(tmp_path)) == 2


def test_a_half_written_generation_left_by_a_killed_writer_is_cleaned_up(tmp_path: Path) -> None:
    store = StoreDir(tmp_path)
    commit(store, 1)
    stale = tmp_path / ".gen-20000101T000000-abcdef.tmp"
    (stale / DATABASE).mkdir(parents=True)
    commit(store, 2)
    assert not stale.exists()
    assert subjects(store) == {"s2"}


def test_a_current_link_to_a_missing_database_is_reported(tmp_path: Path) -> None:
    (tmp_path / "gen-x").mkdir()
    os.symlink("gen-x", tmp_path / CURRENT)
    with pytest.raises(StoreError, match="has no database"):
        StoreDir(tmp_path).open_read_only()


def test_a_current_that_is_not_a_link_is_not_a_store(tmp_path: Path) -> None:
    (tmp_path / CURRENT).write_text("not a link", encoding="utf-8")
    with pytest.raises(StoreError, match="not a scokg store"):
        StoreDir(tmp_path).current_generation()


def test_an_unreadable_manifest_is_reported(tmp_path: Path) -> None:
    store = StoreDir(tmp_path)
    commit(store, 1)
    gen = store.current_generation()
    assert gen is not None
    (gen / MANIFEST).write_text("{not json", encoding="utf-8")
    with pytest.raises(StoreError, match="unreadable manifest"):
        store.manifest()


def test_a_store_whose_current_generation_vanished_can_be_rebuilt(tmp_path: Path) -> None:
    (tmp_path / "gen-x").mkdir()
    os.symlink("gen-x", tmp_path / CURRENT)
    store = StoreDir(tmp_path)
    commit(store, 7)
    assert subjects(store) == {"s7"}
    assert not (tmp_path / "gen-x").exists()
