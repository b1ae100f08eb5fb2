"""Build throughput: ``scokg build`` on synthetic corpora of growing size.

For each size the corpus is generated once (benchmarks/corpus_generator.py) and cached by
seed, words per document, size and a fingerprint of the generator; then ``scokg build``
runs as a child process on a fresh store, so that its wall time and peak memory are its
own. The figures: documents, words, triples (``scokg stats``), wall seconds, documents/s,
triples/s, peak RSS and the seconds of each stage as the build reports them. Then the
scaling check (10x the documents within 11x the time; memory flat) and the incremental
phase: ``scokg build`` again on the unchanged largest corpus, and after one document
changed.

Usage::

    python -m benchmarks.build [--sizes 100,1000,10000] [--workers N] [--keep]
        [--dir DIR] [--seed S] [--words W] [--timeout SECONDS] [--json FILE]

Not a test: nothing here asserts; it measures and prints. The exit status is non-zero
when a build fails (or times out).
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import corpus_generator

SCALING_LIMIT = 1.1  # time may grow at most 1.1x as fast as the corpus (10x docs: 11x time)
MEMORY_TOLERANCE = 1.25  # peak RSS within 1.25x of the smaller corpus counts as flat
COMPLETE = ".complete"  # marker of a fully written cached corpus
DIRTY = ".dirty"  # marker of a corpus with a document changed by the incremental phase
SAMPLE_SECONDS = 0.2

# "time: extraction 1.3s, rdf 1.3s, reasoning 15.4s (total 20.1s)"
TIME_LINE = re.compile(r"^time:\s*(?P<stages>.*?)\s*(?:\(total\s+[\d.]+\s*s\))?\s*$", re.M)
WORK_LINE = re.compile(r"^work:\s*(?P<stages>.*?)\s*$", re.M)
STAGE = re.compile(r"^\s*(?P<name>.+?)\s+(?P<seconds>\d+(?:\.\d+)?)\s*s\s*$")
BUILT_LINE = re.compile(r"(?P<asserted>\d+) asserted triples, (?P<inferred>\d+) inferred")


# ------------------------------------------------------------------------------ results


@dataclass
class Run:
    """One ``scokg build``: what it did and what it cost."""

    label: str
    documents: int
    words: int
    ok: bool = False
    error: str = ""
    wall_seconds: float = 0.0
    peak_rss_mb: float = 0.0  # the largest single process (its own high-water mark)
    tree_rss_mb: float = 0.0  # the largest sampled sum over the build's process tree
    processes: int = 1  # the most processes of the tree seen at once
    stages: dict[str, float] = field(default_factory=dict)
    build_total_seconds: float | None = None
    asserted: int | None = None
    inferred: int | None = None
    triples: int | None = None
    quads: int | None = None
    store_mb: float | None = None

    @property
    def documents_per_second(self) -> float:
        return self.documents / self.wall_seconds if self.wall_seconds else 0.0

    @property
    def triples_per_second(self) -> float:
        return (self.triples or 0) / self.wall_seconds if self.wall_seconds else 0.0

    def to_json(self) -> dict[str, object]:
        data = dataclasses.asdict(self)
        data["documents_per_second"] = round(self.documents_per_second, 3)
        data["triples_per_second"] = round(self.triples_per_second, 1)
        return data


def parse_stages(output: str) -> tuple[dict[str, float], float | None]:
    """The stage seconds of the build's "time:" line, in the order given, and its total.

    >>> parse_stages("time: extraction 1.3s, rdf 0.4s, load 0.7s (total 2.4s)")
    ({'extraction': 1.3, 'rdf': 0.4, 'load': 0.7}, 2.4)
    """
    found = list(TIME_LINE.finditer(output))
    if not found:
        return {}, None
    match = found[-1]  # the last "time:" line wins
    stages: dict[str, float] = {}
    for item in match.group("stages").split(","):
        m = STAGE.match(item)
        if m:
            stages[m.group("name")] = float(m.group("seconds"))
    total = re.search(r"\(total\s+([\d.]+)\s*s\)", match.group(0))
    work = list(WORK_LINE.finditer(output))
    if work:  # the parts of the pipelined rdf+reasoning+load stage, as "(rdf)" etc.
        for item in re.sub(r"\(.*?\)", "", work[-1].group("stages")).split(","):
            m = STAGE.match(item)
            if m:
                stages[f"({m.group('name')})"] = float(m.group("seconds"))
    return stages, float(total.group(1)) if total else None


# ------------------------------------------------------------------------------ corpora


def fingerprint() -> str:
    """A short hash of the generator and its data: a cached corpus is reused only when
    neither changed."""
    h = hashlib.sha256()
    here = Path(corpus_generator.__file__)
    for path in [here, *sorted(corpus_generator.DATA_DIR.iterdir())]:
        if path.is_file():
            h.update(path.name.encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:10]


def corpus(root: Path, size: int, *, seed: int, words: int) -> tuple[Path, int]:
    """The cached corpus of ``size`` documents (generated if missing): its folder and its
    number of words."""
    folder = root / "corpora" / f"seed{seed}-words{words}-{fingerprint()}" / f"n{size}"
    marker = folder / COMPLETE
    if marker.is_file() and not (folder / DIRTY).exists():
        info = json.loads(marker.read_text(encoding="utf-8"))
        if info.get("documents") == size:
            return folder, int(info["words"])
    if folder.exists():
        shutil.rmtree(folder)
    say(f"generating {size:,} documents of about {words:,} words into {folder}")
    clock = time.perf_counter()
    total = corpus_generator.write_corpus(folder, size, seed=seed, words=words)
    marker.write_text(json.dumps({"documents": size, "words": total}), encoding="utf-8")
    say(f"  generated in {time.perf_counter() - clock:.1f}s")
    return folder, total


# ------------------------------------------------------------------------------ processes


def _children(pid: int) -> list[int]:
    """``pid`` and its descendants, read from /proc."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8") as fh:
                stat = fh.read()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: the fields follow the last ")"
        fields = stat[stat.rfind(")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
    tree, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        tree.extend(frontier)
    return tree


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class TreeSampler(threading.Thread):
    """Samples the summed RSS of a process tree until stopped (Linux /proc only); calls
    ``over`` once if the sum passes ``limit_kb``."""

    def __init__(self, pid: int, limit_kb: int | None, over: Callable[[], None]) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.limit_kb = limit_kb
        self.over = over
        self.peak_kb = 0
        self.processes = 1
        self.halt = threading.Event()

    def run(self) -> None:
        if not Path("/proc").is_dir():
            return
        while not self.halt.wait(SAMPLE_SECONDS):
            tree = _children(self.pid)
            self.processes = max(self.processes, len(tree))
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(p) for p in tree))
            if self.limit_kb is not None and self.peak_kb > self.limit_kb:
                self.over()
                return


