"""The command mode's effect checks: what counts as a visible change."""

from __future__ import annotations

from guiagent.agents.command_mode.verify import element_state, screen_changed
from guiagent.observation import Box, Element, Screen
from guiagent.testing.recording import blank_observation


def test_blinking_cursor_is_not_a_change_but_a_digit_is() -> None:
    before = blank_observation(640, 400)
    cursor = blank_observation(640, 400)
    cursor.image[100:117, 50:52] = 0  # a 2x17 text cursor
    assert not screen_changed(before, cursor)
    digit = blank_observation(640, 400)
    digit.image[100:130, 300:320] = 0  # a display digit
    assert screen_changed(before, digit)


def test_a_check_mark_inside_a_box_is_a_change() -> None:
    before = blank_observation(640, 400)
    after = blank_observation(640, 400)
    for i in range(8):  # a small tick, about a dozen pixels
        after.image[210 + i // 2, 200 + i] = 0
        after.image[214 - i // 2, 208 + i] = 0
    box = Box(left=190, top=200, right=300, bottom=230)
    assert screen_changed(before, after, box)
    assert not screen_changed(before, after, Box(left=400, top=0, right=640, bottom=400))


def test_frames_of_another_size_count_as_changed() -> None:
    assert screen_changed(blank_observation(640, 400), blank_observation(320, 200))


def test_element_state_follows_the_same_control() -> None:
    box = Box.xywh(10, 10, 100, 20)
    old = Element(role="checkbox", name="Subscribe", box=box, source="a11y")
    new = old.model_copy(update={"states": frozenset({"checked"}), "id": 3})
    other = Element(role="checkbox", name="Other", box=Box.xywh(10, 300, 100, 20), source="a11y")
    screen = Screen(elements=[other, new], width=640, height=400)
    assert element_state(screen, old) == new
