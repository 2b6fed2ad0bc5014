"""Page elements: the extractor script's raw answer -> ``Element``s in screenshot pixels.

The walk itself is ``elements.js`` (a package file, run by one ``page.evaluate`` per
observation); this module owns what its answer means: the raw ARIA-style roles mapped onto the
roles the Linux driver reports, and CSS pixels mapped onto screenshot pixels by ``Viewport``,
the one place the browser driver converts between the two.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from guiagent.actions import Point
from guiagent.observation import Box, Element

#: raw role from the extractor (ARIA role, explicit or implied by the tag) -> project role
ROLE_MAP: dict[str, str] = {
    "button": "button",
    "togglebutton": "toggle_button",
    "link": "link",
    "checkbox": "checkbox",
    "switch": "checkbox",
    "menuitemcheckbox": "menu_item",
    "radio": "radio",
    "menuitemradio": "menu_item",
    "textbox": "text_field",
    "searchbox": "text_field",
    "spinbutton": "text_field",
    "combobox": "combo_box",
    "listbox": "list",
    "option": "list_item",
    "treeitem": "list_item",
    "listitem": "list_item",
    "menuitem": "menu_item",
    "menu": "menu",
    "menubar": "menu",
    "tab": "tab",
    "tablist": "tab_list",
    "slider": "slider",
    "scrollbar": "slider",
    "img": "image",
    "image": "image",
    "label": "label",
    "text": "text",
    "heading": "text",
    "dialog": "dialog",
    "alertdialog": "dialog",
    "radiogroup": "group",
    "tree": "list",
    "grid": "table",
    "toolbar": "tool_bar",
}


@cache
def script(name: str) -> str:
    """A JavaScript file shipped in this package (our code, never model output)."""
    return (resources.files(__package__) / name).read_text(encoding="utf-8")


def normalise_role(raw: str) -> str:
    return ROLE_MAP.get(raw.lower(), "other")


@dataclass(frozen=True)
class Viewport:
    """The page viewport in CSS pixels and how many screenshot pixels one CSS pixel is."""

    width: int
    height: int
    scale: float = 1.0

    @property
    def pixel_width(self) -> int:
        return round(self.width * self.scale)

    @property
    def pixel_height(self) -> int:
        return round(self.height * self.scale)

    def to_device(self, point: Point) -> tuple[float, float]:
        """Screenshot pixels -> CSS pixels, which Playwright's mouse takes."""
        return point.x / self.scale, point.y / self.scale

    def contains(self, point: Point) -> bool:
        return 0 <= point.x < self.pixel_width and 0 <= point.y < self.pixel_height

    def box(self, css: list[float] | tuple[float, ...]) -> Box | None:
        """A CSS-pixel [left, top, right, bottom] -> a screenshot box; None when empty."""
        left, top, right, bottom = (float(v) for v in css)
        s = self.scale
        box = Box(
            left=math.floor(left * s),
            top=math.floor(top * s),
            right=math.ceil(right * s),
            bottom=math.ceil(bottom * s),
        ).clip(self.pixel_width, self.pixel_height)
        return box if box.area > 0 else None


def to_elements(raw: dict[str, Any], viewport: Viewport, app: str = "chromium") -> list[Element]:
    """The extractor's answer as ``a11y`` elements (ids unset), in the order it found them."""
    found: list[Element] = []
    for item in raw.get("elements", []):
        box = viewport.box(item["box"])
        if box is None:
            continue
        states = set(item.get("states") or [])
        value = item.get("value")
        found.append(
            Element(
                role=normalise_role(str(item.get("role", ""))),
                name=str(item.get("name") or ""),
                box=box,
                source="a11y",
                states=frozenset(states),
                value=None if value is None else str(value),
                app=app,
            )
        )
    return found