@dataclass
class Outcome:
    code: int
    wall: float
    peak_rss_kb: int
    tree_rss_kb: int
    processes: int
    stdout: str
    stderr: str
    timed_out: bool
    over_memory: bool


def run_measured(
    cmd: Sequence[str], log: Path, timeout: float | None, max_rss_mb: float | None
) -> Outcome:
    """Run ``cmd``; its wall time, its own peak RSS (``wait4``: the high-water mark of the
    child, or of the largest of its waited-for descendants) and the sampled peak of its
    process tree. It is killed after ``timeout`` seconds or when its tree uses more than
    ``max_rss_mb``. Output goes to ``log`` and is returned."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with (
        open(log.with_suffix(".out"), "w+", encoding="utf-8") as out,
        open(log.with_suffix(".err"), "w+", encoding="utf-8") as err,
    ):
        clock = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, start_new_session=True)
        timed_out, over_memory = threading.Event(), threading.Event()

        def kill(reason: threading.Event) -> None:
            reason.set()
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        limit = int(max_rss_mb * 1024) if max_rss_mb else None
        sampler = TreeSampler(proc.pid, limit, lambda: kill(over_memory))
        sampler.start()
        timer = threading.Timer(timeout, kill, (timed_out,)) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - clock
        if timer:
            timer.cancel()
        sampler.halt.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Outcome(
            code=proc.returncode,
            wall=wall,
            peak_rss_kb=usage.ru_maxrss,  # kilobytes on Linux
            tree_rss_kb=max(sampler.peak_kb, usage.ru_maxrss),
            processes=sampler.processes,
            stdout=out.read(),
            stderr=err.read(),
            timed_out=timed_out.is_set(),
            over_memory=over_memory.is_set(),
        )


def scokg(*args: str) -> list[str]:
    return [sys.executable, "-m", "scokg", *args]


def build_supports(option: str) -> bool:
    """Whether ``scokg build`` has ``option`` (``--workers`` is new)."""
    done = subprocess.run(scokg("build", "--help"), capture_output=True, text=True, check=False)
    return option in done.stdout


def folder_mb(path: Path) -> float:
    """Size on disk of the store's current generation (the whole folder if none)."""
    current = path / "current"
    target = current.resolve() if current.exists() else path
    total = 0
    for root, _dirs, files in os.walk(target):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_blocks * 512
            except OSError:
                pass
    return total / 1e6


