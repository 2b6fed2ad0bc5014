"""Boxes for the real-screen generator (``realgen.py``): walking an app's AT-SPI tree and the
labelling rules that turn accessibles into detector boxes (raw role -> class, the icon-button
guess, combo / popover / switch rules, clipping to the crop, dropping what a pop-up hides,
de-duplication). Kept apart so the rules can be tested and read without a display.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from guiagent.grounding_models.detector import box_iou

Box = tuple[int, int, int, int]  # x0, y0, x1, y1 (exclusive), screen or image pixels

#: raw AT-SPI role nick -> detector class (buttons may become icon_button, see node_class)
RAW_CLASSES: dict[str, str] = {
    "push-button": "button",
    "push-button-menu": "button",
    "button": "button",
    "toggle-button": "button",
    "check-box": "checkbox",
    "radio-button": "radio_button",
    "combo-box": "dropdown",
    "menu-item": "menu_item",
    "check-menu-item": "menu_item",
    "radio-menu-item": "menu_item",
    "tearoff-menu-item": "menu_item",
    "menu": "menu_item",
    "page-tab": "tab",
    "link": "link",
    "entry": "text_field",
    "password-text": "text_field",
    "spin-button": "text_field",
    "editbar": "text_field",
    "slider": "slider",
}
#: roles whose descendants are drawn in a pop-up (over the window)
POPUP_ROLES = {"menu", "popup-menu", "window", "tool-tip"}


@dataclass(frozen=True)
class Node:
    """One showing accessible: raw role, name, screen box, and where it sits in the tree."""

    role: str
    name: str
    box: Box
    states: frozenset[str] = frozenset()
    on_popup: bool = False  # below a menu / popover / pop-up window
    in_combo: bool = False  # below a combo box (its entry, its toggle)
    popup_width: int = 0  # width of the nearest pop-up ancestor (a popover's model buttons)
    frame: bool = False  # an open pop-up's own frame (covers what is under it)


def is_icon(name: str, width: int, height: int) -> bool:
    """An icon-only button: no accessible name (so no drawn text), or small and near-square
    (GTK icon buttons often take their name from the tooltip)."""
    if not name.strip():
        return True
    return width <= 48 and height <= 48 and 0.6 <= width / max(1, height) <= 1.5


def node_class(node: Node) -> str | None:
    """The detector class of an accessible, or None when the detector has no class for it."""
    role = node.role
    editable = role == "text" and "editable" in node.states
    cls = "text_field" if editable else RAW_CLASSES.get(role)
    if cls is None:
        return None
    if node.in_combo and not node.on_popup and role != "combo-box":
        return None  # the combo box's own entry / arrow: the combo is the control
    w, h = node.box[2] - node.box[0], node.box[3] - node.box[1]
    if role == "menu" and h > 40:  # an open menu's frame (a combo's pop-up), not an entry
        return None
    model = role in ("push-button", "toggle-button", "check-box", "radio-button")
    if model and node.popup_width and w >= 0.6 * node.popup_width and not is_icon(node.name, w, h):
        return "menu_item"  # a popover menu's model button: drawn as a menu entry
    if role == "toggle-button" and not node.name.strip() and w >= 1.6 * h and h <= 40:
        return "checkbox"  # a GtkSwitch: an on/off control like a check box
    if cls == "button" and is_icon(node.name, w, h):
        return "icon_button"
    return cls


def overlap(a: Box, b: Box) -> int:
    return max(0, min(a[2], b[2]) - max(a[0], b[0])) * max(0, min(a[3], b[3]) - max(a[1], b[1]))


def inside(box: Box, regions: Sequence[Box]) -> bool:
    """Mostly (80 %) inside one of ``regions``: drawn on the pop-up, not under it."""
    area = max(1, (box[2] - box[0]) * (box[3] - box[1]))
    return any(overlap(box, r) >= 0.8 * area for r in regions)


def segmented_tabs(boxes: list[list[Any]]) -> list[list[Any]]:
    """Radio buttons drawn as a row of joined buttons (a GtkStackSwitcher) are tabs: those
    sharing top and bottom with a neighbour that they touch."""
    radios = [b for b in boxes if b[4] == "radio_button"]
    out = []
    for b in boxes:
        if b[4] == "radio_button" and any(
            o is not b and abs(o[1] - b[1]) <= 1 and abs(o[3] - b[3]) <= 1
            and (abs(o[0] - b[2]) <= 2 or abs(b[0] - o[2]) <= 2)
            for o in radios
        ):  # fmt: skip
            b = [*b[:4], "tab"]
        out.append(b)
    return out


def tidy(boxes: list[list[Any]]) -> list[list[Any]]:
    """Stack-switcher radios become tabs; a text field inside a dropdown (a combo box with
    an entry, whose entry AT-SPI lists beside the combo) is the dropdown's own part."""
    drops = [b for b in boxes if b[4] == "dropdown"]
    kept = []
    for b in segmented_tabs(boxes):
        area = max(1, (b[2] - b[0]) * (b[3] - b[1]))
        if b[4] == "text_field" and any(overlap(tuple(b[:4]), tuple(d[:4])) >= 0.9 * area
                                        for d in drops):  # fmt: skip
            continue
        kept.append(b)
    return kept


