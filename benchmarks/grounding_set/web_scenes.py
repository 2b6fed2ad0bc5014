"""Web half of the held-out grounding set: MiniWoB++ pages and local HTML pages in headless
Chromium, boxes from the DOM. See ``make_set.py`` for the whole procedure.

An element is an icon target when it shows no text of its own (its name comes from
aria-label, title or alt), a text target when its name is drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PIL import Image

Add = Callable[[str, str, tuple[int, int, int, int], str, str], None]
PAGES = Path(__file__).parent / "pages"
MINIWOB_TASKS = {  # task -> seeds (each seed is another screen)
    "click-button": [1, 2],
    "click-button-sequence": [21],
    "click-checkboxes": [3, 22],
    "click-tab-2": [4, 23],
    "click-dialog": [5, 6],
    "click-dialog-2": [7, 24],
    "click-widget": [25, 26],
    "email-inbox": [8, 27],
    "social-media": [9, 28],
    "login-user": [10],
    "enter-password": [29],
    "search-engine": [11],
    "text-editor": [12],
    "book-flight": [13],
    "enter-text": [14],
    "click-collapsible": [15],
    "use-spinner": [16],
    "click-link": [18, 30],
    "click-option": [19, 31],
    "navigate-tree": [20, 32],
    "multi-layouts": [33, 34],
    "multi-orderings": [35],
}

EXTRACT_JS = """() => {
  const sel = 'button,a[href],a,input,select,textarea,[role=button],[role=tab],[role=link],' +
    '[role=checkbox],[role=menuitem],summary,.ui-datepicker-prev,.ui-datepicker-next,' +
    'span.alink,span.folder,span.file,.email-actions span,.controls span[class],#open-search';
  const out = [];
  const seen = new Set();
  for (const el of document.querySelectorAll(sel)) {
    if (seen.has(el) || el.closest('#query')) continue;
    seen.add(el);
    const r = el.getBoundingClientRect();
    if (r.width < 5 || r.height < 5 || r.bottom < 0 || r.right < 0) continue;
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden' || st.display === 'none' || Number(st.opacity) === 0) continue;
    const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
    if (!top || !(el === top || el.contains(top) || top.contains(el))) continue;
    const tag = el.tagName.toLowerCase();
    const type = (el.getAttribute('type') || '').toLowerCase();
    let label = '', lbox = null;
    if (el.labels && el.labels.length) {
      label = el.labels[0].innerText.trim();
      const b = el.labels[0].getBoundingClientRect();
      lbox = [b.left, b.top, b.width, b.height];
    }
    const text = tag === 'input' || tag === 'select' || tag === 'textarea' ? '' :
      (el.innerText || '').trim().replace(/\\s+/g, ' ');
    out.push({tag, type, role: el.getAttribute('role') || '', text, label, lbox,
      aria: el.getAttribute('aria-label') || el.getAttribute('title') ||
        el.getAttribute('alt') || '',
      placeholder: el.getAttribute('placeholder') || '',
      value: tag === 'input' && ['submit', 'button'].includes(type) ? el.value : '',
      cls: typeof el.className === 'string' ? el.className : '',
      box: [r.left, r.top, r.width, r.height]});
  }
  return out;
}"""

_START = """(seed) => {
  const style = document.createElement('style');
  style.textContent =
    '#reward-display, #click-canvas, #attention-canvas {display: none !important}';
  document.head.appendChild(style);
  Math.seedrandom(seed);
  core.EPISODE_MAX_TIME = 1e6;
  core.startEpisodeReal();
  return true;
}"""

_ICON_CLASSES = {  # MiniWoB++ icon-only controls: class fragment -> what a person calls it
    "trash": "trash",
    "reply": "reply",
    "forward": "forward",
    "star": "star",
    "retweet": "retweet",
    "like": "like",
    "share": "share",
    "more": "more",
    "open-search": "search",
    "ui-icon-closethick": "close",
    "ui-datepicker-prev": "previous month",
    "ui-datepicker-next": "next month",
    "ui-spinner-up": "up arrow",
    "ui-spinner-down": "down arrow",
    "ui-icon-triangle-1-n": "up arrow",
    "ui-icon-triangle-1-s": "down arrow",
}


def describe(item: dict[str, Any]) -> tuple[str, str, str] | None:
    """(instruction, data_type, name) for one DOM element, or None when a person would not
    point at it this way. The phrasing template rotates with the name so the set mixes forms."""
    tag, typ, role = item["tag"], item["type"], item["role"]
    text, aria, label = item["text"], item["aria"], item["label"]
    pick = len(text + aria + label) % 3
    if tag == "input" and typ in ("checkbox", "radio"):
        if not label:
            return None
        kind = "checkbox" if typ == "checkbox" else "option"
        forms = [f"the {kind} next to {label}", f"the {label} {kind}", f"{label} {kind}"]
        return forms[pick], "text", label
    if tag in ("input", "textarea", "select") and typ not in ("submit", "button"):
        name = label or item["placeholder"] or aria
        if not name:
            return None
        what = "drop-down" if tag == "select" else "field"
        forms = [f"the {name} {what}", f"{name} {what}", f"the {what} for {name}"]
        return forms[pick], "text", name
    shown = (text or item["value"]).strip(".,;:!? ")
    if "icon-only" in item["cls"] or "titlebar-close" in item["cls"]:
        forms = ["close button of the dialog", "the X button of the dialog", "the close icon"]
        return forms[pick], "icon", "close"
    if len(shown) <= 2 and (tag == "a" or "alink" in item["cls"]):
        return None
    if shown:
        if len(shown) > 40:
            return None
        if role == "tab":
            return [f"the {shown} tab", f"{shown} tab", f"the tab {shown}"][pick], "text", shown
        if item["cls"] in ("folder", "file"):
            kind = item["cls"]
            return [f"the {shown} {kind}", f"the {kind} {shown}", shown][pick], "text", shown
        if tag == "a" or role == "link" or "alink" in item["cls"]:
            return [f"the {shown} link", f"{shown}", f"the link {shown}"][pick], "text", shown
        return [f"{shown}", f"the {shown} button", f"click {shown}"][pick], "text", shown
    name = aria or next((v for k, v in _ICON_CLASSES.items() if k in item["cls"]), "")
    if not name:
        return None
    forms = [f"the {name} icon", f"the {name} button", f"{name}"]
    return forms[pick].replace("the close button", "close button of the dialog"), "icon", name


def targets(items: list[dict[str, Any]], scale: float) -> list[tuple[str, tuple[int, ...], str]]:
    """(instruction, box in image pixels, data_type), names shown once only (unambiguous)."""
    described = []
    for item in items:
        d = describe(item)
        if d is None:
            continue
        x, y, w, h = item["box"]
        if item["tag"] == "input" and item["type"] in ("checkbox", "radio") and item["lbox"]:
            lx, ly, lw, lh = item["lbox"]  # the box and its label both toggle it
            x2, y2 = max(x + w, lx + lw), max(y + h, ly + lh)
            x, y = min(x, lx), min(y, ly)
            w, h = x2 - x, y2 - y
        box = tuple(round(v * scale) for v in (x, y, w, h))
        described.append((d[0], box, d[1], d[2].lower()))
    described = [d for k, d in enumerate(described) if not _nested(d, described[:k])]
    counts: dict[str, int] = {}
    for _, _, _, name in described:
        counts[name] = counts.get(name, 0) + 1
    kept: list[tuple[str, tuple[int, ...], str]] = []
    firsts: set[str] = set()
    for instruction, box, data_type, name in described:
        if counts[name] == 1:
            kept.append((instruction, box, data_type))
        elif data_type == "icon" and name not in firsts:  # repeated per row: the first one
            firsts.add(name)
            kept.append((f"the first {name} icon", box, data_type))
    return kept


def _nested(item: tuple[str, tuple[int, ...], str, str], before: list[Any]) -> bool:
    """The same name again inside (or around) an element already taken: a tab and its link."""
    x, y, w, h = item[1]
    for _, (bx, by, bw, bh), _, name in before:
        ix = min(x + w, bx + bw) - max(x, bx)
        iy = min(y + h, by + bh) - max(y, by)
        if name == item[3] and ix > 0 and iy > 0 and ix * iy >= 0.5 * min(w * h, bw * bh):
            return True
    return False


def capture_web(out: Path, add: Add, chromium: str = "/usr/bin/chromium") -> None:
    """Render every page, save a PNG per screen and ``add`` its targets."""
    from playwright.sync_api import sync_playwright

    from guiagent.evaluation.miniwob_pages import MiniWobPages

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        for html in sorted(PAGES.glob("*.html")):
            page.goto(html.as_uri())
            page.wait_for_load_state("load")
            _shoot(page, out, f"web_{html.stem}.png", add, "web", None, 1.0)
        browser.close()
        browser = pw.chromium.launch(executable_path=chromium, headless=True)
        page = browser.new_page(viewport={"width": 400, "height": 300}, device_scale_factor=2)
        with MiniWobPages() as pages:
            for task, seeds in MINIWOB_TASKS.items():
                for seed in seeds:
                    page.goto(pages.url(task))
                    page.wait_for_function("() => typeof core !== 'undefined' && !!document.body")
                    page.evaluate(_START, seed)
                    page.wait_for_timeout(1200)
                    clip = {"x": 0, "y": 0, "width": 160, "height": 210}
                    _shoot(page, out, f"miniwob_{task}_{seed}.png", add, "miniwob", clip, 2.0)
        browser.close()


def _shoot(
    page: Any, out: Path, name: str, add: Add, platform: str, clip: Any, scale: float
) -> None:
    path = out / name
    if clip:
        page.screenshot(path=str(path), clip=clip)
    else:
        page.screenshot(path=str(path))
    with Image.open(path) as img:
        img.save(path, optimize=True)
        width, height = img.size
    for instruction, box, data_type in targets(page.evaluate(EXTRACT_JS), scale):
        x, y, w, h = box
        if x < 0 or y < 0 or x + w > width or y + h > height:
            continue
        add(name, instruction, (x, y, w, h), data_type, platform)
