"""The command grammar: sentences in, typed Steps out, and failures that say what went wrong."""

from __future__ import annotations

from typing import Any

import pytest

from guiagent.actions import Wait
from guiagent.agents.command_mode.keys import parse_keys
from guiagent.agents.command_mode.parser import COMMAND_FORMS, parse_command
from guiagent.agents.command_mode.steps import (
    ActionStep,
    CheckStep,
    ClickStep,
    DragStep,
    OpenStep,
    PressStep,
    ScrollStep,
    SelectStep,
    TypeStep,
    WaitForStep,
)
from guiagent.errors import CommandParseError


def _dumps(text: str) -> list[dict[str, Any]]:
    return [s.model_dump(exclude={"source"}) for s in parse_command(text)]


def click(target: str, button: str = "click") -> dict[str, Any]:
    return ClickStep(target=target, button=button).model_dump(exclude={"source"})  # type: ignore[arg-type]


def type_(text: str, target: str | None = None, secret: bool = False) -> dict[str, Any]:
    return TypeStep(text=text, target=target, secret=secret).model_dump(exclude={"source"})


def press(*keys: str, presses: int = 1) -> dict[str, Any]:
    return PressStep(keys=list(keys), presses=presses).model_dump(exclude={"source"})


def open_(what: str, is_url: bool = False) -> dict[str, Any]:
    return OpenStep(what=what, is_url=is_url).model_dump(exclude={"source"})


def dump(step: Any) -> dict[str, Any]:
    return step.model_dump(exclude={"source"})  # type: ignore[no-any-return]


