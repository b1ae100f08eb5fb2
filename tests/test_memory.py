"""Returning freed memory to the system before the validation queries (scokg.graph.memory)."""

from __future__ import annotations

import sys

import pytest

from scokg.graph.memory import _trim, release_free_memory


def rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_freed_memory_goes_back_to_the_system() -> None:
    assert _trim() is not None
    # many blocks freed below one still in use: glibc keeps their pages until trimmed
    blocks = [bytearray(600) for _ in range(200_000)]
    pin = bytearray(600)
    held = rss_kb()
    del blocks
    freed = rss_kb()
    release_free_memory()
    assert rss_kb() < freed - 50_000 and rss_kb() < held - 50_000
    assert len(pin) == 600
