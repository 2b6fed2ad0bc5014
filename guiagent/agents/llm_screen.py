"""What the decision agent is shown of a screen: a downscaled set-of-marks screenshot and a
compact element list whose coordinates are in that screenshot's pixels, plus the mapping back
to real screenshot pixels. Interactive accessible elements come first when the list is capped.
"""

from __future__ import annotations

from dataclasses import dataclass

from guiagent.actions import Point
from guiagent.models.base import ImagePart, image_part
from guiagent.observation import Element, Observation, Screen
from guiagent.perception.som import render_som

_INTERACTIVE = {
    "button", "text_field", "checkbox", "radio", "link", "menu_item", "combo_box", "tab",
    "toggle_button", "list_item", "slider", "spin_button", "menu", "icon",
}  # fmt: skip
_STATES = ("checked", "focused", "selected", "disabled", "expanded")


@dataclass(frozen=True)
class ScreenView:
    image: ImagePart
    scale: float  # model-image pixels per screenshot pixel
    elements: tuple[Element, ...]
    text: str

    @property
    def ids(self) -> frozenset[int]:
        return frozenset(el.id for el in self.elements)

    @property
    def size(self) -> tuple[int, int]:
        return self.image.width, self.image.height

    def to_screen(self, x: int, y: int) -> Point:
        return Point(x=round(x / self.scale), y=round(y / self.scale))


def _priority(el: Element) -> tuple[int, int]:
    interactive = el.role in _INTERACTIVE or "editable" in el.states
    return (0 if interactive else 1 if el.name else 2, el.id)


def element_line(el: Element, scale: float) -> str:
    c = el.box.center
    text = f"#{el.id} {el.role}"
    if el.name:
        text += f" {el.name[:60]!r}"
    if el.value:
        text += f" value={el.value[:40]!r}"
    states = [s for s in _STATES if s in el.states]
    if "editable" in el.states and el.role != "text_field":
        states.append("editable")
    if states:
        text += " [" + ",".join(states) + "]"
    return text + f" ({round(c.x * scale)},{round(c.y * scale)})"


def view_screen(
    obs: Observation, screen: Screen, *, max_side: int = 1024, max_elements: int = 80
) -> ScreenView:
    chosen = sorted(screen.elements, key=_priority)[:max_elements]
    chosen.sort(key=lambda el: el.id)
    som = render_som(obs.image, chosen)
    part = image_part(som, max_side)
    scale = part.width / obs.width
    lines = [element_line(el, scale) for el in chosen] or ["(no elements found)"]
    hidden = len(screen.elements) - len(chosen)
    if hidden > 0:
        lines.append(f"(+{hidden} less relevant elements not listed)")
    return ScreenView(part, scale, tuple(chosen), "\n".join(lines))


def where(obs: Observation) -> str:
    """Application, window title and URL in one line."""
    win = obs.active_window
    parts = [f"app {win.app!r}, window {win.title!r}" if win else "no active window"]
    if obs.url:
        parts.append(f"url {obs.url}")
    return "; ".join(parts)
