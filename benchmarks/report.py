"""Rows of results: built from measured contenders, printed as tables, written as JSON."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from measure import OK, Contender, ratio, value

REFERENCE = "plain"


@dataclass
class Cell:
    framework: str
    status: str
    value: float | None  # median, in the row's unit
    ratio_to_plain: float | None
    samples: list[float]  # in the row's unit, one per round that sampled
    calls_per_sample: int
    first_call: float | None  # the untimed warm-up call, in the row's unit


@dataclass
class Row:
    workload: str
    case: str
    unit: str
    cells: dict[str, Cell]
    plait_vs_hamilton: float | None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def make_row(
    workload: str,
    case: str,
    unit: str,
    scale: float,
    contenders: Sequence[Contender],
    *,
    with_ratio: bool = True,
    note: str = "",
) -> Row:
    """``scale`` converts seconds (or bytes) per ``per`` into ``unit``."""
    by_name = {c.name: c for c in contenders}
    ref = by_name.get(REFERENCE)
    cells = {c.name: _cell(c, ref if with_ratio else None, scale) for c in contenders}
    plait, hamilton = by_name.get("plait"), by_name.get("hamilton")
    versus = ratio(plait, hamilton) if plait and hamilton else None
    return Row(workload, case, unit, cells, versus, note)


def _cell(c: Contender, ref: Contender | None, scale: float) -> Cell:
    v = value(c)
    samples = [s / c.per * scale for _, s in sorted(c.samples.items())] if c.status == OK else []
    first = c.first_call_s / c.per * scale if c.first_call_s is not None else None
    r = ratio(c, ref) if ref is not None and ref is not c else None
    return Cell(c.name, c.status, None if v is None else v * scale, r, samples, c.number, first)


def _fmt(x: float) -> str:
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.3g}"


def _cell_text(cell: Cell | None) -> str:
    if cell is None:
        return "-"
    if cell.value is None:
        return cell.status
    text = _fmt(cell.value)
    if cell.ratio_to_plain is not None:
        text += f" ({_fmt(cell.ratio_to_plain)}x)"
    return text


def print_table(title: str, rows: Sequence[Row], frameworks: Sequence[str]) -> None:
    """One table per workload: cases down, frameworks across, then plait/hamilton."""
    if not rows:
        return
    names = [f for f in frameworks if any(f in row.cells for row in rows)]
    header = ["case", "unit", *names, "plait/hamilton"]
    body = [
        [
            row.case,
            row.unit,
            *(_cell_text(row.cells.get(n)) for n in names),
            "-" if row.plait_vs_hamilton is None else f"{_fmt(row.plait_vs_hamilton)}x",
        ]
        for row in rows
    ]
    widths = [max(len(line[i]) for line in [header, *body]) for i in range(len(header))]
    print(f"\n== {title}")
    for line in [header, *body]:
        print("  ".join(text.ljust(w) for text, w in zip(line, widths, strict=True)).rstrip())
    for row in rows:
        if row.note:
            print(f"   note ({row.case}): {row.note}")


def machine_info() -> dict[str, Any]:
    info: dict[str, Any] = {
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "cpu_count": os.cpu_count(),
        "cpu_model": _proc_field("/proc/cpuinfo", "model name"),
        "mem_total": _proc_field("/proc/meminfo", "MemTotal"),
    }
    if hasattr(os, "getloadavg"):
        info["loadavg_start"] = list(os.getloadavg())
    return info


def _proc_field(path: str, key: str) -> str | None:
    try:
        with open(path) as fh:
            for line in fh:
                if line.startswith(key):
                    return line.split(":", 1)[1].strip()
    except OSError:
        return None
    return None


def write_json(path: Path, meta: dict[str, Any], rows: Sequence[Row]) -> None:
    meta = dict(meta)
    meta["date"] = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    if hasattr(os, "getloadavg"):
        meta.setdefault("machine", {})["loadavg_end"] = list(os.getloadavg())
    path.parent.mkdir(parents=True, exist_ok=True)
    payload = {"meta": meta, "rows": [asdict(row) for row in rows]}
    path.write_text(json.dumps(payload, indent=1, default=str) + "\n")