def build(
    label: str,
    folder: Path,
    store: Path,
    *,
    documents: int,
    words: int,
    extra: Sequence[str],
    logs: Path,
    timeout: float | None,
    max_rss_mb: float | None,
) -> Run:
    """One measured ``scokg build FOLDER --store STORE`` and the store's statistics."""
    run = Run(label=label, documents=documents, words=words)
    cmd = scokg("build", str(folder), "--store", str(store), *extra)
    slug = re.sub(r"[^\w.]+", "-", label.replace(",", "")).strip("-")
    outcome = run_measured(cmd, logs / f"build-{slug}", timeout, max_rss_mb)
    run.wall_seconds = outcome.wall
    run.peak_rss_mb = outcome.peak_rss_kb / 1024
    run.tree_rss_mb = outcome.tree_rss_kb / 1024
    run.processes = outcome.processes
    if outcome.timed_out:
        run.error = f"timed out after {timeout:g}s"
        return run
    if outcome.over_memory:
        run.error = f"stopped: its processes used more than {max_rss_mb:,.0f} MB"
        return run
    if outcome.code != 0:
        lines = [line for line in outcome.stderr.splitlines() if line.strip()]
        run.error = f"exit {outcome.code}: " + (lines[-1] if lines else "no message")
        return run
    run.ok = True
    run.stages, run.build_total_seconds = parse_stages(outcome.stdout)
    built = BUILT_LINE.search(outcome.stdout)
    if built:
        run.asserted, run.inferred = int(built["asserted"]), int(built["inferred"])
    stats = subprocess.run(
        scokg("stats", "--store", str(store), "--format", "json"),
        capture_output=True,
        text=True,
        check=False,
    )
    if stats.returncode == 0:
        data = json.loads(stats.stdout)
        run.triples, run.quads = int(data["triples"]), int(data["quads"])
    run.store_mb = folder_mb(store)
    return run


