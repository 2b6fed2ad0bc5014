"""Web half of the v2 grounding set: Chromium's own pages, the local pages in ``pages/`` and
MiniWoB++ tasks the v1 set never used. Boxes come from the browser (the DOM for pages we
wrote, the accessibility tree through CDP for chrome:// pages, whose controls sit in shadow
roots). See ``make_set.py`` for the whole procedure.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from phrasing import phrase
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "grounding_set"))
from web_scenes import _START  # noqa: E402  (MiniWoB++ started as v1 starts it)

Add = Callable[[str, str, tuple[int, int, int, int], str, str], None]
Box = tuple[int, int, int, int]
PAGES = Path(__file__).parent / "pages"
CHROMIUM = "/usr/bin/chromium"

#: tasks absent from the v1 set (and from the detector's sets); task -> seeds
MINIWOB_TASKS: dict[str, list[int]] = {
    "click-test-2": [101],
    "choose-list": [102],
    "focus-text-2": [103],
    "enter-text-2": [104],
    "click-menu": [105, 126],
    "click-tab": [108],
    "click-scroll-list": [109],
    "guess-number": [110],
    "enter-date": [111],
    "enter-time": [112],
    "form-sequence": [113],
    "form-sequence-2": [114],
    "click-checkboxes-soft": [115],
    "use-autocomplete": [116],
    "read-table": [117],
    "copy-paste": [118],
    "simple-arithmetic": [119],
    "click-test": [122],
    "click-menu-2": [106, 107],
    "click-checkboxes-large": [123],
    "form-sequence-3": [124],
    "find-word": [125],
    "choose-date": [121],
}

#: (file name stem, url, viewport width): narrower windows show the icon-only menu buttons
CHROME_PAGES: list[tuple[str, str, int]] = [
    ("settings", "chrome://settings", 1280),
    ("settings_appearance", "chrome://settings/appearance", 1280),
    ("settings_privacy", "chrome://settings/privacy", 1280),
    ("settings_startup", "chrome://settings/onStartup", 1280),
    ("settings_downloads", "chrome://settings/downloads", 1280),
    ("settings_narrow", "chrome://settings/accessibility", 900),
    ("downloads", "chrome://downloads", 900),
    ("history", "chrome://history", 1280),
    ("history_narrow", "chrome://history", 900),
    ("extensions", "chrome://extensions", 1280),
    ("flags", "chrome://flags", 1280),
]

DOM_JS = """() => {
  const sel = 'button,a[href],input,select,textarea,[role=button],[role=tab],[role=link],' +
    '[role=menuitem],[role=option],span.alink,#area svg text,.ui-datepicker-prev,' +
    '.ui-datepicker-next,.ui-datepicker-calendar a';
  const strip = (s) => (s || '').replace(/[\\ue000-\\uf8ff]/g, '').trim().replace(/\\s+/g, ' ');
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    if (el.closest('#query')) continue;
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
      const lab = el.labels[0];
      label = strip(Array.from(lab.childNodes).filter(n => n.nodeType === 3)
        .map(n => n.textContent).join(' ')) || strip(lab.innerText);
      const b = lab.getBoundingClientRect();
      lbox = [b.left, b.top, b.width, b.height];
    }
    const text = ['input', 'select', 'textarea'].includes(tag) ? '' :
      strip(el.innerText || el.textContent);
    out.push({tag, type, role: el.getAttribute('role') || '', text, label, lbox,
      aria: el.getAttribute('aria-label') || el.getAttribute('title') || '',
      q: el.getAttribute('data-q') || '',
      placeholder: el.getAttribute('placeholder') || '',
      value: tag === 'input' && ['submit', 'button'].includes(type) ? el.value : '',
      nav: !!el.closest('nav,aside'),
      box: [r.left, r.top, r.width, r.height]});
  }
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, t = strip(node.textContent), p = node.parentElement;
    if (!t || !p || p.closest('#query,option')) continue;
    const st = getComputedStyle(p);
    if (st.visibility === 'hidden' || st.display === 'none') continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    const r = range.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) continue;
    texts.push([t.toLowerCase(), [r.left, r.top, r.width, r.height]]);
  }
  return {items: out, texts};
}"""


def describe_dom(item: dict[str, Any], screen: str) -> tuple[str, str, str] | None:
    """(instruction, data_type, name) for one DOM element, or None when a person could not
    name it from the screen (an unlabelled field, a one-letter link)."""
    tag, typ, role, text, label = (
        item["tag"],
        item["type"],
        item["role"],
        item["text"],
        item["label"],
    )
    shown = (text or item["value"]).strip(".,;:!? …")
    if tag == "input" and typ in ("checkbox", "radio"):
        if not label:
            return None
        label = label.rstrip(":")
        return phrase("checkbox" if typ == "checkbox" else "radio", label, screen), "text", label
    if tag in ("input", "textarea", "select") and typ not in ("submit", "button"):
        name = (label or item["placeholder"]).rstrip(":")
        if not name:  # named by aria-label only: nothing on screen says what it is
            return None
        if item["q"]:
            return item["q"], "text", name
        kind = "combo_box" if tag == "select" else "text_field"
        return phrase(kind, name, screen), "text", name
    if shown:
        if len(shown) > 40 or (len(shown) <= 1 and tag == "a"):
            return None
        if item["q"]:
            return item["q"], "text", shown
        if role == "tab":
            kind = "tab"
        elif item["nav"]:
            kind = "nav"
        elif tag == "a" or role == "link" or "alink" in item.get("cls", ""):
            kind = "link"
        elif role in ("menuitem", "option"):
            kind = "item"
        else:
            kind = "button"
        return phrase(kind, shown, screen), "text", shown
    name = item["aria"]
    if not name:
        return None
    return item["q"] or phrase("icon", name, screen), "icon", name


def dom_targets(found: dict[str, Any], scale: float, screen: str) -> list[tuple[str, Box, str]]:
    """(instruction, box in image pixels, data_type) for the elements whose name is shown once:
    two controls of one name, or a control whose name is also drawn elsewhere (a message
    subject in the list and as the open message's title), are ambiguous and left out."""
    described = []
    for item in found["items"]:
        d = describe_dom(item, screen)
        if d is None:
            continue
        box = own = tuple(item["box"])
        if item["lbox"]:
            own = _union(box, tuple(item["lbox"]))  # the label belongs to its control
            if item["type"] in ("checkbox", "radio"):
                box = own  # and clicking either toggles it
        described.append((d[0], tuple(round(v * scale) for v in box), d[1], d[2].lower(), own))
    counts: dict[str, int] = {}
    for _, _, _, name, _ in described:
        counts[name] = counts.get(name, 0) + 1
    kept: list[tuple[str, Box, str]] = []
    for instruction, box, data_type, name, own in described:
        elsewhere = [
            b for t, b in found["texts"] if t.strip(".,;:!? …") == name and not _inside(b, own)
        ]
        if counts[name] == 1 and not elsewhere:
            kept.append((instruction, box, data_type))  # type: ignore[arg-type]
    return kept


def _inside(inner: list[float], outer: tuple[float, ...]) -> bool:
    cx, cy = inner[0] + inner[2] / 2, inner[1] + inner[3] / 2
    return outer[0] <= cx <= outer[0] + outer[2] and outer[1] <= cy <= outer[1] + outer[3]


def _union(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, float, float, float]:
    x, y = min(a[0], b[0]), min(a[1], b[1])
    return x, y, max(a[0] + a[2], b[0] + b[2]) - x, max(a[1] + a[3], b[1] + b[3]) - y


# -- chrome:// pages ---------------------------------------------------------------------

_CHROME_ROLES = {
    "button": "button",
    "link": "link",
    "checkbox": "checkbox",
    "switch": "switch",
    "tab": "tab",
    "menuitem": "nav",
    "searchbox": "text_field",
    "textbox": "text_field",
    "combobox": "combo_box",
    "radio": "radio",
}


def chrome_targets(cdp: Any, screen: str, width: int, height: int) -> list[tuple[str, Box, str]]:
    """Targets of a chrome:// page from its accessibility tree (names as Chromium computes
    them, boxes from the DOM nodes). A control without text of its own whose name is drawn on
    its row (a toggle and its label, a link row's arrow) gets the row's text in its box; a
    button with no text anywhere is an icon; anything else with no drawn name is left out."""
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    by_id = {n["nodeId"]: n for n in nodes}
    box_of: dict[str, Box] = {}

    def box(node: dict[str, Any]) -> Box | None:
        if node["nodeId"] in box_of:
            return box_of[node["nodeId"]]
        if "backendDOMNodeId" not in node:
            return None
        try:
            q = cdp.send("DOM.getBoxModel", {"backendNodeId": node["backendDOMNodeId"]})
        except Exception:  # noqa: BLE001 - no layout (hidden, display: contents)
            return None
        b = q["model"]["border"]
        found = (round(b[0]), round(b[1]), round(b[4] - b[0]), round(b[5] - b[1]))
        box_of[node["nodeId"]] = found
        return found

    def visible(b: Box | None) -> bool:
        return (
            b is not None
            and b[2] >= 4
            and b[3] >= 4
            and b[0] >= 0
            and b[1] >= 0
            and (b[0] + b[2] <= width and b[1] + b[3] <= height)
        )

    def texts_under(node: dict[str, Any]) -> list[str]:
        found, stack = [], list(node.get("childIds", []))
        while stack:
            child = by_id.get(stack.pop())
            if child is None:
                continue
            if child.get("role", {}).get("value") == "StaticText":
                found.append(child.get("name", {}).get("value", "").strip())
            stack.extend(child.get("childIds", []))
        return [t for t in found if t]

    all_text = {
        n.get("name", {}).get("value", "").strip().lower()
        for n in nodes
        if n.get("role", {}).get("value") == "StaticText"
    }
    statics = []
    for n in nodes:
        if n.get("role", {}).get("value") == "StaticText" and not n.get("ignored"):
            b = box(n)
            text = n.get("name", {}).get("value", "").strip()
            if text and visible(b):
                statics.append((text.lower(), b))

    found: list[tuple[str, Box, str, str]] = []
    for n in nodes:
        role = n.get("role", {}).get("value")
        if n.get("ignored") or role not in _CHROME_ROLES:
            continue
        props = {p["name"]: p.get("value", {}).get("value") for p in n.get("properties", [])}
        name = " ".join(n.get("name", {}).get("value", "").split())
        b = box(n)
        if props.get("disabled") or not name or len(name) > 40 or not visible(b):
            continue
        assert b is not None
        own = " ".join(texts_under(n)).lower()
        kind = _CHROME_ROLES[role]
        # a field's placeholder is drawn and equals its name; other controls show their own
        if kind == "text_field" or name.lower() in own or own and own in name.lower():
            found.append((phrase(kind, name, screen), b, "text", name.lower()))
        else:
            row = [s for s in statics if s[0] == name.lower() and _same_row(s[1], b)]
            if row:
                union = tuple(round(v) for v in _union(b, row[0][1]))
                found.append((phrase(kind, name, screen), union, "text", name.lower()))  # type: ignore[arg-type]
            elif (
                role == "button"
                and b[2] <= 48
                and b[3] <= 48
                and name.lower() not in all_text
                and not any(_row_arrow(s[1], b) for s in statics)
            ):
                found.append((phrase("icon", name, screen), b, "icon", name.lower()))
    counts: dict[str, int] = {}
    for *_, name in found:
        counts[name] = counts.get(name, 0) + 1
    return [(i, b, k) for i, b, k, name in found if counts[name] == 1]


def _row_arrow(text: Box, button: Box) -> bool:
    """The button trails a list row whose text sits far to its left: the row's arrow, not an
    icon a person names on its own (Chromium names it after the row)."""
    return _same_row(text, button) and 150 < button[0] - (text[0] + text[2]) < 700


def _same_row(a: Box, b: Box) -> bool:
    return abs((a[1] + a[3] / 2) - (b[1] + b[3] / 2)) <= 14


# -- capture -------------------------------------------------------------------------------


def _save(page: Any, out: Path, name: str, clip: dict[str, float] | None = None) -> tuple[int, int]:
    path = out / name
    page.screenshot(path=str(path), clip=clip) if clip else page.screenshot(path=str(path))
    with Image.open(path) as img:
        size = img.size
        img.save(path, optimize=True)
    return size


def _add_all(
    add: Add, name: str, found: list[tuple[str, Box, str]], size: tuple[int, int], plat: str
) -> int:
    kept = 0
    for instruction, (x, y, w, h), data_type in found:
        if x >= 0 and y >= 0 and x + w <= size[0] and y + h <= size[1]:
            add(name, instruction, (x, y, w, h), data_type, plat)
            kept += 1
    print(f"  {name}: {kept} targets")
    return kept


def capture_chrome(out: Path, add: Add) -> None:
    """chrome:// pages in a persistent context (they refuse a plain one), a few visits in
    the history so chrome://history has rows."""
    from playwright.sync_api import sync_playwright

    from guiagent.platforms.browser.launch import BASE_ARGS

    profile = tempfile.mkdtemp(prefix="gset2-chromium-")
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, headless=True, args=list(BASE_ARGS)
        )
        try:
            page = ctx.pages[0] if ctx.pages else ctx.new_page()
            for html in sorted(PAGES.glob("*.html")):  # history rows
                page.goto(html.as_uri())
            for stem, url, width in CHROME_PAGES:
                page.set_viewport_size({"width": width, "height": 800})
                page.goto(url)
                page.wait_for_timeout(1500)
                name = f"chromium_{stem}.png"
                size = _save(page, out, name)
                cdp = ctx.new_cdp_session(page)
                try:
                    _add_all(add, name, chrome_targets(cdp, "chromium", *size), size, "chromium")
                finally:
                    cdp.detach()
        finally:
            ctx.close()


