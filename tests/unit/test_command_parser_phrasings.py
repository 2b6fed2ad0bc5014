"""Everyday phrasings of the command grammar: sentence punctuation, "click on the X button",
means clauses ("by clicking"), lists, label/value pairs, letter case, "both fields", menu
paths and "switch between the tabs to find"."""

from __future__ import annotations

import pytest

from guiagent.agents.command_mode.agent import without_echo
from guiagent.agents.command_mode.parser import parse_command
from guiagent.agents.command_mode.steps import (
    ClickStep,
    HoverStep,
    MenuStep,
    PressStep,
    SelectStep,
    Step,
    TypeStep,
)
from guiagent.errors import CommandParseError
from guiagent.observation import Box, Element, Screen
from guiagent.perception.query import parse_query


def plain(steps: list[Step]) -> list[dict[str, object]]:
    return [s.model_dump(exclude={"source"}, exclude_defaults=True) for s in steps]


@pytest.mark.parametrize(
    ("sentence", "target"),
    [
        ('Click on the "OK" button.', 'the "OK" button'),
        ("Click the button.", "the button"),
        ("click Save!", "Save"),
        ('Click on the link "Eget".', 'the link "Eget"'),
        ('Click the button in the dialog box labeled "Cancel".', 'the button labeled "Cancel"'),
        ('Close the dialog box by clicking the "x".', 'the "x"'),
        ('Click on a "checkbox" widget.', "checkbox"),
        ('Click on a "text" widget.', "text field"),
        ("Focus into the 2nd input textbox.", "the 2nd input textbox"),
        ("focus on the search box", "the search box"),
        ("Expand the section below", "the section"),
    ],
)
def test_click_phrasings(sentence: str, target: str) -> None:
    assert parse_command(sentence) == [ClickStep(target=target, source=sentence.rstrip(".!"))]


def test_a_url_keeps_its_dots_and_the_period_key_stays_a_key() -> None:
    assert parse_command("open example.com.")[0].model_dump()["what"] == "example.com"
    assert parse_command("press .") == [PressStep(keys=["."], source="press .")]
    assert plain(parse_command('click "x". Then click OK.')) == [
        {"target": "x"},
        {"target": "OK"},
    ]


def test_enter_into_the_field_and_press_a_button() -> None:
    steps = parse_command('Enter "Agustina" into the text field and press Submit.')
    assert plain(steps) == [{"text": "Agustina", "target": "the text field"}, {"target": "Submit"}]


def test_letter_case_is_applied_to_the_text() -> None:
    up = parse_command('Type "agustina" in all upper case letters in the text input')
    assert plain(up) == [{"text": "AGUSTINA", "target": "the text input"}]
    low = parse_command("type 'JERALD' in lowercase into Name")
    assert plain(low) == [{"text": "jerald", "target": "Name"}]


def test_both_fields_get_the_text_and_a_password_stays_secret() -> None:
    steps = parse_command('Enter the password "yA" into both text fields and press submit.')
    assert plain(steps) == [
        {"text": "yA", "target": "the first text field", "secret": True},
        {"text": "yA", "target": "the second text field", "secret": True},
        {"target": "submit"},
    ]


def test_label_value_pairs() -> None:
    steps = parse_command(
        'Enter the username "karrie" and the password "AU" into the text fields and press login.'
    )
    assert plain(steps) == [
        {"text": "karrie", "target": "username field"},
        {"text": "AU", "target": "password field", "secret": True},
        {"target": "login"},
    ]


def test_lists_carry_the_verb_on() -> None:
    steps = parse_command("Select 91YPF, i6Vdpn2, nd7Qt and XPMut and click Submit.")
    assert [s.option for s in steps if isinstance(s, SelectStep)] == [
        "91YPF",
        "i6Vdpn2",
        "nd7Qt",
        "XPMut",
    ]
    assert steps[-1] == ClickStep(target="Submit", source="click Submit")
    with pytest.raises(CommandParseError):
        parse_command("type hello, world")  # a list continues select/check only


def test_a_multiword_option_stays_whole() -> None:
    steps = parse_command("Select Heard Island and McDonald Islands from the list")
    assert plain(steps) == [{"option": "Heard Island and McDonald Islands", "target": "the list"}]


def test_menu_path_is_one_step() -> None:
    (step,) = parse_command("Select File>Open>Recent")
    assert isinstance(step, MenuStep) and step.path == ["File", "Open", "Recent"]
    # quoted or "from" keeps '>' an option's text
    assert plain(parse_command("select 'a>b' from the list")) == [
        {"option": "a>b", "target": "the list"}
    ]


@pytest.mark.parametrize(
    ("sentence", "target"),
    [
        ("hover over the Settings icon", "the Settings icon"),
        ("Hover on Help", "Help"),
        ("mouse over 'Export'", "Export"),
        ("move the mouse to the Tip button", "the Tip button"),
        ("point at Recent", "Recent"),
    ],
)
def test_hover_phrasings(sentence: str, target: str) -> None:
    (step,) = parse_command(sentence)
    assert isinstance(step, HoverStep) and step.target == target


def test_switch_between_tabs_to_find() -> None:
    steps = parse_command('Switch between the tabs to find and click on the link "aliquet".')
    assert steps == [
        ClickStep(target='the link "aliquet"', search="tabs", source='click on the link "aliquet"')
    ]
    with pytest.raises(CommandParseError, match="nothing to find"):
        parse_command("switch between the tabs to find")


def test_the_instruction_shown_on_screen_is_not_a_target() -> None:
    task = 'Click on the "okay" button.'

    def el(i: int, name: str, role: str, source: str = "a11y") -> Element:
        return Element(
            id=i,
            name=name,
            role=role,
            source=source,
            box=Box(left=0, top=i * 20, right=50, bottom=i * 20 + 10),
        )

    screen = Screen(
        elements=[el(0, task, "text"), el(1, "okay", "button"), el(2, "okay", "text", "ocr")],
        width=200,
        height=200,
    )
    kept = without_echo(screen, task, 'the "okay" button')
    assert [e.id for e in kept.elements] == [1, 2]
    assert parse_query("the text input").role == "text_field"
    assert parse_query("the list").role == "combo_box"
    assert TypeStep(text="a").target is None


def test_select_nothing_selects_nothing() -> None:
    assert plain(parse_command("Select nothing and click Submit.")) == [{"target": "Submit"}]
    assert plain(parse_command("select 'nothing'")) == [{"option": "nothing"}]


def test_only_a_closing_mark_is_taken_off() -> None:
    assert plain(parse_command("click Next (2).")) == [{"target": "Next (2)"}]
    assert plain(parse_command("click f(x))")) == [{"target": "f(x))"}]
    assert plain(parse_command("click Save As...")) == [{"target": "Save As..."}]
