"""Build the v3 held-out grounding set: ``data/*.png`` + ``data/screenspot.json``.

    .venv/bin/python benchmarks/grounding_set_v3/make_set.py            # rewrites data/
    .venv/bin/python benchmarks/grounding_set_v3/make_set.py --out DIR  # or elsewhere
    .venv/bin/python benchmarks/grounding_set_v3/make_set.py --draw DIR # + boxes drawn, to check

Why: v1's misses were read to tune grounding and v2 has been measured, so a set whose screens
and instructions the grounding code's authors never saw is needed to measure honestly. This
one must never be used for tuning (see README.md).

* ``web``: eight local pages in ``pages/`` (calendar, music player, team chat, analytics
  dashboard, photo editor, kanban board; a video call and a settings panel at 640x400, device
  scale 2), written for this set. Every target carries a hand-written ``data-q`` instruction;
  only elements with one are targets (the rest of the page is there to be looked past).
* ``miniwob``: seeded MiniWoB++ tasks neither v1 nor v2 used; their instructions are written
  here (``MINIWOB``) and put on the elements as ``data-q`` before the same extraction runs.
* ``linux``: Evince under Xvfb + AT-SPI (``desktop_v3.py``), two screens.

Boxes are the DOM's ``getBoundingClientRect`` of the clickable element (a check box or radio
button takes its label in: clicking either toggles it). ``data_type`` is ``icon`` exactly
when the element draws no text of its own (text in an icon font or an SVG does not count; a
field counts as text when a label or placeholder is drawn; ``data-kind`` overrides it for a
drop-down asked for by the value it shows and a switch whose name is drawn beside it). A
target that is hidden, covered, clipped or off screen is dropped, and so is one whose name is
ambiguous on its screen (its text drawn elsewhere too; for an icon, the same glyph or the same
aria-label on another icon-only control) unless its element is marked ``data-ctx``: its
instruction says which one.
"""

from __future__ import annotations

import importlib.util
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent
V2 = HERE.parent / "grounding_set_v2"
sys.path.insert(0, str(V2))

# v2's helpers: the Chromium path, a screenshot saved optimized, and v1's MiniWoB++ start
from web_v2 import _START, CHROMIUM, _save  # noqa: E402

sys.path.insert(0, str(HERE))
from desktop_v3 import capture_desktop  # noqa: E402


