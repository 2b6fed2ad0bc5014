"""Fusion of accessibility and OCR elements: de-duplication, naming, labels, reading order."""

from __future__ import annotations

from guiagent.observation import Box, Element, ElementSource
from guiagent.perception.fuse import fuse


def el(
    name: str,
    box: tuple[int, int, int, int],
    role: str = "text",
    source: ElementSource = "ocr",
    value: str | None = None,
) -> Element:
    return Element(role=role, name=name, box=Box.xywh(*box), source=source, value=value)


def test_ids_follow_reading_order() -> None:
    ocr = [
        el("C", (200, 52, 40, 18)),  # a row whose tops differ by a few px
        el("B", (100, 50, 40, 20)),
        el("A", (10, 10, 40, 20)),
        el("D", (10, 100, 40, 20)),
    ]
    out = fuse(None, ocr, 800, 600)
    assert [e.name for e in out] == ["A", "B", "C", "D"]
    assert [e.id for e in out] == [0, 1, 2, 3]


def test_ocr_duplicate_of_a11y_is_dropped_but_a11y_kept() -> None:
    button = el("Save", (10, 10, 80, 30), role="button", source="a11y")
    text = el("Save", (30, 15, 40, 18))
    other = el("Cancel", (100, 15, 50, 18))
    out = fuse([button], [text, other], 800, 600)
    assert [(e.name, e.source) for e in out] == [("Save", "a11y"), ("Cancel", "ocr")]


def test_similar_name_counts_as_duplicate() -> None:
    button = el("Save to memory", (10, 10, 140, 30), role="button", source="a11y")
    misread = el("Save to memorv", (15, 15, 120, 18))
    assert [e.source for e in fuse([button], [misread], 800, 600)] == ["a11y"]


def test_different_text_inside_a11y_is_kept() -> None:
    display = el("Display", (10, 10, 300, 50), role="label", source="a11y")
    digits = el("42", (250, 20, 40, 30))
    out = fuse([display], [digits], 800, 600)
    assert {e.name for e in out} == {"Display", "42"}


def test_window_sized_a11y_does_not_swallow_its_title_text() -> None:
    frame = el("galculator", (0, 0, 330, 370), role="frame", source="a11y")
    title = el("galculator", (130, 2, 70, 16))
    out = fuse([frame], [title], 800, 600)
    assert [(e.name, e.source) for e in out] == [("galculator", "ocr")]  # frame dropped too


def test_unnamed_containers_and_offscreen_dropped() -> None:
    a11y = [
        el("", (0, 0, 800, 600), role="panel", source="a11y"),
        el("Off", (900, 10, 50, 20), role="button", source="a11y"),
        el("Big", (0, 0, 800, 600), role="window", source="a11y"),
        el("Edge", (780, 10, 50, 20), role="button", source="a11y"),
    ]
    out = fuse(a11y, [], 800, 600)
    assert [e.name for e in out] == ["Edge"]
    assert out[0].box.right == 800  # clipped


def test_unnamed_button_takes_inner_text() -> None:
    button = el("", (10, 10, 80, 30), role="push_button", source="a11y")
    out = fuse([button], [el("Apply", (25, 15, 45, 18))], 800, 600)
    assert [(e.role, e.name) for e in out] == [("push_button", "Apply")]


def test_unnamed_field_takes_label_left_or_above() -> None:
    left_field = el("", (100, 10, 200, 24), role="text_field", source="a11y")
    top_field = el("", (10, 100, 200, 24), role="text_field", source="a11y")
    labels = [el("Name:", (10, 13, 50, 18)), el("Email", (10, 76, 50, 18))]
    out = fuse([left_field, top_field], labels, 800, 600)
    fields = [e for e in out if e.role == "text_field"]
    assert [f.name for f in fields] == ["Name", "Email"]
    assert len(out) == 4  # the labels stay


def test_checkbox_takes_label_on_its_right() -> None:
    box = el("", (10, 10, 16, 16), role="checkbox", source="a11y")
    out = fuse([box], [el("Remember me", (32, 9, 100, 18)), el("Far", (400, 9, 30, 18))], 800, 600)
    assert next(e for e in out if e.role == "checkbox").name == "Remember me"


