"""Screen capture with mss, and the geometry that ties screenshot pixels to X root coordinates.

One ``mss.MSS`` instance is kept for the driver's life (opening one costs a connection and, for
XShm, a shared-memory segment). BGRA becomes RGB in a single pass (OpenCV when present, a
three-plane numpy copy otherwise): the one copy the frame needs to be C-contiguous RGB.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from guiagent.actions import Point
from guiagent.errors import DriverError
from guiagent.observation import Box

try:  # OpenCV is a core dependency, but capture must not die without it
    import cv2
except ImportError:  # pragma: no cover - exercised only without opencv
    cv2 = None  # type: ignore[assignment]


def bgra_to_rgb(raw: bytes | bytearray | memoryview, width: int, height: int) -> np.ndarray:
    """Packed BGRA bytes to a C-contiguous RGB uint8 array of shape (height, width, 3)."""
    bgra = np.frombuffer(raw, dtype=np.uint8, count=width * height * 4).reshape(height, width, 4)
    if cv2 is not None:
        return np.asarray(cv2.cvtColor(bgra, cv2.COLOR_BGRA2RGB))
    rgb = np.empty((height, width, 3), dtype=np.uint8)
    rgb[..., 0] = bgra[..., 2]
    rgb[..., 1] = bgra[..., 1]
    rgb[..., 2] = bgra[..., 0]
    return rgb


@dataclass(frozen=True)
class Geometry:
    """Where the screenshot sits in X root coordinates, and how big a pixel is there.

    ``scale`` is device units per screenshot pixel: 1.0 on X11, where XTest and the capture
    share one pixel grid; it is kept so a downscaled capture stays correct.
    """

    left: int
    top: int
    width: int
    height: int
    scale: float = 1.0

    def to_device(self, point: Point) -> Point:
        return Point(
            x=self.left + round(point.x * self.scale), y=self.top + round(point.y * self.scale)
        )

    def to_pixels(self, x: int, y: int) -> Point:
        return Point(x=round((x - self.left) / self.scale), y=round((y - self.top) / self.scale))

    def box(self, x: int, y: int, w: int, h: int, *, clip: bool = True) -> Box | None:
        """A root-coordinate rectangle as a screenshot box; None when empty (after clipping)."""
        if w <= 0 or h <= 0:
            return None
        a = self.to_pixels(x, y)
        b = self.to_pixels(x + w, y + h)
        box = Box(left=a.x, top=a.y, right=b.x, bottom=b.y)
        if clip:
            box = box.clip(self.width, self.height)
        return box if box.area > 0 else None

    def contains(self, point: Point) -> bool:
        return 0 <= point.x < self.width and 0 <= point.y < self.height


_REGION = re.compile(r"^(\d+)x(\d+)\+(\d+)\+(\d+)$")


def _monitor(monitors: list[dict[str, int]], which: int | str, display: str) -> dict[str, int]:
    """The capture area: a monitor as RandR lists it (0 is all of them), or a region."""
    if isinstance(which, str) and not which.isdigit():
        found = _REGION.match(which.strip())
        if found is None:
            raise DriverError(
                f"monitor {which!r} is neither a number nor a region",
                hint="0 (all monitors), 1, 2, ... or WIDTHxHEIGHT+X+Y such as 1920x1080+1920+0",
            )
        width, height, left, top = (int(v) for v in found.groups())
        root = monitors[0]
        if (
            left + width > root["left"] + root["width"]
            or top + height > root["top"] + root["height"]
        ):
            raise DriverError(
                f"region {which} reaches outside the screen "
                f"({root['width']}x{root['height']}+{root['left']}+{root['top']})"
            )
        return {"left": left, "top": top, "width": width, "height": height}
    index = int(which)
    if not 0 <= index < len(monitors):
        raise DriverError(
            f"monitor {index} does not exist on {display}",
            hint=f"choose 0 (all) to {len(monitors) - 1}, or a region WIDTHxHEIGHT+X+Y",
        )
    return dict(monitors[index])


class Capturer:
    """Grabs one monitor (0: all monitors together, as X sees the root window), or a region
    ``WIDTHxHEIGHT+X+Y`` of the root window, downscaled by ``scale`` when asked (perception on
    a 4K screen need not read every pixel; :class:`Geometry` maps clicks back)."""

    def __init__(self, display: str, monitor: int | str = 0, scale: float = 1.0) -> None:
        import mss

        self._mss_error: type[Exception] = mss.ScreenShotError
        try:
            self._sct: Any = mss.MSS(display=display)
            monitors = self._sct.monitors
        except mss.ScreenShotError as exc:
            raise DriverError(f"cannot capture display {display}: {exc}") from exc
        self._monitor = _monitor(monitors, monitor, display)
        m = self._monitor
        self._scale = scale
        self._size = (max(1, round(m["width"] * scale)), max(1, round(m["height"] * scale)))
        self.geometry = Geometry(
            int(m["left"]), int(m["top"]), *self._size, scale=1.0 if scale == 1 else 1 / scale
        )
        self._closed = False

    def grab(self) -> np.ndarray:
        if self._closed:
            raise DriverError("the capturer is closed")
        try:
            shot = self._sct.grab(self._monitor)
        except self._mss_error as exc:
            raise DriverError(f"screen capture failed: {exc}") from exc
        width, height = int(shot.width), int(shot.height)
        rgb = bgra_to_rgb(shot.raw, width, height)
        if self._scale == 1 or cv2 is None:
            return rgb
        return np.asarray(cv2.resize(rgb, self._size, interpolation=cv2.INTER_AREA))

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._sct.close()
