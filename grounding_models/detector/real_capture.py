"""The capture for the real-screen generator (``realgen.py``): start a scene's app (never a
held-out one), wait for its window, take random steps (menus, combos, tabs, popovers,
hotkeys), and turn each settled screenshot and its AT-SPI (or Tk) boxes into a labelled
image. Kept apart from the CLI and from the scenes it plays.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import time
from typing import TYPE_CHECKING, Any

from PIL import Image

from guiagent.grounding_models.detector.atspi_boxes import (
    Box,
    Node,
    Walker,
    inside,
    label_boxes,
    node_class,
    tidy,
    union_box,
    x_popups,
)
from guiagent.grounding_models.detector.real_scenes import Scene

if TYPE_CHECKING:
    from guiagent.grounding_models.detector.realgen import Output

#: the held-out sets' apps: never started (checked in :func:`launch_checked`)
FORBIDDEN = (
    "galculator",
    "mousepad",
    "tk_form",
    "gnome-calculator",
    "gucharmap",
    "libreoffice",
    "soffice",
    "evince",
    "file-roller",
    "chromium",
)
#: button names never clicked at random (they end the app or lose the scene)
DANGEROUS = (
    "quit",
    "close",
    "exit",
    "delete",
    "remove",
    "print",
    "log out",
    "shut",
    "about",
    "minimize",
)


class Capturer:
    """Owns the display, the driver and the walker; turns scenes into labelled images."""

    def __init__(self, vd: Any, out: Output, rng: random.Random, home: str) -> None:
        from guiagent.config import LinuxConfig
        from guiagent.platforms.linux.driver import LinuxDriver

        self.vd = vd
        self.out = out
        self.rng = rng
        self.home = home
        self.driver = LinuxDriver(LinuxConfig(display=vd.display, accessibility=False))
        self.walker = Walker()
        self.screen: Box = (0, 0, vd.width, vd.height)

    # input
    def click(self, box: Box, scale: float = 1.0) -> None:
        from guiagent.actions import Click, Point, Target

        x, y = (box[0] + box[2]) // 2, (box[1] + box[3]) // 2
        if not (0 <= x < self.screen[2] and 0 <= y < self.screen[3]):
            return
        self.driver.execute(Click(target=Target(point=Point(x=x, y=y))))

    def keys(self, *keys: str) -> None:
        from guiagent.actions import Hotkey, Key

        self.driver.execute(Hotkey(keys=list(keys)) if len(keys) > 1 else Key(key=keys[0]))

    def xdotool(self, *args: str) -> None:
        subprocess.run(
            ["xdotool", *args], env={**os.environ, **self.vd.env}, timeout=5,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False,
        )  # fmt: skip

    # observation
    def settled(self, pid: int, scale: float) -> tuple[list[Node], Box | None, Any]:
        """Nodes, frame and screenshot once two walks around the grab agree."""
        time.sleep(0.35)
        nodes, frame = self.walk(pid, scale)
        image = None
        for _ in range(4):
            time.sleep(0.2)
            image = self.driver.observe().image
            again, frame = self.walk(pid, scale)
            if len(again) == len(nodes) and [n.box for n in again] == [n.box for n in nodes]:
                return again, frame, image
            nodes = again
        return nodes, frame, image

    def walk(self, pid: int, scale: float) -> tuple[list[Node], Box | None]:
        active = self.driver.active_window()
        box = active.box if active is not None else None
        abox = (box.left, box.top, box.right, box.bottom) if box is not None else None
        return self.walker.walk(pid, scale, abox, x_popups(self.vd.display, self.screen))

    def shoot_gtk(self, scene: Scene, pid: int, look: str, step: str) -> list[Node]:
        nodes, frame, image = self.settled(pid, scene.scale)
        if frame is None or image is None:
            return nodes
        popups = x_popups(self.vd.display, self.screen)
        occluders = popups + [n.box for n in nodes if n.frame]
        crop = union_box([frame, *popups, *[n.box for n in nodes if n.on_popup]])
        assert crop is not None
        crop = (max(0, crop[0]), max(0, crop[1]), min(self.screen[2], crop[2]),
                min(self.screen[3], crop[3]))  # fmt: skip
        if crop[2] - crop[0] < 60 or crop[3] - crop[1] < 40:
            return nodes
        items = []
        # pop-up content first, so de-duplication keeps the control that is on top
        for node in sorted(nodes, key=lambda n: not n.on_popup):
            cls = node_class(node)
            if cls is not None:
                items.append((node.box, cls, node.on_popup))
        boxes = tidy(label_boxes(items, crop, occluders))
        if not boxes:
            return nodes
        img = Image.fromarray(image).crop(crop)
        meta = {"source": scene.source, "look": look, "step": step}
        name = self.out.add(img, boxes, meta)
        print(f"  {name} {scene.source} [{look}] {step}: {len(boxes)} boxes", flush=True)
        return nodes

    def run_gtk(self, scene: Scene, look: str) -> None:
        from guiagent.testing.x11 import launch, stop

        proc = launch_checked(scene.argv, {**self.vd.env, **scene.env, "HOME": self.home}, launch)
        try:
            window = self.wait_window(proc.pid, 12)
            if window is None:
                print(f"  ({scene.source}: no window)", flush=True)
                return
            if scene.resize:
                w, h = self.rng.randint(500, 1200), self.rng.randint(380, 820)
                self.xdotool("getactivewindow", "windowsize", str(w), str(h))
            nodes = self.shoot_gtk(scene, proc.pid, look, "start")
            for i in range(scene.steps):
                if proc.poll() is not None:
                    break
                nodes = self.step(scene, proc.pid, look, nodes, i)
        finally:
            stop(proc)

    def wait_window(self, pid: int, timeout: float) -> Any | None:
        """The active window once it belongs to ``pid`` (or to a child of it)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            active = self.driver.active_window()
            if active is not None and active.pid == pid:
                return active
            time.sleep(0.2)
        return None

    def step(self, scene: Scene, pid: int, look: str, nodes: list[Node], i: int) -> list[Node]:
        """One random interaction, its screenshot, and the undo (Escape) where it opened a
        pop-up or a dialog."""
        rng = self.rng
        base = [n for n in nodes if not n.on_popup]
        pick: dict[str, list[Node]] = {
            "menu": [n for n in base if n.role == "menu" and n.box[3] - n.box[1] <= 40],
            "combo": [n for n in base if n.role == "combo-box" and not n.in_combo],
            "tab": [n for n in base if n.role == "page-tab"],
            "toggle": [n for n in base if n.role in ("toggle-button", "push-button-menu")],
            "button": [n for n in base if n.role == "push-button" and n.name
                       and not any(d in n.name.lower() for d in DANGEROUS)],
            "follow": [n for n in nodes if n.name in scene.follow],
        }  # fmt: skip
        options = [k for k, v in pick.items() if v]
        if scene.keys:
            options.append("keys")
        if not options:
            return nodes
        weights = {"menu": 3, "combo": 3, "tab": 2, "toggle": 2, "button": 1, "follow": 3}
        kind = rng.choices(options, weights=[weights.get(o, 2) for o in options])[0]
        if kind == "keys":
            combo = rng.choice(scene.keys)
            self.keys(*combo)
            label = "+".join(combo)
        else:
            node = rng.choice(pick[kind])
            box = node.box
            if kind == "combo":  # the arrow: a combo with an entry only opens from there
                box = (box[2] - 16, box[1], box[2] - 8, box[3])
            self.click(box)
            label = f"{kind}:{node.name[:30]}"
        after = self.shoot_gtk(scene, pid, look, label)
        if kind in ("menu", "combo", "toggle") and rng.random() < 0.4:
            # hover another entry of the open menu: the sub-menu / highlight changes
            items = [n for n in after if n.on_popup and n.role in ("menu", "menu-item")]
            if items:
                self.driver_move(rng.choice(items).box)
                after = self.shoot_gtk(scene, pid, look, label + "+hover")
        if kind in ("menu", "combo", "toggle", "keys", "button", "follow"):
            active = self.driver.active_window()
            self.keys("Escape")
            if kind == "menu":
                self.keys("Escape")
            time.sleep(0.3)
            now = self.driver.active_window()
            if (
                active is not None
                and now is not None
                and now.id == active.id
                and kind in ("keys", "button", "follow")
            ):
                pass  # a dialog that Escape does not close stays; the next step shoots it
        nodes, _, _ = self.settled(pid, scene.scale)
        return nodes

    def driver_move(self, box: Box) -> None:
        from guiagent.actions import Hover, Point, Target

        x, y = (box[0] + box[2]) // 2, (box[1] + box[3]) // 2
        self.driver.execute(Hover(target=Target(point=Point(x=x, y=y))))

    def run_tk(self, scene: Scene) -> None:
        from guiagent.testing.x11 import launch, stop

        assert scene.tk_layout is not None
        proc = launch_checked(scene.argv, {**self.vd.env, "HOME": self.home}, launch)
        try:
            deadline = time.monotonic() + 10
            while not scene.tk_layout.exists() and time.monotonic() < deadline:
                time.sleep(0.2)
            if not scene.tk_layout.exists():
                print("  (tk: no layout)", flush=True)
                return
            time.sleep(0.3)
            layout = json.loads(scene.tk_layout.read_text())
            image = self.driver.observe().image
            window: Box = tuple(layout["window"])  # type: ignore[assignment]
            popup: Box | None = tuple(layout["popup"]) if layout["popup"] else None  # type: ignore[assignment]
            crop = union_box([window] + ([popup] if popup else []))
            assert crop is not None
            crop = (max(0, crop[0]), max(0, crop[1]), min(self.screen[2], crop[2]),
                    min(self.screen[3], crop[3]))  # fmt: skip
            occluders = [popup] if popup else []
            items = [
                (tuple(b[:4]), b[4], b[4] == "menu_item" and inside(tuple(b[:4]), occluders))
                for b in layout["boxes"]
            ]
            items.sort(key=lambda it: not it[2])
            boxes = label_boxes(items, crop, occluders)  # type: ignore[arg-type]
            if boxes:
                img = Image.fromarray(image).crop(crop)
                step = "menu" if popup else "start"
                name = self.out.add(img, boxes, {"source": "tk", "look": "tk", "step": step})
                print(f"  {name} tk {step}: {len(boxes)} boxes", flush=True)
        finally:
            stop(proc)
            scene.tk_layout.unlink(missing_ok=True)


def launch_checked(argv: list[str], env: dict[str, str], launch: Any) -> Any:
    """``launch`` after refusing the held-out sets' apps (a bug here would leak test data)."""
    text = " ".join(argv).lower()
    if any(bad in text for bad in FORBIDDEN):
        raise ValueError(f"refusing to capture a held-out app: {argv}")
    return launch(argv, env)