def _load_v2() -> Any:
    """v2's make_set module (``_shrink``, ``_flat``), imported by path: this file has its name."""
    spec = importlib.util.spec_from_file_location("grounding_set_v2_make", V2 / "make_set.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


V2_MAKE = _load_v2()

DATA = HERE / "data"
PAGES = HERE / "pages"
Box = tuple[int, int, int, int]

#: page stem -> (viewport width, height, device scale factor); scale-2 pages are phone-like
PAGE_VIEWS: dict[str, tuple[int, int, int]] = {
    "calendar": (1280, 800, 1),
    "music": (1280, 800, 1),
    "chat": (1280, 800, 1),
    "dashboard": (1280, 800, 1),
    "photo": (1280, 800, 1),
    "kanban": (1280, 800, 1),
    "videocall": (640, 400, 2),
    "settings": (640, 400, 2),
}

#: MiniWoB++ tasks neither v1 nor v2 used -> (seed, [(css selector, exact text or "" for any,
#: instruction, the instruction says which one of several)]). Written after looking at each
#: seeded screen, the way a person would ask for the element.
MINIWOB: dict[str, tuple[int, list[tuple[str, str, str, bool]]]] = {
    "order-food": (
        202,
        [
            (".food-item[data-id='0'] .add", "+", "the plus next to Caesar Salad", True),
            (".food-item[data-id='0'] .remove", "-", "the minus for Caesar Salad", True),
            (".food-item[data-id='1'] .add", "+", "add one garlic bread", True),
            (".food-item[data-id='1'] .remove", "-", "take one garlic bread off", True),
            (".food-item[data-id='2'] .add", "+", "+ for the spinach dip", True),
        ],
    ),
    "odd-or-even": (
        208,
        [
            (".row:nth-child(1) .odd", "Odd", "the Odd button next to 0", True),
            (".row:nth-child(1) .even", "Even", "mark 0 as even", True),
            (".row:nth-child(2) .odd", "Odd", "Odd for the 9", True),
            (".row:nth-child(2) .even", "Even", "the Even button in the middle row", True),
            (".row:nth-child(3) .odd", "Odd", "the bottom Odd button", True),
            (".row:nth-child(3) .even", "Even", "Even, next to the 7", True),
            ("#submit", "Submit", "submit", False),
        ],
    ),
    "phone-book": (
        201,
        [
            ("a.phone", "", "Rachel's phone number", False),
            ("a.email", "", "click the email address", False),
            ("a.address", "", "her address link", False),
            (".page-item.next a", ">", "next page", False),
        ],
    ),
    "buy-ticket": (
        203,
        [
            ("button.buy-ticket", "Book for $1648", "book the $1648 flight", False),
            ("button.buy-ticket", "Book for $394", "Book for $394", False),
            ("button.buy-ticket", "Book for $610", "the ticket for 610 dollars", False),
            ("button.buy-ticket", "Book for $1430", "buy the 18h 57m one", False),
        ],
    ),
    "identify-shape": (
        214,
        [
            ("#area-buttons button", "Rectangle", "Rectangle", False),
            ("#area-buttons button", "Circle", "the Circle button", False),
            ("#area-buttons button", "Triangle", "click Triangle", False),
            ("#area-buttons button", "Letter", "press Letter", False),
            ("#area-buttons button", "Number", "the Number answer", False),
        ],
    ),
    "click-collapsible-2": (
        206,
        [
            ("h3", "Section #1", "open section 1", False),
            ("h3", "Section #2", "the Section #2 header", False),
            ("h3", "Section #3", "expand the third section", False),
        ],
    ),
}

#: put the MiniWoB instructions on their elements; returns the (selector, text) not found once
TAG_JS = """(specs) => {
  const missing = [];
  for (const [sel, text, q, ctx] of specs) {
    const hits = Array.from(document.querySelectorAll('#area ' + sel)).filter(
      (el) => !text || el.innerText.trim() === text);
    if (hits.length !== 1) { missing.push(sel + ' ' + text + ' x' + hits.length); continue; }
    hits[0].setAttribute('data-q', q);
    if (ctx) hits[0].setAttribute('data-ctx', '');
  }
  return missing;
}"""

#: TAG_JS for the development sets' specs, which carry one more field: a data-kind to set (a
#: field whose drawn label MiniWoB does not tie to it is still asked for by that label); an
#: SVG element's text is read too (it has no innerText: ascending-numbers draws its numbers
#: as SVG text). For HTML elements it finds what TAG_JS finds.
TAG_KIND_JS = """(specs) => {
  const missing = [];
  for (const [sel, text, q, ctx, kind] of specs) {
    const hits = Array.from(document.querySelectorAll('#area ' + sel)).filter(
      (el) => !text || (el.innerText ?? el.textContent).trim() === text);
    if (hits.length !== 1) { missing.push(sel + ' ' + text + ' x' + hits.length); continue; }
    hits[0].setAttribute('data-q', q);
    if (ctx) hits[0].setAttribute('data-ctx', '');
    if (kind) hits[0].setAttribute('data-kind', kind);
  }
  return missing;
}"""

#: every [data-q] element: box, what it draws, whether it is visible and unambiguous
EXTRACT_JS = """() => {
  const ICON_FONT = /^\\s*["']?(FA4|MI|FontAwesome|Material Icons)\\b/i;
  const strip = (s) => (s || '').replace(/[\\ue000-\\uf8ff]/g, '').replace(/\\s+/g, ' ')
    .trim().replace(/^[.,;:!?…]+|[.,;:!?…]+$/g, '').toLowerCase();
  const shown = (el) => {
    for (let e = el; e && e !== document.body; e = e.parentElement) {
      const st = getComputedStyle(e);
      if (st.display === 'none' || st.visibility === 'hidden' || Number(st.opacity) === 0)
        return false;
    }
    return true;
  };
  // drawn text: text nodes outside SVG and icon fonts, each with its box
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, p = node.parentElement;
    const t = strip(node.textContent);
    if (!t || !p || p.closest('svg,option,script,style,textarea')) continue;
    if (ICON_FONT.test(getComputedStyle(p).fontFamily) || !shown(p)) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (r.width < 2 || r.height < 2 || r.right < 0 || r.bottom < 0 ||
        r.left > innerWidth || r.top > innerHeight) continue;
    texts.push({t, node, box: [r.left, r.top, r.width, r.height]});
  }
  const ownText = (el) => texts.filter((x) => el.contains(x.node)).map((x) => x.t).join(' ');
  const glyph = (el) => {
    const parts = [];
    for (const u of el.querySelectorAll('use')) parts.push(u.getAttribute('href'));
    for (const s of el.querySelectorAll('svg')) if (!s.querySelector('use'))
      parts.push(s.innerHTML.replace(/\\s+/g, ''));
    const w = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (w.nextNode()) {
      const p = w.currentNode.parentElement, t = w.currentNode.textContent.trim();
      if (t && ICON_FONT.test(getComputedStyle(p).fontFamily)) parts.push(t);
    }
    const st = getComputedStyle(el, '::before');
    if (st.content && st.content !== 'none' && st.content !== 'normal') parts.push(st.content);
    return parts.join('|');
  };
  const clipped = (el, b) => {  // partly cut off by an ancestor that hides its overflow
    for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
      if (getComputedStyle(e).overflow === 'visible') continue;
      const c = e.getBoundingClientRect();
      if (b[0] < c.left - 1 || b[1] < c.top - 1 || b[0] + b[2] > c.right + 1 ||
          b[1] + b[3] > c.bottom + 1) return true;
    }
    return false;
  };
  const field = (el) => ['input', 'select', 'textarea'].includes(el.tagName.toLowerCase());
  const clickable = 'button,a,input,select,textarea,[role=button],[role=tab],[role=menuitem],' +
    '[role=option],[role=switch],[role=checkbox],[tabindex]';
  const icons = [];  // every visible icon-only control: (element, glyph, name)
  for (const el of document.querySelectorAll(clickable)) {
    if (field(el) || !shown(el) || ownText(el)) continue;
    const r = el.getBoundingClientRect();
    if (r.width < 4 || r.height < 4) continue;
    icons.push({el, g: glyph(el),
      name: strip(el.getAttribute('aria-label') || el.getAttribute('title') || '')});
  }
  const out = [];
  for (const el of document.querySelectorAll('[data-q]')) {
    const tag = el.tagName.toLowerCase(), type = (el.getAttribute('type') || '').toLowerCase();
    const lab = el.labels && el.labels.length ? el.labels[0] : null;
    const r = el.getBoundingClientRect();
    let box = [r.left, r.top, r.width, r.height];
    const mine = lab ? [el, lab] : [el];  // a field's label is its own name, not a clash
    if (lab && (type === 'checkbox' || type === 'radio')) {
      const b = lab.getBoundingClientRect();
      const x = Math.min(r.left, b.left), y = Math.min(r.top, b.top);
      box = [x, y, Math.max(r.right, b.right) - x, Math.max(r.bottom, b.bottom) - y];
    }
    let problem = '';
    if (!shown(el) || r.width < 4 || r.height < 4) problem = 'hidden';
    else if (box[0] < 0 || box[1] < 0 || box[0] + box[2] > innerWidth + 0.5 ||
             box[1] + box[3] > innerHeight + 0.5) problem = 'off screen';
    else if (clipped(el, box)) problem = 'clipped by a scrolling box';
    else {
      const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      if (!top || !mine.some((m) => m === top || m.contains(top) || top.contains(m)))
        problem = 'covered';
    }
    let name = '', kind = '';
    if (field(el) && !['submit', 'button'].includes(type)) {
      const label = lab ? strip(lab.innerText) : '';
      const ph = strip(el.getAttribute('placeholder'));
      name = label || ph;
      kind = name ? 'text' : 'icon';
    } else if (['submit', 'button'].includes(type)) {
      name = strip(el.value); kind = 'text';
    } else {
      name = ownText(el);
      kind = name ? 'text' : 'icon';
    }
    if (el.hasAttribute('data-kind')) kind = el.getAttribute('data-kind');
    let clash = '';
    if (kind === 'text' && name) {
      const inside = (b) => mine.some((m) => {
        const o = m.getBoundingClientRect(), cx = b[0] + b[2] / 2, cy = b[1] + b[3] / 2;
        return o.left <= cx && cx <= o.right && o.top <= cy && cy <= o.bottom;
      });
      const again = texts.filter((x) => x.t === name && !inside(x.box) &&
        !mine.some((m) => m.contains(x.node)));
      if (again.length) clash = 'text "' + name + '" drawn ' + again.length + 'x elsewhere';
    } else if (kind === 'icon') {
      const me = icons.find((i) => i.el === el);
      const g = me ? me.g : glyph(el);
      const aria = strip(el.getAttribute('aria-label') || el.getAttribute('title') || '');
      name = aria;
      const same = icons.filter((i) => i.el !== el &&
        ((g && i.g === g) || (aria && i.name === aria)));
      if (same.length) clash = 'icon glyph/name on ' + same.length + ' other control(s)';
      if (!clash && aria && texts.some((x) => x.t === aria)) clash = 'icon name drawn as text';
    }
    out.push({q: el.getAttribute('data-q'), kind, name, box, problem, clash,
      ctx: el.hasAttribute('data-ctx'), by: el.getAttribute('data-by') || ''});
  }
  return out;
}"""


class Collected:
    """The set being built, plus counts for the summary."""

    def __init__(self) -> None:
        self.entries: list[dict[str, Any]] = []
        self.dropped: list[str] = []
        self.by: dict[str, int] = {}

    def add(
        self, img: str, instruction: str, box: tuple[int, int, int, int], kind: str, plat: str
    ) -> None:
        """One target (the desktop half adds its own)."""
        self.entries.append(
            {
                "img_filename": img,
                "instruction": instruction,
                "bbox": list(box),
                "data_type": kind,
                "platform": plat,
            }
        )

    def take(self, img: str, found: list[dict[str, Any]], scale: int, plat: str) -> int:
        """Add the usable targets of one screen; print and count the dropped ones."""
        kept = 0
        seen: set[str] = set()
        for t in found:
            q = str(t["q"]).strip()
            why = t["problem"] or ("" if t["ctx"] else t["clash"])
            if not why and q.lower() in seen:
                why = "instruction used twice on this screen"
            if why:
                self.dropped.append(f"{img}: {q!r} ({why})")
                continue
            seen.add(q.lower())
            x, y, w, h = (round(v * scale) for v in t["box"])
            self.add(img, q, (x, y, w, h), t["kind"], plat)
            if t["kind"] == "icon":
                key = t["by"] or "unmarked"
                self.by[key] = self.by.get(key, 0) + 1
            kept += 1
        print(f"  {img}: {kept} targets")
        return kept


def capture(out: Path, col: Collected, only: list[str] | None = None) -> None:
    """The local pages, then the MiniWoB++ screens (device scale 2, 160x210 crop), in one
    headless Chromium started with the project's own arguments."""
    from playwright.sync_api import sync_playwright

    from guiagent.evaluation.miniwob_pages import MiniWobPages
    from guiagent.platforms.browser.launch import BASE_ARGS

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=list(BASE_ARGS))
        try:
            for stem, (width, height, scale) in PAGE_VIEWS.items():
                if only and stem not in only:
                    continue
                page = browser.new_page(
                    viewport={"width": width, "height": height}, device_scale_factor=scale
                )
                page.goto((PAGES / f"{stem}.html").as_uri())
                page.wait_for_load_state("load")
                page.evaluate("() => document.fonts.ready.then(() => true)")
                page.wait_for_timeout(300)
                name = f"web_{stem}.png"
                _save(page, out, name)
                col.take(name, page.evaluate(EXTRACT_JS), scale, "web")
                page.close()
            page = browser.new_page(viewport={"width": 400, "height": 300}, device_scale_factor=2)
            with MiniWobPages() as pages:
                for task, (seed, specs) in MINIWOB.items():
                    if only and task not in only:
                        continue
                    page.goto(pages.url(task))
                    page.wait_for_function("() => typeof core !== 'undefined' && !!document.body")
                    page.evaluate(_START, seed)
                    page.wait_for_timeout(800)
                    missing = page.evaluate(TAG_JS, [list(s) for s in specs])
                    for m in missing:
                        col.dropped.append(f"{task}: not found once: {m}")
                    name = f"miniwob_{task}_{seed}.png"
                    _save(page, out, name, {"x": 0, "y": 0, "width": 160, "height": 210})
                    found = page.evaluate(EXTRACT_JS)
                    for t in found:  # the screenshot is the 160x210 task area only
                        if not t["problem"] and not _within(t["box"], 160, 210):
                            t["problem"] = "off screen"
                    col.take(name, found, 2, "miniwob")
        finally:
            browser.close()


