"""``report.html``: the run's summary, then per task its trajectory as screenshots with each
action drawn on them (where it clicked, what it typed — secrets masked —, what the gate
decided). One static file; screenshots are linked relative to it, so the folder can be moved.
"""

from __future__ import annotations

import json
import os
import re
from html import escape
from pathlib import Path
from typing import Any

from guiagent.evaluation.results import TaskResult, summarise

MASK = "••••••"
_POINT = re.compile(r"\((\d+(?:\.\d+)?),\s*(\d+(?:\.\d+)?)\)")
_STYLE = """
body{font:14px system-ui,sans-serif;margin:24px;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}
.task{border-top:2px solid #888;margin-top:24px}.ran{color:#063}.skipped{color:#666}
.error{color:#a00}.steps{display:flex;flex-wrap:wrap;gap:12px}
.step{width:420px}.shot{position:relative}.shot img{width:100%;display:block}
.shot svg{position:absolute;left:0;top:0;width:100%;height:100%}
.caption{font-size:12px}.gate-deny,.gate-denied{color:#a00;font-weight:bold}
.gate-confirm{color:#a60}
"""


def _points(line: dict[str, Any]) -> list[tuple[float, float]]:
    """Where the action pointed: its target points, else (an element-id target, resolved by
    the runner) the point the driver reported in its result, e.g. "click (639,436)"."""
    action = line.get("action") or {}
    points = []
    for name in ("target", "start", "end"):
        target = action.get(name)
        if isinstance(target, dict) and isinstance(target.get("point"), dict):
            points.append((float(target["point"]["x"]), float(target["point"]["y"])))
    if not points and any(isinstance(action.get(n), dict) for n in ("target", "start")):
        detail = str((line.get("result") or {}).get("detail", ""))
        points = [(float(x), float(y)) for x, y in _POINT.findall(detail)][:2]
    return points


def _typed(action: dict[str, Any]) -> str | None:
    if action.get("type") != "type_text":
        return None
    return MASK if action.get("secret") else str(action.get("text", ""))


def _gate(line: dict[str, Any]) -> str:
    gate = line.get("gate")
    if not isinstance(gate, dict):
        return ""
    verdict = str(gate.get("verdict", ""))
    if gate.get("asked"):
        decided = "approved" if gate.get("approved") else "denied"
        who = gate.get("approved_by") or gate.get("channel") or ""
        text = f"gate: {verdict} → {decided}" + (f" by {who}" if who else "")
        css = "denied" if not gate.get("approved") else verdict
    else:
        text, css = f"gate: {verdict}", verdict
    reason = gate.get("reason") or ""
    return f'<div class="gate-{escape(css)}" title="{escape(reason)}">{escape(text)}</div>'


def _overlay(line: dict[str, Any], size: tuple[int, int]) -> str:
    action = line.get("action") or {}
    marks = []
    points = _points(line)
    for i, (x, y) in enumerate(points):
        marks.append(
            f'<circle class="click" cx="{x:g}" cy="{y:g}" r="14" fill="none" '
            f'stroke="red" stroke-width="4"/>'
        )
        if i:
            px, py = points[i - 1]
            marks.append(
                f'<line x1="{px:g}" y1="{py:g}" x2="{x:g}" y2="{y:g}" stroke="red" '
                f'stroke-width="3"/>'
            )
    typed = _typed(action)
    if typed is not None:
        x, y = points[0] if points else (12, size[1] - 24)
        marks.append(
            f'<text class="typed" x="{x + 18:g}" y="{y:g}" font-size="28" fill="red" '
            f'stroke="white" stroke-width="1">⌨ {escape(typed)}</text>'
        )
    return (
        f'<svg viewBox="0 0 {size[0]} {size[1]}" preserveAspectRatio="none">'
        + "".join(marks)
        + "</svg>"
    )


def _steps(trajectory: Path, root: Path) -> str:
    path = trajectory / "steps.jsonl"
    if not path.exists():
        return ""
    cells = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        try:
            line = json.loads(raw)
        except json.JSONDecodeError:
            continue
        if "step" not in line:
            if line.get("event") == "end":
                cells.append(
                    f'<div class="end">end: {escape(str(line.get("state")))} — '
                    f"{escape(str(line.get('message', '')))}</div>"
                )
            continue
        size = tuple((line.get("observation") or {}).get("size") or (1280, 800))
        action = line.get("action") or {}
        description = str(line.get("description", action.get("type", "")))
        if _typed(action) == MASK:
            description = f"type {MASK} (secret)"
        shot = line.get("screenshot")
        img = ""
        if shot and (trajectory / shot).exists():
            src = os.path.relpath(trajectory / shot, root)
            img = f'<img src="{escape(src)}" alt="step {line["step"]}">'
        cells.append(
            f'<div class="step" data-step="{line["step"]}"><div class="shot">{img}'
            f"{_overlay(line, (int(size[0]), int(size[1])))}</div>"
            f'<div class="caption"><b>{line["step"]}.</b> {escape(description)}'
            f"{_gate(line)}</div></div>"
        )
    return '<div class="steps">' + "".join(cells) + "</div>"


def _summary(results: list[TaskResult], wall: float | None) -> str:
    rows = "".join(
        f"<tr><td>{escape(domain)}</td><td>{int(r['tasks'])}</td><td>{int(r['ran'])}</td>"
        f"<td>{int(r['skipped'])}</td><td>{int(r['errors'])}</td><td>{r['score']:.3f}</td></tr>"
        for domain, r in summarise(results).items()
    )
    wall_text = f"<p>wall time {wall:.1f} s</p>" if wall is not None else ""
    return (
        '<table id="summary"><tr><th>domain</th><th>tasks</th><th>ran</th><th>skipped</th>'
        f"<th>errors</th><th>score</th></tr>{rows}</table>{wall_text}"
    )


def _task(result: TaskResult, root: Path) -> str:
    verdict = {
        "ran": f"score {result.score:g}",
        "skipped": f"skipped: {result.skip_reason}",
        "error": "error",
    }[result.status]
    parts = [
        f'<section class="task" id="{escape(result.id)}" data-status="{result.status}">',
        f"<h3>{escape(result.id)} <small>({escape(result.domain)})</small> "
        f'<span class="{result.status}">{escape(verdict)}</span></h3>',
    ]
    if result.instruction:
        parts.append(f"<p><i>{escape(result.instruction)}</i></p>")
    parts.append(f"<p>{result.steps} step(s), {result.seconds:g} s, {result.tokens} token(s)</p>")
    if result.error:
        parts.append(f'<pre class="error">{escape(result.error)}</pre>')
    if result.trajectory:
        parts.append(_steps(Path(result.trajectory), root))
    return "".join(parts) + "</section>"


def write_report(folder: Path, results: list[TaskResult], wall: float | None = None) -> Path:
    """Write ``folder/report.html`` and return its path."""
    body = "".join(_task(r, folder) for r in sorted(results, key=lambda r: (r.domain, r.id)))
    html = (
        '<!doctype html><html><head><meta charset="utf-8"><title>guiagent eval report</title>'
        f"<style>{_STYLE}</style></head><body><h1>guiagent evaluation</h1>"
        f"{_summary(results, wall)}{body}</body></html>"
    )
    path = folder / "report.html"
    path.write_text(html, encoding="utf-8")
    return path
