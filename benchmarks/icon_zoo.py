"""A tuning set for icon-font grounding: web pages of icon-only buttons drawn with Font Awesome
and Material Icons glyphs, in ScreenSpot format, for ``guiagent bench grounding``.

    python benchmarks/icon_zoo.py --out /tmp/zoo [--pages 12] [--seed 1]
    guiagent bench grounding /tmp/zoo/screenspot.json

Why: the v2 dev half has no icon-font glyphs (its icons are LibreOffice's and Adwaita's), so
it cannot show how well glyphs from the two icon fonts are found and named; its test half
must not be read for tuning. These pages are generated, so any number can be drawn and none
is held out. Each target is asked for by the glyph's own plain name ("the paperclip icon"):
the figure measures finding and recognising the glyph (proposal + shape match), not phrasing.
Glyphs vary in size (14-28 px), colour, background and button drawing (flat, outlined,
round filled), in toolbars, rows of actions and card corners, at device scale 1 and 2.
A glyph whose name another glyph on the page shares (or which has the same code point) is
left out of that page: the answer would be ambiguous.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
from pathlib import Path

from guiagent.perception.icons.catalogue import _CSS_GLYPH, _FONTS
from guiagent.perception.icons.names import human_name
from guiagent.platforms.browser.launch import BASE_ARGS

CHROMIUM = "/usr/bin/chromium"
COLOURS = ["#222", "#555", "#1a73e8", "#c5221f", "#188038", "#5f6368", "#8e24aa", "#e37400"]
#: glyphs commonly put on icon-only buttons (stylesheet names): the pages draw these, since a
#: page of random glyphs from 2,700 would mostly test look-alikes nobody puts on a button
_COMMON_NAMES = """search bars times close plus add trash trash-o delete pencil edit cog
    settings home
    star star-o star_border heart heart-o favorite favorite_border share share-alt download
    upload print refresh filter filter_list sort more_vert more_horiz ellipsis-v ellipsis-h
    arrow-left arrow_back arrow-right arrow_forward chevron-left chevron_left chevron-right
    chevron_right chevron-down expand_more chevron-up expand_less check done info-circle info
    question-circle help exclamation-triangle warning bell notifications user account_circle
    person envelope mail email paper-plane send paperclip attach_file reply reply-all reply_all
    forward archive tag label bookmark bookmark-o bookmark_border flag eye visibility eye-slash
    visibility_off lock unlock lock_open calendar calendar_today event clock-o schedule phone
    call comment chat thumbs-up thumb_up thumbs-down thumb_down shopping-cart shopping_cart
    truck local_shipping credit-card credit_card minus remove undo redo repeat files-o
    content_copy scissors content_cut clipboard content_paste floppy-o save folder folder-open
    folder_open file insert_drive_file image camera photo_camera video-camera videocam
    microphone mic volume-up volume_up play play_arrow pause stop step-forward skip_next
    step-backward skip_previous expand fullscreen search-plus zoom_in search-minus zoom_out
    bold format_bold italic format_italic underline format_underlined list-ul
    format_list_bulleted list-ol format_list_numbered link cloud cloud-upload cloud_upload
    cloud-download cloud_download wifi globe language public map-marker place sign-out logout
    sign-in login power-off power_settings_new th grid_view th-list view_list apps sliders tune
    wrench build code bug bug_report gift card_giftcard plus-circle add_circle minus-circle
    remove_circle times-circle cancel check-circle check_circle retweet inbox external-link
    open_in_new question sort-alpha-asc location_on delete_outline edit_note menu
    dashboard history restore lightbulb-o lightbulb key vpn_key"""
COMMON = frozenset(_COMMON_NAMES.split())
BACKS = ["#fff", "#fff", "#f1f3f4", "#f6f8fc", "#202124", "#263238", "#e8f0fe"]


def glyphs() -> list[tuple[str, str, str]]:
    """(font family, code point, plain name) of every named glyph, one per code point."""
    out: list[tuple[str, str, str]] = []
    for (font, css, _), family in zip(_FONTS, ("FA", "MI"), strict=True):
        if not (font.is_file() and css.is_file()):
            continue
        seen: set[str] = set()
        for name, code in _CSS_GLYPH.findall(css.read_text(encoding="utf-8", errors="replace")):
            if code in seen or name not in COMMON or not human_name(name):
                continue
            seen.add(code)
            out.append((family, code, human_name(name).split(" (")[0]))
    return out


def _button(rng: random.Random, family: str, code: str, name: str, dark: bool) -> str:
    size = rng.choice([14, 16, 18, 18, 20, 20, 24, 24, 28])
    colour = rng.choice(["#e8eaed", "#fff", "#9aa0a6"]) if dark else rng.choice(COLOURS)
    style = rng.choice(["flat", "flat", "outlined", "round"])
    pad = rng.choice([4, 6, 8, 10])
    css = f"font-size:{size}px;color:{colour};padding:{pad}px;"
    if style == "outlined":
        css += "border:1px solid #bbb;border-radius:4px;"
    elif style == "round":
        fill = rng.choice(["#1a73e8", "#188038", "#c5221f", "#444"])
        css += f"background:{fill};color:#fff;border-radius:50%;"
    return (
        f'<button class="{family}" style="{css}" aria-label="{name}" data-q="the {name} icon">'
        f"&#x{code};</button>"
    )


def page(rng: random.Random, pool: list[tuple[str, str, str]], count: int) -> str:
    """One page: toolbars and card action rows of ``count`` distinct-named glyphs."""
    names: set[str] = set()
    chosen = []
    for family, code, name in rng.sample(pool, len(pool)):
        if name in names:
            continue
        names.add(name)
        chosen.append((family, code, name))
        if len(chosen) == count:
            break
    back = rng.choice(BACKS)
    dark = back in ("#202124", "#263238")
    fg = "#e8eaed" if dark else "#222"
    blocks, i = [], 0
    while i < len(chosen):
        n = rng.randint(3, 9)
        row = "".join(_button(rng, *g, dark) for g in chosen[i : i + n])
        kind = rng.choice(["toolbar", "card", "row"])
        if kind == "card":
            nouns = ["Report", "Photo", "Order", "Invoice", "Note"]
            words = " ".join(rng.choice(nouns) for _ in "ab")
            blocks.append(
                f'<div class="card"><h3>{words}</h3><p>Updated today.</p><div>{row}</div></div>'
            )
        elif kind == "toolbar":
            blocks.append(f'<div class="bar">{row}</div>')
        else:
            blocks.append(f'<div class="row"><span>Item {i}</span>{row}</div>')
        i += n
    return f"""<!doctype html><html><head><style>
