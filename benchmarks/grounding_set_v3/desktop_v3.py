"""Desktop half of the v3 grounding set: Evince (GNOME's document viewer, GTK 3) under a
private Xvfb with AT-SPI, showing a PDF that Chromium prints from a page written here.

Neither v1 (galculator, mousepad, a Tk form), v2 (gucharmap, LibreOffice Calc, file-roller)
nor the detector's training (gtk3-widget-factory, gtk3-demo, gedit, zenity, yad) used
Evince. Boxes are AT-SPI extents; instructions are hand-written in ``EVINCE`` after looking
at the screens. A control is picked by role, accessible name and its index among controls
of that role and name (Evince leaves its side-pane buttons unnamed).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image

#: what the document says: a short report, so the page and its thumbnails look like one
REPORT_HTML = """<html><head><title>Harbour Co-op quarterly report</title></head>
<body style="font: 13px serif; padding: 36px 48px">
<h1>Harbour Co-op: Quarterly report, Q1 2025</h1>
<p>Membership grew by 312 households this quarter, most of them in the new riverside
flats. Sales of fresh produce rose 9% on the same quarter last year, while bakery sales
were flat after the oven repair in February.</p>
<h2>Finances</h2>
<table border="1" cellpadding="6" style="border-collapse: collapse">
<tr><th>Line</th><th>Q4 2024</th><th>Q1 2025</th></tr>
<tr><td>Revenue</td><td>418,200</td><td>447,950</td></tr>
<tr><td>Cost of goods</td><td>289,400</td><td>301,120</td></tr>
<tr><td>Wages</td><td>92,300</td><td>95,800</td></tr>
<tr><td>Surplus</td><td>36,500</td><td>51,030</td></tr></table>
<h2>Next quarter</h2>
<p>The board proposes a second delivery van, longer Saturday hours and a members' vote on
the solar roof in June. Details follow on pages two and three.</p>
<p style="page-break-before: always">Page two: the delivery van. Quotes from three dealers
are attached; the board recommends the electric model.</p>
<p style="page-break-before: always">Page three: the solar roof. The survey found the roof
sound; the installer can start in August if members agree.</p>
</body></html>"""

#: (role, accessible name, index among matches, instruction, data_type)
Spec = tuple[str, str, int, str, str]

#: screen -> the controls on it worth asking for
EVINCE: dict[str, list[Spec]] = {
    "linux_evince.png": [
        ("toggle_button", "", 0, "hide the side panel", "icon"),
        ("toggle_button", "Annotate document", 0, "the pencil button", "icon"),
        ("toggle_button", "Find", 0, "search in the document", "icon"),
        ("toggle_button", "File options", 0, "the hamburger menu", "icon"),
        ("radio", "", 0, "the grid of four squares at the bottom left", "icon"),
        ("radio", "", 1, "show the annotations list", "icon"),
        ("radio", "", 2, "the bookmark ribbon icon", "icon"),
    ],
    "linux_evince_menu.png": [
        ("button", "Print…", 0, "the printer icon", "icon"),
        ("checkbox", "Fullscreen", 0, "go fullscreen", "icon"),
        ("button", "Open a Copy", 0, "open a copy", "text"),
        ("button", "Save As…", 0, "Save As", "text"),
        ("button", "Present as Slideshow", 0, "start the slideshow", "text"),
        ("checkbox", "Continuous", 0, "untick Continuous", "text"),
        ("checkbox", "Night Mode", 0, "turn on night mode", "text"),
        ("button", "Properties", 0, "document properties", "text"),
        ("button", "About Document Viewer", 0, "About Document Viewer", "text"),
    ],
}

Add = Callable[[str, str, tuple[int, int, int, int], str, str], None]


def _print_pdf(folder: Path) -> Path:
    """The report as a PDF, printed by headless Chromium (nothing fetched)."""
    from playwright.sync_api import sync_playwright

    from guiagent.platforms.browser.launch import BASE_ARGS

    pdf = folder / "Quarterly report.pdf"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True, args=list(BASE_ARGS)
        )
        page = browser.new_page()
        page.set_content(REPORT_HTML)
        page.pdf(path=str(pdf), format="A4")
        browser.close()
    return pdf


def _shoot(
    driver: Any, out: Path, name: str, add: Add, dropped: list[str], flat: Callable[..., bool]
) -> None:
    """Crop to the window, save, and add the specs found once with ink in their box."""
    obs = driver.observe()
    elements = list(obs.accessibility or [])
    win = next((el.box for el in elements if el.role == "window"), None)
    if win is None:
        dropped.append(f"{name}: no window")
        return
    crop = (
        max(0, win.left),
        max(0, win.top),
        min(obs.width, win.right),
        min(obs.height, win.bottom),
    )
    image = Image.fromarray(obs.image).crop(crop)
    image.save(out / name, optimize=True)
    kept = 0
    for role, el_name, index, instruction, kind in EVINCE[name]:
        hits = [el for el in elements if el.role == role and el.name == el_name]
        if len(hits) <= index:
            dropped.append(f"{name}: {instruction!r} (no {role} {el_name!r} #{index})")
            continue
        b = hits[index].box
        box = (b.left - crop[0], b.top - crop[1], b.width, b.height)
        inside = box[0] >= 0 and box[1] >= 0 and b.right <= crop[2] and b.bottom <= crop[3]
        if not inside or flat(image, box):
            dropped.append(f"{name}: {instruction!r} (outside the window or nothing drawn)")
            continue
        add(name, instruction, box, kind, "linux")
        kept += 1
    print(f"  {name}: {kept} targets")


def capture_desktop(out: Path, add: Add, dropped: list[str], flat: Callable[..., bool]) -> None:
    """Evince with the side pane open, then with its File options menu open."""
    with tempfile.TemporaryDirectory(prefix="gset3-") as home:  # HOME, and the PDF in it
        _evince(Path(home), out, add, dropped, flat)


def _evince(home: Path, out: Path, add: Add, dropped: list[str], flat: Callable[..., bool]) -> None:
    """Start Evince on the report in a private display, open its side pane, shoot, open its
    menu, shoot."""
    from guiagent.actions import Click, Hover, Point, Target
    from guiagent.config import LinuxConfig
    from guiagent.platforms.linux.atspi import AtspiReader
    from guiagent.platforms.linux.driver import LinuxDriver
    from guiagent.platforms.linux.xvfb import VirtualDisplay
    from guiagent.testing.x11 import launch, stop, wait_for_window

    pdf = _print_pdf(home)
    with VirtualDisplay(1280, 800, accessibility=True) as vd:
        vd.apply()
        env = {**vd.env, "HOME": str(home), "XDG_CONFIG_HOME": f"{home}/.config"}
        driver = LinuxDriver(LinuxConfig(display=vd.display))
        driver._atspi = AtspiReader(max_nodes=3000, budget_s=6, call_timeout_ms=3000)
        driver._atspi.start()

        def click(role: str, name: str) -> None:
            for el in driver.observe().accessibility or []:
                if el.role == role and el.name == name:
                    driver.execute(Click(target=Target(point=el.box.center)))
                    time.sleep(1.5)
                    return
            dropped.append(f"evince: could not click {role} {name!r}")

        proc = launch(["evince", str(pdf)], env)
        try:
            wait_for_window(driver, "quarterly", 30, active=True)
            time.sleep(2)
            click("toggle_button", "")  # open the side pane (thumbnails)
            # the pointer off the header bar, so that no tooltip covers it
            driver.execute(Hover(target=Target(point=Point(x=5, y=795))))
            time.sleep(1.0)
            _shoot(driver, out, "linux_evince.png", add, dropped, flat)
            click("toggle_button", "File options")
            _shoot(driver, out, "linux_evince_menu.png", add, dropped, flat)
        finally:
            stop(proc)
        driver.close()