CASES: list[tuple[str, list[dict[str, Any]]]] = [
    # the brief's examples
    ("click 7, click +, click 8, click =", [click("7"), click("+"), click("8"), click("=")]),
    ("click ','", [click(",")]),
    (
        "type 'Grüße, 東京' into the Name field then press ctrl+s",
        [type_("Grüße, 東京", "the Name field"), press("ctrl", "s")],
    ),
    ("open mousepad and type hello world", [open_("mousepad"), type_("hello world")]),
    (
        "check 'Remember me' then click 'Log in'",
        [dump(CheckStep(target="Remember me")), click("Log in")],
    ),
    ("select 'Blue' from Colour", [dump(SelectStep(option="Blue", target="Colour"))]),
    (
        "scroll down 5 times in the list",
        [dump(ScrollStep(direction="down", amount=5, target="the list"))],
    ),
    ("drag file.txt to Trash", [dump(DragStep(start="file.txt", end="Trash"))]),
    ("wait for Save As to appear", [dump(WaitForStep(target="Save As"))]),
    ("double-click 'report.pdf'", [click("report.pdf", "double_click")]),
    ("right click the desktop", [click("the desktop", "right_click")]),
    ("press Tab 3 times", [press("tab", presses=3)]),
    ("go to example.com", [open_("example.com", is_url=True)]),
    # clicks
    ("Click Save", [click("Save")]),
    ("tap on the second Delete button", [click("the second Delete button")]),
    ("press on OK", [click("OK")]),
    ("press the OK button", [click("the OK button")]),
    ("hit Save", [click("Save")]),
    ("double click the file next to Name", [click("the file next to Name", "double_click")]),
    ("right-click 'a, b'", [click("a, b", "right_click")]),
    ("click Terms and Conditions", [click("Terms and Conditions")]),
    ("click Save and Open", [click("Save and Open")]),
    ('click "Bob\'s file"', [click("Bob's file")]),
    ("click 'Bob's file'", [click("Bob's file")]),
    ("click “Log in”", [click("Log in")]),
    # typing
    ("type hello", [type_("hello")]),
    ("write  two  spaces", [type_("two  spaces")]),
    ("enter 'abc' into Search", [type_("abc", "Search")]),
    ("input 42 into the Age field", [type_("42", "the Age field")]),
    ("type 'x' in Name", [type_("x", "Name")]),
    ("type password 'hunter2' into Login", [type_("hunter2", "Login", secret=True)]),
    ("type 'x' into Password", [type_("x", "Password", secret=True)]),
    ("type 1234 into the PIN field", [type_("1234", "the PIN field", secret=True)]),
    ("type abc into the API token box", [type_("abc", "the API token box", secret=True)]),
    ("fill Name with 'Ana'", [type_("Ana", "Name")]),
    ("fill in the Email field with ana@example.com", [type_("ana@example.com", "the Email field")]),
    ("set Name to 'Ana'", [type_("Ana", "Name")]),
    ("set Password to 'pw'", [type_("pw", "Password", secret=True)]),
    ("type 1,000 into Amount", [type_("1,000", "Amount")]),
    ("type salt and pepper", [type_("salt and pepper")]),
    ("type hello and enter", [type_("hello"), press("enter")]),
    ("type 'if a then b' into Code", [type_("if a then b", "Code")]),
    # keys
    ("press Enter", [press("enter")]),
    ("press ctrl+s", [press("ctrl", "s")]),
    ("press Ctrl-S", [press("ctrl", "s")]),
    ("press control s", [press("ctrl", "s")]),
    ("press ctrl shift t", [press("ctrl", "shift", "t")]),
    ("hit alt+f4", [press("alt", "f4")]),
    ("press Escape", [press("escape")]),
    ("press esc", [press("escape")]),
    ("press shift+tab", [press("shift", "tab")]),
    ("press the Enter key", [press("enter")]),
    ("press down arrow 3 times", [press("down", presses=3)]),
    ("press page down twice", [press("pagedown", presses=2)]),
    ("key F5", [press("f5")]),
    ("press ctrl++", [press("ctrl", "+")]),
    ("press A", [press("a")]),
    ("ctrl+s", [press("ctrl", "s")]),
    ("Alt-F4", [press("alt", "f4")]),
    ("press Delete", [press("delete")]),
    # select / check
    ("choose Blue in Colour", [dump(SelectStep(option="Blue", target="Colour"))]),
    ("pick 'Large'", [dump(SelectStep(option="Large"))]),
    ("select Log in from the menu", [dump(SelectStep(option="Log in", target="the menu"))]),
    ("tick 'I agree'", [dump(CheckStep(target="I agree"))]),
    ("enable Wi-Fi", [dump(CheckStep(target="Wi-Fi"))]),
    ("uncheck Remember me", [dump(CheckStep(target="Remember me", checked=False))]),
    ("untick 'Subscribe'", [dump(CheckStep(target="Subscribe", checked=False))]),
    ("disable Bluetooth", [dump(CheckStep(target="Bluetooth", checked=False))]),
    (
        "clear the checkbox Remember me",
        [dump(CheckStep(target="Remember me", checked=False))],
    ),
    # scroll / drag
    ("scroll down", [dump(ScrollStep(direction="down"))]),
    ("scroll up by 10", [dump(ScrollStep(direction="up", amount=10))]),
    ("scroll left in the sidebar", [dump(ScrollStep(direction="left", target="the sidebar"))]),
    (
        "scroll right on the table 2 times",
        [dump(ScrollStep(direction="right", amount=2, target="the table"))],
    ),
    ("drag 'My File' onto “Trash”", [dump(DragStep(start="My File", end="Trash"))]),
    (
        "drag and drop a.txt into the Documents folder",
        [dump(DragStep(start="a.txt", end="the Documents folder"))],
    ),
    # open
    ("open https://example.com/a?b=c", [open_("https://example.com/a?b=c", is_url=True)]),
    ("open www.example.org", [open_("www.example.org", is_url=True)]),
    ("open localhost:8000/app", [open_("localhost:8000/app", is_url=True)]),
    ("open example.com", [open_("example.com", is_url=True)]),
    ("open file:///tmp/a.html", [open_("file:///tmp/a.html", is_url=True)]),
    ("open notes.txt", [open_("notes.txt")]),
    ("launch Firefox", [open_("Firefox")]),
    ("start 'libreoffice --writer'", [open_("libreoffice --writer")]),
    ("run xterm", [open_("xterm")]),
    ("visit github.com/foo", [open_("github.com/foo", is_url=True)]),
    ("navigate to http://localhost:3000", [open_("http://localhost:3000", is_url=True)]),
    # wait
    ("wait 5 seconds", [dump(ActionStep(action=Wait(seconds=5)))]),
    ("wait for 2.5s", [dump(ActionStep(action=Wait(seconds=2.5)))]),
    ("wait 1 minute", [dump(ActionStep(action=Wait(seconds=60)))]),
    ("wait", [dump(ActionStep(action=Wait()))]),
    (
        "wait for Loading to disappear up to 30 seconds",
        [dump(WaitForStep(target="Loading", gone=True, timeout=30))],
    ),
    ("wait for 'Done' to vanish", [dump(WaitForStep(target="Done", gone=True))]),
    ("wait until Saving appears", [dump(WaitForStep(target="Saving"))]),
    ("wait for the dialog for up to 5 s", [dump(WaitForStep(target="the dialog", timeout=5))]),
    # joiners and filler
    ("please click Save", [click("Save")]),
    ("could you click OK please", [click("OK")]),
    ("click A; click B", [click("A"), click("B")]),
    ("click A and then click B", [click("A"), click("B")]),
    ("click A, then click B", [click("A"), click("B")]),
    ("click A after that click B", [click("A"), click("B")]),
    ("first click A, next click B, finally click C", [click("A"), click("B"), click("C")]),
    ("click 'A' , click \"B\"; click “C”", [click("A"), click("B"), click("C")]),
    ("click OK and open mousepad", [click("OK"), open_("mousepad")]),
    ("click OK and wait", [click("OK"), dump(ActionStep(action=Wait()))]),
    ("click Save then", [click("Save")]),
    ("click Save, please", [click("Save")]),
    ("now, click Save", [click("Save")]),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_parses(text: str, expected: list[dict[str, Any]]) -> None:
    assert _dumps(text) == expected


def test_each_step_keeps_its_clause_as_source() -> None:
    steps = parse_command("please click Save, then type 'a, b' into Name and press enter")
    assert [s.source for s in steps] == [
        "please click Save",
        "type 'a, b' into Name",
        "press enter",
    ]


def test_steps_are_the_typed_union_members() -> None:
    steps = parse_command("click OK then press ctrl+s then open example.com")
    assert [type(s) for s in steps] == [ClickStep, PressStep, OpenStep]


@pytest.mark.parametrize(
    ("text", "clause", "reason"),
    [
        ("frobnicate the widget", "frobnicate the widget", "'frobnicate' is not a known verb"),
        ("click Save then frobnicate X", "frobnicate X", "not a known verb"),
        ("type hello, world", "world", "not a known verb"),
        ("click", "click", "missing what to click"),
        ("type", "type", "missing the text to type"),
        ("type 'a' 'b'", "type 'a' 'b'", "after the quoted text expected"),
        ("go to Settings", "go to Settings", "needs a web address"),
        ("press OK 3 times", "press OK 3 times", "repeats key presses only"),
        ("key hello", "key hello", "not a key combination"),
        ("scroll the list", "scroll the list", "needs a direction"),
        ("drag a.txt", "drag a.txt", "expected 'drag A to B'"),
        ("fill Name", "fill Name", "expected 'fill FIELD with TEXT'"),
        ("clear Name", "clear Name", "only unchecks"),
        ("wait around", "wait around", "expected 'wait N seconds'"),
        ("press Tab 500 times", "press Tab 500 times", "presses"),
        ("wait for X up to 9999 seconds", "wait for X up to 9999 seconds", "timeout"),
    ],
)
def test_failures_quote_the_clause_and_list_the_forms(text: str, clause: str, reason: str) -> None:
    with pytest.raises(CommandParseError) as info:
        parse_command(text)
    message = info.value.message
    first = message.splitlines()[0]
    assert first.startswith(f'cannot understand "{clause}"')
    assert reason in first
    for form in COMMAND_FORMS:
        assert form in message


def test_failure_after_and_hints_at_quoting() -> None:
    with pytest.raises(CommandParseError) as info:
        parse_command("click Save and go to Settings")
    assert "and" in (info.value.hint or "")


def test_failure_in_a_sequence_names_the_command() -> None:
    with pytest.raises(CommandParseError) as info:
        parse_command("click A, frob B")
    assert "click A, frob B" in (info.value.hint or "")


@pytest.mark.parametrize("text", ["", "   ", "then", ", ; and then", "please", "now then"])
def test_empty_input_is_an_error(text: str) -> None:
    with pytest.raises(CommandParseError, match="empty command"):
        parse_command(text)


def test_unterminated_quote_points_at_it() -> None:
    with pytest.raises(CommandParseError) as info:
        parse_command("click OK then type 'hello into Name")
    lines = info.value.message.splitlines()
    assert "unterminated quote at column 20" in lines[0]
    assert lines[2].index("^") == lines[1].index("'")


def test_command_forms_is_a_compact_table() -> None:
    assert all(isinstance(f, str) and len(f) <= 100 for f in COMMAND_FORMS)
    assert any(f.startswith("click") for f in COMMAND_FORMS)


@pytest.mark.parametrize(
    ("words", "keys"),
    [
        (["ctrl+s"], ["ctrl", "s"]),
        (["Ctrl-Shift-T"], ["ctrl", "shift", "t"]),
        (["control", "s"], ["ctrl", "s"]),
        (["Return"], ["enter"]),
        (["super"], ["super"]),
        (["win+e"], ["super", "e"]),
        (["pgdn"], ["pagedown"]),
        (["F12"], ["f12"]),
        (["ctrl+-"], ["ctrl", "-"]),
        (["-"], ["-"]),
        (["a+b"], None),
        (["OK"], None),
        (["the", "OK", "button"], None),
        (["s", "ctrl"], None),
        (["F13"], None),
    ],
)
def test_key_names_are_normalised(words: list[str], keys: list[str] | None) -> None:
    assert parse_keys(words) == keys