@font-face {{ font-family: FAx; src: url("file://{_FONTS[0][0]}"); }}
@font-face {{ font-family: MIx; src: url("file://{_FONTS[1][0]}"); }}
body {{ margin: 16px; background: {back}; color: {fg}; font: 14px "DejaVu Sans", sans-serif; }}
button {{ background: none; border: 0; line-height: 1; margin: 3px 5px; cursor: pointer; }}
.FA {{ font-family: FAx; }} .MI {{ font-family: MIx; }}
.bar {{ display: flex; flex-wrap: wrap; gap: {rng.choice([2, 8, 16])}px; padding: 6px;
        border-bottom: 1px solid #ccc; margin-bottom: 14px; }}
.card {{ display: inline-block; vertical-align: top; border: 1px solid #ccc; border-radius: 8px;
         padding: 10px; margin: 8px; max-width: 360px; }}
.row {{ display: flex; align-items: center; gap: 10px; padding: 8px 0;
        border-bottom: 1px solid #eee; }}
.row span {{ width: 120px; }}
</style></head><body>{"".join(blocks)}</body></html>"""


BOXES_JS = """() => Array.from(document.querySelectorAll('button')).map(b => {
  const r = b.getBoundingClientRect();
  return {q: b.dataset.q, family: b.className, box: [r.left, r.top, r.width, r.height]};
})"""


def build(out: Path, pages: int, seed: int, per_page: int = 30) -> int:
    from playwright.sync_api import sync_playwright

    rng = random.Random(seed)
    pool = glyphs()
    out.mkdir(parents=True, exist_ok=True)
    targets = []
    with sync_playwright() as pw, tempfile.TemporaryDirectory() as tmp:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=list(BASE_ARGS))
        for n in range(pages):
            scale = 2 if n % 4 == 3 else 1
            ctx = browser.new_context(
                viewport={"width": 1280 // scale, "height": 800 // scale},
                device_scale_factor=scale,
            )
            tab = ctx.new_page()
            html = Path(tmp) / f"zoo{n}.html"
            html.write_text(page(rng, pool, per_page // scale), encoding="utf-8")
            tab.goto(html.as_uri())
            tab.wait_for_timeout(150)
            name = f"zoo_{n:02d}.png"
            tab.screenshot(path=str(out / name))
            for item in tab.evaluate(BOXES_JS):
                x, y, w, h = (v * scale for v in item["box"])
                if y + h > 800 or x + w > 1280:
                    continue
                bbox = [round(x), round(y), round(w), round(h)]
                targets.append(
                    {
                        "img_filename": name,
                        "instruction": item["q"],
                        "bbox": bbox,
                        "data_type": "icon",
                        "platform": f"{item['family'].lower()}-x{scale}",
                    }
                )
            ctx.close()
        browser.close()
    (out / "screenspot.json").write_text(json.dumps(targets, indent=1), encoding="utf-8")
    return len(targets)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    print(f"{build(args.out, args.pages, args.seed)} targets in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