def union_box(boxes: Iterable[Box]) -> Box | None:
    found = list(boxes)
    if not found:
        return None
    return (
        min(b[0] for b in found),
        min(b[1] for b in found),
        max(b[2] for b in found),
        max(b[3] for b in found),
    )


def label_boxes(
    items: Iterable[tuple[Box, str, bool]],
    crop: Box,
    occluders: Sequence[Box] = (),
    *,
    tolerance: int = 3,
    min_size: int = 4,
) -> list[list[Any]]:
    """Boxes ``(box, class, on_popup)`` in screen pixels -> ``[x0, y0, x1, y1, class]`` in crop
    pixels. Dropped: boxes leaving the crop by more than ``tolerance`` (others are clipped),
    thinner than ``min_size``, more than 20 % under a pop-up they are not part of, and the
    second of two boxes of one class with IoU > 0.7 (the same control reached twice)."""
    cx0, cy0, cx1, cy1 = crop
    kept: list[list[Any]] = []
    for (x0, y0, x1, y1), cls, on_popup in items:
        if x0 < cx0 - tolerance or y0 < cy0 - tolerance:
            continue
        if x1 > cx1 + tolerance or y1 > cy1 + tolerance:
            continue
        x0, y0, x1, y1 = max(x0, cx0), max(y0, cy0), min(x1, cx1), min(y1, cy1)
        if x1 - x0 < min_size or y1 - y0 < min_size:
            continue
        box = (x0, y0, x1, y1)
        area = (x1 - x0) * (y1 - y0)
        if not on_popup and sum(overlap(box, o) for o in occluders) > 0.2 * area:
            continue
        line = [x0 - cx0, y0 - cy0, x1 - cx0, y1 - cy0, cls]
        if any(k[4] == cls and box_iou(line, k) > 0.7 for k in kept):
            continue
        kept.append(line)
    return kept


# -- AT-SPI -----------------------------------------------------------------------------------


