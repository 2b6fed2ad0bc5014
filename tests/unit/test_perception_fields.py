"""Empty text fields found from pixels: a light interior inside a darker frame, not a button."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from guiagent.perception.fields import find_fields


def _frame(img: np.ndarray, box: tuple[int, int, int, int], fill: int, edge: int) -> None:
    left, top, right, bottom = box
    img[top:bottom, left:right] = edge
    img[top + 1 : bottom - 1, left + 1 : right - 1] = fill


def test_fields_are_found_and_buttons_and_text_are_not() -> None:
    img = np.full((200, 300, 3), 255, np.uint8)
    _frame(img, (10, 10, 140, 31), 255, 118)  # an empty field
    _frame(img, (10, 50, 140, 71), 255, 16)  # a field with text and a focus outline
    img[56:64, 20:60] = 30  # the typed text
    img[50, 10] = img[50, 139] = 255  # a rounded corner must not leak
    _frame(img, (10, 90, 60, 111), 239, 118)  # a grey button
    img[130:140, 10:200] = 0  # a dark bar of text
    boxes = [el.box.as_list() for el in find_fields(img)]
    assert boxes == [[10, 10, 140, 31], [10, 50, 140, 71]]
    assert all(el.role == "text_field" and el.source == "detector" for el in find_fields(img))


def test_a_tables_cells_are_not_fields_but_fields_stacked_apart_are() -> None:
    img = np.full((260, 400, 3), 255, np.uint8)
    for row in range(3):  # a two-column table: cells share their borders
        for col in range(2):
            left, top = 10 + 150 * col, 10 + 30 * row
            _frame(img, (left, top, left + 151, top + 31), 255, 200)
    _frame(img, (140, 150, 320, 176), 255, 118)  # two fields, one under the other, apart
    _frame(img, (140, 180, 320, 206), 255, 118)
    boxes = [el.box.as_list() for el in find_fields(img) if el.role == "text_field"]
    assert boxes == [[140, 150, 320, 176], [140, 180, 320, 206]]


def test_a_search_bars_boxes_on_one_coloured_strip_are_fields_not_a_table() -> None:
    """Where, when and who side by side on a yellow bar: white boxes a few pixels apart
    (the strip between them shows), not cells sharing one border line."""
    img = np.full((80, 700, 3), 255, np.uint8)
    img[10:60, 10:690] = (255, 201, 60)
    for left, right in ((14, 240), (244, 470), (474, 686)):
        img[14:56, left:right] = 255
    boxes = [el.box.as_list() for el in find_fields(img) if el.role == "text_field"]
    assert boxes == [[13, 13, 241, 57], [243, 13, 471, 57], [473, 13, 687, 57]]


def test_a_blank_screen_has_no_fields() -> None:
    assert find_fields(np.full((100, 100, 3), 255, np.uint8)) == []


def test_a_detected_field_may_be_the_closed_drop_down_list() -> None:
    from guiagent.observation import Screen
    from guiagent.perception.ground import Grounder

    img = np.full((100, 200, 3), 255, np.uint8)
    _frame(img, (10, 10, 150, 31), 255, 118)
    screen = Screen(elements=find_fields(img), width=200, height=100)
    best = Grounder().best(screen, "the list")
    assert best.element.source == "detector" and 0.6 <= best.score < 1.0
    assert Grounder().best(screen, "the text field").score == 1.0


def test_a_word_written_in_the_same_case_wins_a_tie() -> None:
    from guiagent.perception.textmatch import match_text

    same = match_text("Eget", "Eget tortor, pretium")
    other = match_text("Eget", "Donec ridiculus eget")
    assert same is not None and other is not None and same.score > other.score


def test_the_perceiver_finds_fields_only_when_asked() -> None:
    from guiagent.config import PerceptionConfig
    from guiagent.perception.perceiver import Perceiver

    img = np.full((100, 200, 3), 255, np.uint8)
    _frame(img, (10, 10, 150, 31), 255, 118)
    config = PerceptionConfig(ocr=False, detector=False)  # the field finder alone
    assert Perceiver(config).perceive_image(img).elements == []
    found = Perceiver(config, fields=True).perceive_image(img)
    assert [el.role for el in found.elements] == ["text_field"] and "fields" in found.timings_ms


def test_ocr_look_alike_characters_still_match() -> None:
    from guiagent.perception.textmatch import match_text

    alike = match_text("b2O", "b20")
    assert alike is not None and 0.8 <= alike.score < 0.93
    assert match_text("nlC", "nIC") is not None
    assert match_text("b2O", "b2Q") is None


def test_a_text_area_prefers_a_multi_line_field() -> None:
    from guiagent.observation import Box, Element, Screen
    from guiagent.perception.ground import Grounder

    def field(i: int, states: frozenset[str]) -> Element:
        box = Box(left=0, top=i * 30, right=100, bottom=i * 30 + 20)
        return Element(id=i, role="text_field", box=box, source="a11y", states=states)

    screen = Screen(
        elements=[field(0, frozenset()), field(1, frozenset({"multi_line"}))], width=200, height=99
    )
    assert Grounder().best(screen, "text area").element.id == 1
    assert Grounder().best(screen, "the text field").element.id == 0


def test_small_framed_squares_and_circles_are_checkboxes_and_radios() -> None:
    import cv2

    img = np.full((60, 120, 3), 255, np.uint8)
    _frame(img, (10, 10, 23, 23), 255, 118)  # a 13 px check box
    cv2.circle(img, (60, 16), 6, (118, 118, 118), 1)  # a radio button
    img[40:44, 10:14] = 0  # a speck of text is neither
    found = {el.role: el.box.as_list() for el in find_fields(img)}
    assert found["checkbox"] == [10, 10, 23, 23]
    assert set(found) == {"checkbox", "radio_button"}


def test_a_resize_grip_marks_a_multi_line_field() -> None:
    img = np.full((120, 300, 3), 255, np.uint8)
    _frame(img, (10, 10, 140, 40), 255, 118)  # a text area ...
    for i in range(7):  # ... with the browser's grip: two short diagonal strokes
        img[36 - i, 129 + i] = 102
        if i < 3:
            img[36 - i, 133 + i] = 102
    _frame(img, (10, 60, 140, 90), 255, 118)  # a one-line field with text near its corner
    img[80:83, 110:134] = 40
    area, line = find_fields(img)
    assert "multi_line" in area.states
    assert "multi_line" not in line.states


def test_a_ticked_check_box_is_found_and_marked_checked() -> None:
    img = np.full((60, 200, 3), 255, np.uint8)
    img[10:26, 10:26] = (53, 132, 228)  # an accent-filled square ...
    for i in range(5):  # ... with a white tick
        img[18 + i, 13 + i] = img[18 + i, 14 + i] = 255
        img[22 - 2 * i, 17 + i] = img[21 - 2 * i, 17 + i] = 255
    img[12:24, 60:72] = (0, 0, 238)  # a link-blue glyph block without a tick: no box
    img[30:46, 100:116] = (40, 40, 40)  # a dark icon with a light mark: not a check box
    img[36:40, 104:112] = 255
    (ticked,) = [el for el in find_fields(img) if "checked" in el.states]
    assert ticked.role == "checkbox" and ticked.box.as_list() == [10, 10, 26, 26]


def test_a_sure_toolbar_icon_is_no_radio_button_but_a_labelled_radio_stays() -> None:
    """A round toolbar icon reads as a radio button to the field finder: a close icon match
    with no words beside it wins; a radio with its label beside it, or an icon that is
    itself a radio or check box, stays a control."""
    from guiagent.observation import Box, Element
    from guiagent.perception.perceiver import _unless_icons

    def guess(x: int, role: str = "radio_button") -> Element:
        return Element(role=role, box=Box.xywh(x, 10, 20, 20), source="detector", score=0.6)

    def icon(x: int, name: str, score: float = 0.99) -> Element:
        return Element(role="icon", name=name, box=Box.xywh(x, 10, 20, 20), source="detector",
                       score=score)  # fmt: skip

    label = Element(role="text", name="Small", box=Box.xywh(134, 12, 40, 16), source="ocr")
    guessed = [guess(10), guess(110), guess(210, "checkbox"), guess(310)]
    icons = [
        icon(10, "Pivot Table (Pivot Table Dialog)"),
        icon(110, "Pivot Table"),  # the radio's label is beside it
        icon(210, "check box outline blank (square outline)"),
        icon(310, "lens (circle)", score=0.9),  # a weak match proves nothing
    ]
    kept = _unless_icons(guessed, icons, [label])
    assert [el.box.left for el in kept] == [110, 210, 310]


_SWITCHES = Path(__file__).parents[1] / "data" / "frames" / "switches.png"
# (label, left, top, on) of each switch on tests/data/web/switches.html as Chromium drew it
_SWITCH_ROWS = [
    ("Wi-Fi", 886, 30, True),
    ("Bluetooth", 886, 75, False),
    ("Airplane mode", 878, 120, False),
    ("Dark theme", 878, 173, True),
    ("Notifications", 896, 226, True),
    ("Sounds", 896, 265, False),
    ("Auto update", 890, 304, True),
    ("Location", 890, 345, False),
]


def test_switches_are_found_with_their_state_and_pill_buttons_are_not() -> None:
    """Four looks (iOS, Material 3, Bootstrap, dark), on and off; the page's pill-shaped Save
    button and Tag chip are no switches, nor is a knob a radio button."""
    from PIL import Image

    img = np.asarray(Image.open(_SWITCHES).convert("RGB"))
    found = [el for el in find_fields(img) if el.role != "text_field"]
    assert all(el.role == "checkbox" and "switch" in el.states for el in found)
    seen = sorted((el.box.top, el.box.left, "checked" in el.states) for el in found)
    want = sorted((y, x, on) for _label, x, y, on in _SWITCH_ROWS)
    assert len(seen) == len(want)
    for (y, x, on), (sy, sx, son) in zip(want, seen, strict=True):
        assert abs(sx - x) <= 2 and abs(sy - y) <= 2 and son == on


@pytest.mark.parametrize("verb", ["turn on {}", "switch off {}", "toggle {}", "the {} switch"])
def test_a_switch_is_found_at_the_far_end_of_its_row(verb: str) -> None:
    from guiagent.config import PerceptionConfig
    from guiagent.perception.ground import Grounder
    from guiagent.perception.perceiver import Perceiver

    screen = Perceiver(PerceptionConfig(), fields=True).perceive_image(_SWITCHES)
    for label, x, y, _on in _SWITCH_ROWS:
        box = Grounder().best(screen, verb.format(label)).element.box
        assert abs(box.left - x) <= 2 and abs(box.top - y) <= 2, label


def test_a_slider_is_a_thin_track_with_a_round_knob_on_it() -> None:
    import cv2

    img = np.full((120, 400, 3), 255, np.uint8)
    cv2.rectangle(img, (40, 47), (320, 52), (230, 230, 230), -1)  # the track, 6 px
    cv2.rectangle(img, (40, 47), (150, 52), (37, 99, 235), -1)  # its filled part
    cv2.circle(img, (150, 49), 9, (37, 99, 235), -1, cv2.LINE_AA)  # the knob
    cv2.rectangle(img, (40, 97), (320, 100), (200, 200, 200), -1)  # a rule: no knob
    sliders = [el for el in find_fields(img) if el.role == "slider"]
    assert len(sliders) == 1
    box = sliders[0].box
    assert abs(box.left - 40) <= 1 and abs(box.right - 321) <= 1
    assert box.top <= 41 and box.bottom >= 58  # the knob's height, not the track's