# ------------------------------------------------------------------------------ output


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def table(rows: Sequence[Sequence[str]], right: Sequence[bool]) -> str:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for n, row in enumerate(rows):
        cells = [
            c.rjust(w) if r else c.ljust(w) for c, w, r in zip(row, widths, right, strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _n(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "-"
    return f"{value:,.{digits}f}"


def figures_table(runs: Sequence[Run]) -> str:
    stages: list[str] = []
    for run in runs:
        stages.extend(s for s in run.stages if s not in stages)
    tree = any(run.processes > 1 for run in runs)
    head = ["build", "documents", "words", "triples", "wall s", "docs/s", "triples/s"]
    head += ["peak RSS MB"] + (["tree RSS MB"] if tree else []) + ["store MB"]
    head += [f"{s} s" for s in stages]
    rows = [head]
    for run in runs:
        row = [
            run.label,
            _n(run.documents),
            _n(run.words),
            _n(run.triples),
            _n(run.wall_seconds, 1),
            _n(run.documents_per_second, 1),
            _n(run.triples_per_second),
            _n(run.peak_rss_mb),
        ]
        row += [_n(run.tree_rss_mb)] if tree else []
        row += [_n(run.store_mb, 1)]
        row += [_n(run.stages.get(s), 1) if s in run.stages else "-" for s in stages]
        if not run.ok:
            row[4] += " FAILED"
        rows.append(row)
    return table(rows, [False] + [True] * (len(head) - 1))


def scaling(runs: Sequence[Run]) -> list[dict[str, object]]:
    """Time and memory growth between consecutive sizes."""
    out: list[dict[str, object]] = []
    for small, large in zip(runs, runs[1:], strict=False):
        if not (small.ok and large.ok):
            continue
        size_ratio = large.documents / small.documents
        time_ratio = large.wall_seconds / small.wall_seconds
        memory_ratio = large.peak_rss_mb / small.peak_rss_mb if small.peak_rss_mb else 0.0
        tree_ratio = large.tree_rss_mb / small.tree_rss_mb if small.tree_rss_mb else 0.0
        out.append(
            {
                "from": small.documents,
                "to": large.documents,
                "size_ratio": round(size_ratio, 2),
                "time_ratio": round(time_ratio, 2),
                "time_limit": round(SCALING_LIMIT * size_ratio, 2),
                "linear": time_ratio <= SCALING_LIMIT * size_ratio,
                "memory_ratio": round(memory_ratio, 2),
                "tree_memory_ratio": round(tree_ratio, 2),
                "memory_flat": memory_ratio <= MEMORY_TOLERANCE,
            }
        )
    return out


def scaling_text(checks: Sequence[dict[str, object]], runs: Sequence[Run]) -> str:
    lines = ["scaling (time of the larger corpus / time of the smaller):"]
    for c in checks:
        verdict = "ok" if c["linear"] else "NOT LINEAR"
        lines.append(
            f"  {c['from']:,} -> {c['to']:,} documents ({c['size_ratio']}x): "
            f"time {c['time_ratio']}x (limit {c['time_limit']}x)  {verdict}"
        )
    lines.append("peak memory (largest process) by corpus size:")
    lines.append(
        "  " + ", ".join(f"{r.documents:,}: {r.peak_rss_mb:,.0f} MB" for r in runs if r.ok)
    )
    for c in checks:
        verdict = "flat" if c["memory_flat"] else "GROWS with the corpus"
        lines.append(
            f"  {c['from']:,} -> {c['to']:,} documents: {c['memory_ratio']}x  {verdict} "
            f"(flat means within {MEMORY_TOLERANCE}x)"
        )
    for run in runs:
        if run.ok and run.documents == 1000:
            verdict = "meets" if run.wall_seconds < 60 else "misses"
            lines.append(
                f"target: 1,000 documents in {run.wall_seconds:.1f}s - {verdict} "
                f"the issue's target of < 60 s on 2 cores ({os.cpu_count()} CPUs here)"
            )
    return "\n".join(lines)


def machine() -> dict[str, object]:
    info: dict[str, object] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
    }
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8")
        model = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
        info["cpu"] = model.group(1) if model else None
        meminfo = Path("/proc/meminfo").read_text(encoding="utf-8")
        total = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.M)
        info["memory_gb"] = round(int(total.group(1)) / 1024**2, 1) if total else None
    except OSError:
        pass
    try:
        from importlib.metadata import version

        info["scokg"] = version("scokg")
        info["pyoxigraph"] = version("pyoxigraph")
    except Exception:  # noqa: BLE001 - only informative
        pass
    return info


# ------------------------------------------------------------------------------ main


def default_max_rss() -> float | None:
    """80% of the machine's memory in MB (None where /proc/meminfo is missing): a build
    that would need more is stopped rather than pushing the machine into swap or the OOM
    killer."""
    try:
        meminfo = Path("/proc/meminfo").read_text(encoding="utf-8")
    except OSError:
        return None
    total = re.search(r"^MemTotal:\s*(\d+) kB", meminfo, re.M)
    return round(int(total.group(1)) / 1024 * 0.8) if total else None


def parse_sizes(text: str) -> list[int]:
    try:
        sizes = sorted({int(s.replace("_", "")) for s in text.split(",") if s.strip()})
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a list of numbers: {text!r}") from exc
    if not sizes or sizes[0] < 1:
        raise argparse.ArgumentTypeError("sizes must be positive numbers")
    return sizes


def arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.build",
        description="Measure `scokg build` on synthetic corpora of growing size.",
    )
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=[100, 1000, 10000],
        help="corpus sizes in documents, comma-separated (default 100,1000,10000)",
    )
    parser.add_argument(
        "--workers", type=int, help="passed to `scokg build --workers` when it has the option"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the stores and logs (corpora are always cached)"
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "scokg-bench",
        help="folder for cached corpora, stores and logs (default: <tmp>/scokg-bench)",
    )
    parser.add_argument("--seed", type=int, default=0, help="corpus seed (default 0)")
    parser.add_argument("--words", type=int, default=1000, help="words per document (about)")
    parser.add_argument("--timeout", type=float, help="give up on a build after this many seconds")
    parser.add_argument(
        "--max-rss",
        type=float,
        default=default_max_rss(),
        help="stop a build whose processes use more than this many MB together "
        "(default: 80%% of the machine's memory)",
    )
    parser.add_argument(
        "--no-incremental", action="store_true", help="skip the rebuilds of the largest corpus"
    )
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    return parser.parse_args(argv)