def _within(box: list[float], width: int, height: int) -> bool:
    return box[0] >= 0 and box[1] >= 0 and box[0] + box[2] <= width and box[1] + box[3] <= height


def check(out: Path, entries: list[dict[str, Any]]) -> None:
    """Every image exists and every box lies inside its image."""
    sizes: dict[str, tuple[int, int]] = {}
    for e in entries:
        img = str(e["img_filename"])
        if img not in sizes:
            with Image.open(out / img) as im:
                sizes[img] = im.size
        x, y, w, h = e["bbox"]
        W, H = sizes[img]
        assert w > 0 and h > 0 and x >= 0 and y >= 0 and x + w <= W and y + h <= H, e


def draw(out: Path, entries: list[dict[str, Any]], dest: Path) -> None:
    """Copies of the screens with every box drawn (red: icon, blue: text), for a look."""
    dest.mkdir(parents=True, exist_ok=True)
    for img in sorted({str(e["img_filename"]) for e in entries}):
        with Image.open(out / img) as im:
            canvas = im.convert("RGB")
        pen = ImageDraw.Draw(canvas)
        for e in entries:
            if e["img_filename"] == img:
                x, y, w, h = e["bbox"]
                colour = "red" if e["data_type"] == "icon" else "blue"
                pen.rectangle((x, y, x + w - 1, y + h - 1), outline=colour, width=2)
        canvas.save(dest / img)


