"""The real-screen generator's labelling rules (no display needed; they live in atspi_boxes.py)."""

from __future__ import annotations

from guiagent.grounding_models.detector import CLASSES
from guiagent.grounding_models.detector.atspi_boxes import (
    RAW_CLASSES,
    Node,
    label_boxes,
    node_class,
    tidy,
)


def test_raw_roles_map_to_detector_classes() -> None:
    assert set(RAW_CLASSES.values()) <= set(CLASSES)
    assert node_class(Node("push-button", "Save", (0, 0, 80, 30))) == "button"
    assert node_class(Node("toggle-button", "Bold", (0, 0, 90, 30))) == "button"
    assert node_class(Node("push-button", "", (0, 0, 80, 30))) == "icon_button"
    assert node_class(Node("push-button", "Open menu", (0, 0, 34, 34))) == "icon_button"
    assert node_class(Node("spin-button", "", (0, 0, 120, 30))) == "text_field"
    assert node_class(Node("page-tab", "General", (0, 0, 60, 20))) == "tab"
    assert node_class(Node("menu", "File", (0, 0, 40, 24))) == "menu_item"
    assert node_class(Node("text", "", (0, 0, 400, 300), frozenset({"editable"}))) == "text_field"
    # no class: list rows, scroll bars, labels, an open menu's frame
    for role in ("table-cell", "list-item", "scroll-bar", "label"):
        assert node_class(Node(role, "x", (0, 0, 50, 20))) is None
    assert node_class(Node("menu", "", (0, 0, 200, 300))) is None


def test_combo_parts_popovers_and_switches() -> None:
    entry = Node("text", "", (0, 0, 150, 30), frozenset({"editable"}), in_combo=True)
    assert node_class(entry) is None
    on_list = Node("menu-item", "Red", (0, 40, 150, 60), on_popup=True, in_combo=True)
    assert node_class(on_list) == "menu_item"
    model = Node("push-button", "Preferences", (0, 0, 200, 26), on_popup=True, popup_width=220)
    assert node_class(model) == "menu_item"
    assert node_class(Node("toggle-button", "", (0, 0, 48, 26))) == "checkbox"


def test_label_boxes_clips_drops_and_dedups() -> None:
    crop = (100, 100, 500, 400)
    items = [
        ((110, 110, 200, 140), "button", False),  # kept, moved into crop pixels
        ((109, 109, 200, 140), "button", False),  # the same control twice: dropped
        ((98, 150, 200, 180), "text_field", False),  # 2 px out: clipped
        ((50, 150, 200, 180), "text_field", False),  # far out: dropped
        ((300, 300, 302, 340), "slider", False),  # too thin
        ((300, 200, 400, 230), "checkbox", False),  # under the pop-up: hidden
        ((300, 190, 480, 215), "menu_item", True),  # on the pop-up: kept
    ]
    boxes = label_boxes(items, crop, occluders=[(290, 180, 490, 260)])
    assert boxes == [
        [10, 10, 100, 40, "button"],
        [0, 50, 100, 80, "text_field"],
        [200, 90, 380, 115, "menu_item"],
    ]


def test_tidy_stack_switcher_and_combo_entry() -> None:
    boxes = [
        [0, 0, 80, 30, "radio_button"],
        [80, 0, 160, 30, "radio_button"],
        [0, 50, 100, 70, "radio_button"],  # a lone radio button stays one
        [10, 100, 180, 130, "text_field"],  # the entry inside a combo box
        [10, 100, 210, 130, "dropdown"],
    ]
    assert [b[4] for b in tidy(boxes)] == ["tab", "tab", "radio_button", "dropdown"]
