"""The tolerant output parser: what it accepts, and fuzzing that it never crashes — every input
gives a typed result or a ModelOutputError."""

from __future__ import annotations

import json
from typing import Literal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from guiagent.actions import Action, Click
from guiagent.errors import ModelError, ModelOutputError
from guiagent.models.parsing import extract_json, parse_output


class Out(BaseModel):
    kind: Literal["a", "b"]
    n: int = 0
    items: list[str] = []


class Step(BaseModel):
    actions: list[Action]


@pytest.mark.parametrize(
    "text",
    [
        '{"kind": "a", "n": 2}',
        'Here you go:\n```json\n{"kind": "a", "n": 2}\n```\nHope it helps',
        '<think>maybe {"kind": "b"}? no</think>{"kind": "a", "n": 2}',
        '{"kind": "a", "n": 2,}',
        "{'kind': 'a'}".replace("'", '"')[:-1] + ', "n": 2, "items": [],}',
        'The answer {is} {"kind": "a", "n": 2}',
    ],
)
def test_accepts_common_local_model_shapes(text: str) -> None:
    assert parse_output(text, Out).kind == "a"


def test_python_literals_outside_strings_only() -> None:
    assert extract_json('{"x": True, "y": None, "s": "True or None"}') == {
        "x": True,
        "y": None,
        "s": "True or None",
    }


def test_truncated_and_missing_json_are_named() -> None:
    with pytest.raises(ModelOutputError, match="truncated"):
        parse_output('{"kind": "a", "items": ["x", "y', Out)
    with pytest.raises(ModelOutputError, match="no JSON"):
        parse_output("I clicked the button.", Out)
    with pytest.raises(ModelOutputError, match="kind"):
        parse_output('{"kind": "z"}', Out)


def test_actions_parse_into_the_union() -> None:
    step = parse_output('{"actions": [{"type": "click", "target": {"element": 4}}]}', Step)
    assert step.actions == [Click(target={"element": 4})]  # type: ignore[arg-type]
    with pytest.raises(ModelOutputError, match="actions"):
        parse_output('{"actions": [{"type": "explode"}]}', Step)


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    with pytest.raises(ModelOutputError):
        parse_output("[" * 100_000 + "]" * 100_000, Out)


def _check(text: str, model: type[BaseModel]) -> None:
    try:
        result = parse_output(text, model)
    except ModelError:
        return
    assert isinstance(result, model)


FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
JSONISH = st.text(alphabet='{}[]",:.0123456789-+eE \n\ttruefalsn\\`<>/thinkjso', max_size=200)


@FUZZ
@given(st.text(max_size=400))
def test_fuzz_any_text(text: str) -> None:
    _check(text, Out)
    _check(text, Step)


@FUZZ
@given(JSONISH)
def test_fuzz_json_like_text(text: str) -> None:
    _check(text, Out)
    _check(text, Step)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@FUZZ
@given(json_values, st.text(max_size=30), st.text(max_size=30), st.integers(0, 40))
def test_fuzz_wrapped_and_cut_json(value: object, before: str, after: str, cut: int) -> None:
    text = before + json.dumps(value) + after
    _check(text, Out)
    _check(text[: max(0, len(text) - cut)], Step)


@FUZZ
@given(
    st.fixed_dictionaries(
        {"kind": st.sampled_from(["a", "b"]), "n": st.integers(-(10**6), 10**6)},
        optional={"items": st.lists(st.text(max_size=12), max_size=5)},
    ),
    st.sampled_from(["", "Answer:\n", "```json\n", "<think>{</think>"]),
)
def test_fuzz_valid_objects_always_parse(value: dict[str, object], prefix: str) -> None:
    suffix = "\n```" if prefix.startswith("```") else ""
    parsed = parse_output(prefix + json.dumps(value) + suffix, Out)
    assert parsed.kind == value["kind"] and parsed.n == value["n"]