class Walker:
    """Walks the active window of one application on the AT-SPI bus, keeping raw roles and
    pop-up ancestry (the driver's reader normalises roles and forgets the tree shape, and its
    time budget is too short for widget-factory on a busy machine)."""

    def __init__(self, max_nodes: int = 4000, budget_s: float = 6.0) -> None:
        import gi

        gi.require_version("Atspi", "2.0")
        from gi.repository import Atspi

        Atspi.set_timeout(1500, 5000)
        self.atspi: Any = Atspi
        self.max_nodes = max_nodes
        self.budget_s = budget_s

    def _app(self, pid: int) -> Any | None:
        desktop = self.atspi.get_desktop(0)
        for i in range(desktop.get_child_count()):
            app = desktop.get_child_at_index(i)
            try:
                if app is not None and app.get_process_id() == pid:
                    return app
            except Exception:  # an application that quit under us
                continue
        return None

    def walk(
        self, pid: int, scale: float = 1.0, active: Box | None = None, popups: Sequence[Box] = ()
    ) -> tuple[list[Node], Box | None]:
        """(showing nodes, the main top-level's box) of application ``pid``: the top-level
        matching the X active window ``active`` (else the ACTIVE one), plus top-levels that
        are X pop-up windows (a combo's list), whose nodes count as on the pop-up."""
        app = self._app(pid)
        if app is None:
            return [], None
        app.clear_cache()
        st = self.atspi.StateType
        main: Any = None
        extra: list[Any] = []
        for i in range(app.get_child_count()):
            child = app.get_child_at_index(i)
            if child is None or not child.get_state_set().contains(st.SHOWING):
                continue
            box = self._box(child, scale)
            if box is None:
                continue
            if active is not None and box_iou(box, active) > 0.5 and main is None:
                main = child
            elif inside(box, popups):
                extra.append(child)
            elif active is None and child.get_state_set().contains(st.ACTIVE):
                main = child
        if main is None:
            return [], None
        frame = self._box(main, scale)
        queue: list[tuple[Any, bool, bool, int, str]] = [(main, False, False, 0, "")]
        queue += [(t, True, False, 0, "window") for t in extra]
        tops = [main, *extra]
        nodes: list[Node] = []
        deadline = time.monotonic() + self.budget_s
        while queue and len(nodes) < self.max_nodes and time.monotonic() < deadline:
            node, on_popup, in_combo, pw, parent = queue.pop(0)
            try:
                states = {
                    str(getattr(s, "value_nick", s)).lower()
                    for s in node.get_state_set().get_states()
                }
                if "showing" not in states or "visible" not in states:
                    continue
                role = str(node.get_role().value_nick).lower()
                box = self._box(node, scale)
                # a popover is a modal panel (below its menu button, or reached from the
                # window first); menus are pop-ups themselves
                opens = node not in tops and (
                    parent in ("toggle-button", "push-button-menu")
                    or role in POPUP_ROLES
                    or (role == "panel" and "modal" in states)
                )
                on_popup = (
                    on_popup
                    or parent in ("toggle-button", "push-button-menu")
                    or (role == "panel" and "modal" in states)
                )
                is_frame = opens and box is not None and box[3] - box[1] > 40
                if is_frame and box is not None:
                    pw = box[2] - box[0]
                if box is not None:
                    name = (node.get_name() or "").strip()
                    nodes.append(
                        Node(role, name, box, frozenset(states), on_popup, in_combo, pw, is_frame)
                    )
                popup = on_popup or opens
                combo = in_combo or role == "combo-box"
                count = min(node.get_child_count(), 2000)
                queue.extend(
                    (node.get_child_at_index(i), popup, combo, pw, role) for i in range(count)
                )
            except Exception:  # D-Bus errors: a node vanished or the app is slow
                continue
        return nodes, frame

    def _box(self, node: Any, scale: float) -> Box | None:
        ext = node.get_extents(self.atspi.CoordType.SCREEN)
        if ext.width <= 0 or ext.height <= 0 or ext.x < -10000:
            return None
        x, y = round(ext.x * scale), round(ext.y * scale)
        return (x, y, x + round(ext.width * scale), y + round(ext.height * scale))


def x_popups(display: str, screen: Box) -> list[Box]:
    """Mapped override-redirect windows (menus, combo pop-ups, tooltips) on the screen."""
    from Xlib import X
    from Xlib import display as xdisplay

    found: list[Box] = []
    d = xdisplay.Display(display)
    try:
        root = d.screen().root
        for win in root.query_tree().children:
            try:
                attrs = win.get_attributes()
                if not attrs.override_redirect or attrs.map_state != X.IsViewable:
                    continue
                g = win.get_geometry()
            except Exception:
                continue
            box = (g.x, g.y, g.x + g.width, g.y + g.height)
            if g.width > 8 and g.height > 8 and overlap(box, screen) > 0:
                found.append(box)
    finally:
        d.close()
    return found