def test_checkbox_in_a_row_takes_the_label_after_it_not_before() -> None:
    """[x] Match case [x] Match whole word: the second box's label is the one on its right,
    even though the first label's padded OCR box ends right at it."""
    first = el("", (10, 10, 16, 16), role="checkbox", source="detector")
    second = el("", (120, 10, 16, 16), role="checkbox", source="detector")
    texts = [el("Match case", (30, 8, 88, 20)), el("Match whole word", (142, 8, 120, 20))]
    out = fuse([first, second], texts, 800, 600)
    boxes = sorted((e for e in out if e.role == "checkbox"), key=lambda e: e.box.left)
    assert [b.name for b in boxes] == ["Match case", "Match whole word"]


def test_source_and_score_kept() -> None:
    text = Element(role="text", name="x1", box=Box.xywh(1, 1, 20, 10), source="ocr", score=0.7)
    out = fuse(None, [text], 100, 100)
    assert out[0].source == "ocr" and out[0].score == 0.7


def test_empty_inputs() -> None:
    assert fuse(None, [], 100, 100) == []
    assert fuse([], [el("  ", (1, 1, 5, 5))], 100, 100) == []


def test_a_field_is_not_named_by_what_another_field_shows_or_across_a_control() -> None:
    """A toolbar of drop-downs: "Sort: Last updated" is the first one's content, not the
    second one's label; "Views" across a refresh button labels none of them; a stray glyph
    read as "a" names nothing."""
    fields = [
        el("", (286, 62, 155, 29), role="text_field", source="detector"),
        el("", (449, 62, 115, 29), role="text_field", source="detector"),
    ]
    refresh = el("refresh (reload)", (230, 65, 20, 20), role="icon", source="detector")
    texts = [
        el("Views", (69, 60, 58, 29)),
        el("a", (255, 64, 10, 22)),
        el("Sort: Last updated", (292, 65, 134, 23)),
        el("Group: none", (453, 64, 99, 26)),
    ]
    out = fuse([*fields, refresh], texts, 1280, 800)
    assert [e.name for e in out if e.role == "text_field"] == ["", ""]
    amount = el("", (945, 265, 216, 36), role="text_field", source="detector")
    label = el("Amount", (772, 279, 54, 24))
    out = fuse([amount], [label], 1280, 800)
    assert [e.name for e in out if e.role == "text_field"] == ["Amount"]


def test_a_field_found_from_pixels_shows_its_one_line_value_but_a_card_does_not() -> None:
    field = el("", (286, 62, 155, 29), role="text_field", source="detector")
    card = el("", (3, 212, 406, 95), role="text_field", source="detector")
    texts = [
        el("Sort: Last updated", (292, 65, 134, 23)),
        el("via A9", (43, 225, 60, 27)),
        el("38 min", (43, 255, 60, 27)),
    ]
    out = {e.box.top: e for e in fuse([field, card], texts, 1280, 800) if e.role == "text_field"}
    assert out[62].value == "Sort: Last updated" and out[212].value is None
    assert any(e.name == "Sort: Last updated" for e in fuse([field], texts, 1280, 800))


def test_a_ring_inside_a_word_is_a_letter_not_a_check_box() -> None:
    """The "o" of "Hotel Miradouro" drawn as a ring: found from pixels, it lies in the middle
    of the words OCR read; a box at the start of its OCR line is a real one."""
    letter = el("", (125, 12, 9, 10), role="checkbox", source="detector")
    start = el("", (10, 60, 14, 14), role="checkbox", source="detector")
    told = el("", (130, 100, 9, 10), role="checkbox", source="a11y")  # the tree says so
    texts = [
        el("Hotel Miradouro", (100, 5, 141, 23)),
        el("Remember me", (8, 56, 120, 22)),
        el("Some words", (100, 95, 141, 23)),
    ]
    out = fuse([letter, start, told], texts, 800, 600)
    boxes = [e.box.left for e in out if e.role == "checkbox"]
    assert sorted(boxes) == [10, 130]


def test_a_frame_around_a_group_does_not_keep_its_check_boxes_unlabelled() -> None:
    """A filter panel's frame read as a field holds both the box and its label: the label
    is still the box's own, not what that "field" shows."""
    frame = el("", (28, 600, 260, 150), role="text_field", source="detector")
    box = el("", (41, 647, 15, 15), role="checkbox", source="detector")
    out = fuse([frame, box], [el("Free WiFi", (85, 641, 67, 26))], 1280, 800)
    assert next(e for e in out if e.role == "checkbox").name == "Free WiFi"
