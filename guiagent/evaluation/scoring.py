"""Scoring one finished task: run the postconfig steps, the getters, then the metrics, and
combine them by ``conj``. A getter that needs something absent skips the task; it never passes.
"""

from __future__ import annotations

from typing import Any

from guiagent.errors import SetupError
from guiagent.evaluation.getters import GETTERS, EvalEnv
from guiagent.evaluation.metrics import METRICS, combine
from guiagent.evaluation.providers.local import TaskSkipped
from guiagent.evaluation.tasks import EvalTask, Getter


def _get(getter: Getter | None, env: EvalEnv) -> Any:
    if getter is None:
        return None
    fn = GETTERS.get(getter.type)
    if fn is None:
        raise TaskSkipped(f"getter {getter.type} not implemented")
    try:
        return fn(env, getter.params)
    except SetupError as exc:
        raise TaskSkipped(exc.message) from exc


def score(task: EvalTask, env: EvalEnv, *, agent_gave_up: bool) -> float:
    """The task's score in [0, 1]. ``infeasible`` scores 1 when the agent declared failure."""
    scores: list[float] = []
    for name, result, expected, options in task.evaluator.parts():
        if name == "infeasible":
            scores.append(float(agent_gave_up))
            continue
        metric = METRICS.get(name)
        if metric is None:
            raise TaskSkipped(f"metric {name} not implemented")
        got, want = _get(result, env), _get(expected, env)
        try:
            scores.append(float(metric(got, want, **options)))
        except (KeyError, TypeError, ValueError, OSError) as exc:
            scores.append(0.0)  # an evaluator that cannot read what it needs: not a pass
            env.extra.setdefault("metric_errors", []).append(f"{name}: {exc!r}")
    return combine(scores, task.evaluator.conj)