def incremental(
    args: argparse.Namespace, largest: Run, folder: Path, store: Path, extra: Sequence[str]
) -> list[Run]:
    """Rebuild the largest corpus unchanged, then with one document changed (restored
    afterwards; a crash in between leaves a marker that makes the cache regenerate)."""

    def rebuild(label: str) -> Run:
        return build(
            label,
            folder,
            store,
            documents=largest.documents,
            words=largest.words,
            extra=extra,
            logs=args.dir / "logs",
            timeout=args.timeout,
            max_rss_mb=args.max_rss,
        )

    say(f"rebuilding {largest.documents:,} unchanged documents")
    runs = [rebuild("unchanged")]
    if not runs[-1].ok:
        return runs
    docs = sorted(folder.glob("*.txt"))
    victim = docs[len(docs) // 2]
    original = victim.read_bytes()
    (folder / DIRTY).write_text(victim.name, encoding="utf-8")
    try:
        victim.write_text(
            corpus_generator.revise(original.decode("utf-8"), seed=args.seed), encoding="utf-8"
        )
        say(f"rebuilding with one document changed ({victim.name})")
        runs.append(rebuild("1 changed"))
    finally:
        victim.write_bytes(original)
        (folder / DIRTY).unlink()
    return runs


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments(argv)
    root: Path = args.dir
    root.mkdir(parents=True, exist_ok=True)
    extra: list[str] = []
    if args.workers is not None:
        if build_supports("--workers"):
            extra = ["--workers", str(args.workers)]
        else:
            say("note: `scokg build` has no --workers option yet; building with its default")
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    runs: list[Run] = []
    failed = False
    stores = root / "stores"
    folder = store = None
    for size in args.sizes:
        folder, words = corpus(root, size, seed=args.seed, words=args.words)
        store = stores / f"n{size}"
        if store.exists():
            shutil.rmtree(store)
        say(f"building {size:,} documents into {store}")
        run = build(
            f"{size:,} docs",
            folder,
            store,
            documents=size,
            words=words,
            extra=extra,
            logs=root / "logs",
            timeout=args.timeout,
            max_rss_mb=args.max_rss,
        )
        runs.append(run)
        if not run.ok:
            say(f"  build FAILED: {run.error} (logs in {root / 'logs'})")
            failed = True
            break
        say(f"  {run.wall_seconds:.1f}s, peak RSS {run.peak_rss_mb:,.0f} MB")
    rebuilds: list[Run] = []
    if not failed and not args.no_incremental and folder is not None and store is not None:
        rebuilds = incremental(args, runs[-1], folder, store, extra)
        failed = any(not r.ok for r in rebuilds)

    print(f"scokg build on synthetic corpora (seed {args.seed}, ~{args.words} words/document)")
    info = machine()
    print(
        f"machine: {info.get('cpu', '?')}, {info.get('cpus')} CPUs "
        f"({info.get('cpus_usable')} usable), {info.get('memory_gb', '?')} GB, "
        f"Python {info['python']}"
    )
    print()
    print(figures_table(runs))
    print()
    checks = scaling(runs)
    print(scaling_text(checks, runs))
    if rebuilds:
        print()
        print(f"incremental rebuilds of the {runs[-1].documents:,}-document store:")
        print(figures_table(rebuilds))
        full = runs[-1].wall_seconds
        for r in rebuilds:
            if r.ok:
                share = r.wall_seconds / full
                print(f"  {r.label}: {r.wall_seconds:.1f}s ({share:.0%} of the full build)")
    if failed:
        print()
        for r in [*runs, *rebuilds]:
            if not r.ok:
                print(f"FAILED: {r.label}: {r.error}")
    if args.json:
        report = {
            "started": started,
            "machine": info,
            "settings": {
                "sizes": args.sizes,
                "seed": args.seed,
                "words": args.words,
                "workers": args.workers,
                "generator": fingerprint(),
            },
            "runs": [r.to_json() for r in runs],
            "scaling": checks,
            "incremental": [r.to_json() for r in rebuilds],
            "ok": not failed,
        }
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if failed:
        print(f"logs of the builds: {root / 'logs'}")
    elif not args.keep:
        shutil.rmtree(stores, ignore_errors=True)
        shutil.rmtree(root / "logs", ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