def capture_web(out: Path, add: Add) -> None:
    """The local pages at 1280x800 and the MiniWoB++ screens at device scale 2."""
    from playwright.sync_api import sync_playwright

    from guiagent.evaluation.miniwob_pages import MiniWobPages

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            for html in sorted(PAGES.glob("*.html")):
                page.goto(html.as_uri())
                page.wait_for_load_state("load")
                page.wait_for_timeout(300)  # icon fonts
                name = f"web_{html.stem}.png"
                size = _save(page, out, name)
                _add_all(add, name, dom_targets(page.evaluate(DOM_JS), 1.0, html.stem), size, "web")
            page = browser.new_page(viewport={"width": 400, "height": 300}, device_scale_factor=2)
            with MiniWobPages() as pages:
                for task, seeds in MINIWOB_TASKS.items():
                    for seed in seeds:
                        page.goto(pages.url(task))
                        page.wait_for_function(
                            "() => typeof core !== 'undefined' && !!document.body"
                        )
                        page.evaluate(_START, seed)
                        page.wait_for_timeout(800)
                        name = f"miniwob_{task}_{seed}.png"
                        clip = {"x": 0, "y": 0, "width": 160, "height": 210}
                        size = _save(page, out, name, clip)
                        found = dom_targets(page.evaluate(DOM_JS), 2.0, f"{task}{seed}")
                        _add_all(add, name, found, size, "miniwob")
        finally:
            browser.close()
