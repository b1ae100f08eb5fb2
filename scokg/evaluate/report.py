"""Presenting an :class:`~scokg.evaluate.score.EvaluationReport`: a table, JSON, ``--explain``."""

from __future__ import annotations

from typing import Any

from scokg.evaluate.score import (
    FLAG,
    FN,
    FP,
    IGNORED,
    Averages,
    Counts,
    DocumentScore,
    EvaluationReport,
    Finding,
    MeetingFlag,
)

_LABEL_WIDTH = 22
_HEADER = f"{'':<{_LABEL_WIDTH}}{'P':>7}{'R':>7}{'F1':>7}{'TP':>7}{'FP':>7}{'FN':>7}"
_SECTIONS = (
    (FN, "Missed (FN)"),
    (FP, "False hits (FP)"),
    (FLAG, "Wrong meeting flag"),
    (IGNORED, "Not counted"),
)


def _number(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _row(label: str, counts: Counts) -> str:
    return (
        f"{label:<{_LABEL_WIDTH}}{_number(counts.precision):>7}{_number(counts.recall):>7}"
        f"{_number(counts.f1):>7}{counts.tp:>7}{counts.fp:>7}{counts.fn:>7}"
    )


def _macro_row(label: str, averages: Averages) -> str:
    return (
        f"{label:<{_LABEL_WIDTH}}{_number(averages.precision):>7}"
        f"{_number(averages.recall):>7}{_number(averages.f1):>7}"
    )


def _flag_line(flag: MeetingFlag) -> str:
    if not flag.total:
        return "Meeting flag: no aligned events"
    return (
        f"Meeting flag: {flag.correct} of {flag.total} aligned events correct"
        f" ({_number(flag.accuracy)})"
    )


def _short(counts: Counts) -> str:
    return (
        f"P {_number(counts.precision)} R {_number(counts.recall)} F1 {_number(counts.f1)}"
        f" (TP {counts.tp}, FP {counts.fp}, FN {counts.fn})"
    )


def format_table(report: EvaluationReport, explain: bool = False) -> str:
    """The score table; with ``explain``, every document's misses and false hits after it."""
    lines = [_HEADER, "Entities"]
    lines += [_row("  " + name, counts) for name, counts in report.entities.items()]
    lines += [_row("  all entities", report.entity_total), "Facts"]
    lines += [_row("  " + name, counts) for name, counts in report.facts.items()]
    lines += [
        _row("  all facts", report.fact_total),
        _row("Overall (micro)", report.micro),
        _macro_row("Overall (macro)", report.macro),
        "",
        _flag_line(report.meeting),
        f"Documents: {len(report.documents)}",
    ]
    if explain:
        for document in report.documents:
            lines += ["", *_explain_document(document)]
    return "\n".join(lines) + "\n"


def _explain_document(document: DocumentScore) -> list[str]:
    lines = [
        f"== {document.document} (gold: {document.gold_file})",
        f"  entities: {_short(document.entity_total)}",
        f"  facts:    {_short(document.fact_total)}",
        f"  {_flag_line(document.meeting)}",
    ]
    for outcome, title in _SECTIONS:
        found = [f for f in document.findings if f.outcome == outcome]
        if not found:
            continue
        lines.append(f"  {title}:")
        for category in ("entity", "fact"):
            lines += [_finding_line(f) for f in found if f.category == category]
    return lines


def _finding_line(finding: Finding) -> str:
    note = f"  [{finding.note}]" if finding.note else ""
    if finding.category == "entity":
        return f"    {finding.row:<13}{finding.text}{note}"
    return f"    {finding.text}{note}"


def _counts_json(counts: Counts) -> dict[str, Any]:
    return {
        "tp": counts.tp,
        "fp": counts.fp,
        "fn": counts.fn,
        "precision": counts.precision,
        "recall": counts.recall,
        "f1": counts.f1,
    }


def _flag_json(flag: MeetingFlag) -> dict[str, Any]:
    return {"correct": flag.correct, "total": flag.total, "accuracy": flag.accuracy}


def _document_json(document: DocumentScore) -> dict[str, Any]:
    return {
        "document": document.document,
        "gold_file": document.gold_file,
        "micro": _counts_json(document.micro),
        "entities": {k: _counts_json(c) for k, c in document.entities.items()},
        "entities_total": _counts_json(document.entity_total),
        "facts": {k: _counts_json(c) for k, c in document.facts.items()},
        "facts_total": _counts_json(document.fact_total),
        "meeting_flag": _flag_json(document.meeting),
        "alignment": dict(sorted(document.alignment.items())),
        "findings": [
            {
                "outcome": f.outcome,
                "category": f.category,
                "row": f.row,
                "text": f.text,
                "note": f.note,
            }
            for f in document.findings
        ],
    }


def report_to_json(report: EvaluationReport) -> dict[str, Any]:
    """The report as plain JSON data: totals, rows, and each document with its findings.

    Scores that are undefined (no graph items for precision, no gold items for recall)
    are ``null``.
    """
    macro = report.macro
    return {
        "micro": _counts_json(report.micro),
        "macro": {"precision": macro.precision, "recall": macro.recall, "f1": macro.f1},
        "entities": {k: _counts_json(c) for k, c in report.entities.items()},
        "entities_total": _counts_json(report.entity_total),
        "facts": {k: _counts_json(c) for k, c in report.facts.items()},
        "facts_total": _counts_json(report.fact_total),
        "meeting_flag": _flag_json(report.meeting),
        "documents": [_document_json(d) for d in report.documents],
    }