def summary(out: Path, col: Collected, seconds: float) -> None:
    """Counts by platform and data type, and every dropped target with the reason."""
    kinds: dict[str, int] = {}
    for e in col.entries:
        key = f"{e['platform']}/{e['data_type']}"
        kinds[key] = kinds.get(key, 0) + 1
    pngs = sorted(out.glob("*.png"))
    size = sum(p.stat().st_size for p in pngs)
    print(f"{len(col.entries)} targets on {len(pngs)} screens {dict(sorted(kinds.items()))}")
    print(f"icon instructions by look / by function: {col.by}; PNGs {size / 1e6:.2f} MB")
    print(f"{len(col.dropped)} dropped; {seconds:.0f} s")
    for d in col.dropped:
        print("  dropped", d)


def build(
    out: Path,
    only: list[str] | None,
    desktop: Callable[[Path, Collected], None] | None,
    draw_to: Path | None,
    png_budget: int,
) -> None:
    """Capture every page and task (and the ``desktop`` screens), then check, shrink to
    ``png_budget`` bytes, write ``screenspot.json`` and optionally the drawn boxes. Shared
    with v4dev's script, which captures other pages and another app."""
    start = time.monotonic()
    out.mkdir(parents=True, exist_ok=True)
    for old in out.glob("*.png"):
        old.unlink()
    col = Collected()
    capture(out, col, only)
    if desktop is not None and not only:
        desktop(out, col)
    used = {e["img_filename"] for e in col.entries}
    for png in out.glob("*.png"):
        if png.name not in used:
            png.unlink()
    V2_MAKE._shrink(out, png_budget)
    check(out, col.entries)
    (out / "screenspot.json").write_text(json.dumps(col.entries, indent=1) + "\n")
    if draw_to:
        draw(out, col.entries, draw_to)
    summary(out, col, time.monotonic() - start)


def _evince(out: Path, col: Collected) -> None:
    print("Evince (Xvfb + AT-SPI):")
    capture_desktop(out, col.add, col.dropped, V2_MAKE._flat)


def cli(argv: list[str] | None, what: str, out: Path, app: str, desktop: Any, limit: int) -> int:
    """The command line every set's ``make_set.py`` shares: build ``what`` into ``out``
    (``--out``), with ``desktop`` shooting ``app``'s screens unless ``--no-desktop``."""
    import argparse

    parser = argparse.ArgumentParser(description=f"build the {what}")
    parser.add_argument("--out", type=Path, default=out, help="folder (default: data/)")
    parser.add_argument("--draw", type=Path, help="also write the screens with boxes here")
    parser.add_argument("--only", action="append", help="debug: this page or task only")
    parser.add_argument("--no-desktop", action="store_true", help=f"skip {app} (no Xvfb here)")
    args = parser.parse_args(argv)
    build(args.out.resolve(), args.only, None if args.no_desktop else desktop, args.draw, limit)
    return 0


def main(argv: list[str] | None = None) -> int:
    return cli(argv, "v3 held-out grounding set", DATA, "Evince", _evince, 2_000_000)


if __name__ == "__main__":
    sys.exit(main())
