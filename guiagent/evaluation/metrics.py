"""Metrics, by OSWorld name, through an explicit registry: ``metric(result, expected, **options)
-> float`` in [0, 1]. A name not listed here makes the task skipped ("metric X not implemented"),
never a silent pass.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

Metric = Callable[..., float]


def _rules(expected: Any) -> dict[str, Any]:
    return expected if isinstance(expected, dict) else {"expected": expected}


def _text(value: Any) -> str:
    if isinstance(value, Path):
        return value.read_text(encoding="utf-8", errors="replace") if value.exists() else ""
    return "" if value is None else str(value)


def exact_match(result: Any, expected: Any, **_: Any) -> float:
    return float(result == _rules(expected)["expected"])


def check_include_exclude(result: Any, expected: Any, **_: Any) -> float:
    text = _text(result)
    rules = _rules(expected)
    ok = all(s in text for s in rules.get("include", [])) and not any(
        s in text for s in rules.get("exclude", [])
    )
    return float(ok)


def match_in_list(result: Any, expected: Any, **_: Any) -> float:
    return float(result in _rules(expected)["expected"])


def is_in_list(result: Any, expected: Any, **_: Any) -> float:
    return float(_rules(expected)["expected"] in (result or []))


def fuzzy_match(result: Any, expected: Any, **_: Any) -> float:
    return fuzz.ratio(_text(result), str(_rules(expected)["expected"])) / 100.0


def literal_match(result: Any, expected: Any, ignore_case: bool = False, **_: Any) -> float:
    want = _rules(expected)["expected"]
    got = _text(result) if isinstance(result, Path) else result
    if ignore_case and isinstance(got, str) and isinstance(want, str):
        return float(got.lower() == want.lower())
    return float(got == want)


def _load_json(value: Any) -> Any:
    if isinstance(value, (dict, list)):
        return value
    try:
        return json.loads(_text(value))
    except json.JSONDecodeError:
        return None


def _subset(want: Any, got: Any) -> bool:
    if isinstance(want, dict):
        return isinstance(got, dict) and all(
            k in got and _subset(v, got[k]) for k, v in want.items()
        )
    return bool(want == got)


def check_json_settings(result: Any, expected: Any, **_: Any) -> float:
    """Every expected key/value is in the JSON file (extra settings are fine)."""
    got = _load_json(result)
    return float(got is not None and _subset(_rules(expected)["expected"], got))


def check_direct_json_object(result: Any, expected: Any, **_: Any) -> float:
    got = _load_json(result)
    rules = _rules(expected)
    want = rules.get("expected", rules)
    return float(isinstance(got, dict) and _subset(want, got))


def compare_text_file(result: Any, expected: Any, ignore_blanks: bool = False, **_: Any) -> float:
    got, want = _text(result), _text(expected)
    if ignore_blanks:
        got, want = " ".join(got.split()), " ".join(want.split())
    return float(result is not None and got == want)


def check_moved_jpgs(result: Any, expected: Any, **_: Any) -> float:
    return float(sorted(result or []) == sorted(_rules(expected)["expected"]))


def file_contains(result: Any, expected: Any, **_: Any) -> float:
    """guiagent's own: the file exists and holds every ``include`` string (none of
    ``exclude``)."""
    if result is None or (isinstance(result, Path) and not result.exists()):
        return 0.0
    return check_include_exclude(result, expected)


def infeasible(result: Any = None, expected: Any = None, **_: Any) -> float:
    """Scored by the provider from the agent's last action (fail = 1): never called."""
    raise AssertionError("infeasible is scored from the agent's last action")


METRICS: dict[str, Metric] = {
    f.__name__: f
    for f in (
        exact_match,
        check_include_exclude,
        match_in_list,
        is_in_list,
        fuzzy_match,
        literal_match,
        check_json_settings,
        check_direct_json_object,
        compare_text_file,
        check_moved_jpgs,
        file_contains,
        infeasible,
    )
}


def combine(scores: list[float], conj: str) -> float:
    """OSWorld's ``conj``: "and" needs every metric (mean, 0 when one is 0), "or" any."""
    if not scores:
        return 0.0
    if conj == "or":
        return max(scores)
    return 0.0 if min(scores) == 0 else sum(scores) / len(scores)
