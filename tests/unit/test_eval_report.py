"""report.html from a trajectory: click points, typed text with secrets masked, gate verdicts."""

from __future__ import annotations

import json
from pathlib import Path

from guiagent.evaluation.report import MASK, write_report
from guiagent.evaluation.results import TaskResult


def _line(step: int, action: dict[str, object], **extra: object) -> str:
    obs = {"size": [100, 50]}
    return json.dumps({"step": step, "observation": obs, "action": action, **extra})


def test_report_draws_actions_and_masks_secrets(tmp_path: Path) -> None:
    traj = tmp_path / "tasks" / "t" / "run"
    traj.mkdir(parents=True)
    point = {"point": {"x": 10, "y": 20}}
    lines = [
        _line(1, {"type": "click", "target": point}, description="click (10,20)"),
        _line(2, {"type": "type_text", "text": "hunter2", "secret": True}),
        _line(
            3,
            {"type": "click", "target": {"element": 4}},
            result={"detail": "click (30,40)"},
            gate={"verdict": "confirm", "asked": True, "approved": False, "reason": "r"},
        ),
        json.dumps({"event": "end", "state": "failed", "message": "the gate refused"}),
    ]
    (traj / "steps.jsonl").write_text("\n".join(lines))
    result = TaskResult(id="t", domain="d", status="ran", trajectory=str(traj), score=0.5)
    html = write_report(tmp_path, [result], 3.0).read_text()
    assert 'cx="10" cy="20"' in html and 'cx="30" cy="40"' in html
    assert "hunter2" not in html and MASK in html
    assert "gate: confirm → denied" in html and "the gate refused" in html
    assert "score 0.5" in html and "wall time 3.0 s" in html
