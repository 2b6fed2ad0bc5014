"""HTML for one random control of each kind. Every labelled control carries ``data-k`` with its
detector class; the DOM gives its box after rendering.

Controls come in several drawings each (native, custom, flat, boxed) because real toolkits
draw the same kind in many ways.
"""

from __future__ import annotations

import random
from functools import lru_cache
from pathlib import Path

from guiagent.grounding_models.detector.theme import Theme, sentence, words

ICON_ROOTS = (Path("/usr/share/icons/Adwaita"), Path("/usr/share/icons/hicolor"))
#: Font Awesome 4 code points (fonts-font-awesome): a spread of the common glyphs
FA_RANGE = (0xF000, 0xF2E0)


@lru_cache(maxsize=1)
def icon_files() -> tuple[str, ...]:
    """PNG icons from the Debian icon themes (symbolic and full colour), as file URLs."""
    found: list[str] = []
    for root in ICON_ROOTS:
        for size in ("16x16", "22x22", "24x24", "32x32", "48x48"):
            base = root / size
            if base.is_dir():
                found.extend(p.as_uri() for p in sorted(base.glob("*/*.png")))
    return tuple(found)


def icon(rng: random.Random, t: Theme, size: int) -> str:
    """An icon: a theme PNG (symbolic ones inverted on dark themes) or a Font Awesome glyph."""
    files = icon_files()
    if files and rng.random() < 0.65:
        src = rng.choice(files)
        invert = "filter:invert(1);" if t.dark and "symbolic" in src else ""
        return f'<img src="{src}" style="width:{size}px;height:{size}px;{invert}" alt="">'
    code = rng.randint(*FA_RANGE)
    style = f"font-family:FontAwesome;font-size:{size}px;line-height:1"
    return f'<span style="{style}">&#{code};</span>'


def button(rng: random.Random, t: Theme) -> str:
    kind = rng.choices(["", "primary", "flat"], weights=[5, 3, 1])[0]
    label = words(rng, 1, 2)
    if rng.random() < 0.2:
        label = icon(rng, t, t.font_size + 2) + label
    tag = rng.choice(["button", "button", "div"])
    return f'<{tag} data-k="button" class="btn {kind}">{label}</{tag}>'


def icon_button(rng: random.Random, t: Theme, size: int | None = None) -> str:
    size = size or rng.choice([14, 16, 16, 18, 20, 22, 24, 28, 32])
    boxed = "boxed" if rng.random() < 0.35 else ""
    return f'<button data-k="icon_button" class="ibtn {boxed}">{icon(rng, t, size)}</button>'


def text_field(rng: random.Random, t: Theme, width: int | None = None) -> str:
    width = width or rng.randint(90, 360)
    line = " line" if rng.random() < 0.12 else ""
    if rng.random() < 0.12:
        rows = rng.randint(2, 5)
        text = words(rng, 0, 8) if rng.random() < 0.5 else ""
        return (
            f'<textarea data-k="text_field" class="field{line}" rows="{rows}" '
            f'style="width:{width}px;resize:none">{text}</textarea>'
        )
    kind = rng.choice(["text", "text", "password", "search", "email", "number"])
    value = ""
    roll = rng.random()
    if roll < 0.35:
        value = f'placeholder="{words(rng, 1, 3)}"'
    elif roll < 0.7:
        value = f'value="{words(rng, 1, 3) if kind != "number" else rng.randint(0, 999)}"'
    return (
        f'<input data-k="text_field" class="field{line}" type="{kind}" {value} '
        f'style="width:{width}px">'
    )


def _toggle(rng: random.Random, t: Theme, kind: str) -> str:
    """A check box or radio button with its label (the label toggles it too, so both count)."""
    typ = "checkbox" if kind == "checkbox" else "radio"
    checked = "checked" if rng.random() < 0.4 else ""
    size = rng.choice([12, 13, 14, 16, 18, 20])
    style = rng.random()
    text = words(rng, 1, 3)
    if style < 0.6:
        mark = f'<input type="{typ}" {checked} style="width:{size}px;height:{size}px;margin:0">'
    elif style < 0.85 or typ == "radio":
        radius = "50%" if typ == "radio" else f"{min(t.radius, 4)}px"
        fill = t.accent if checked else "transparent"
        inner = "&#10003;" if checked and typ == "checkbox" else ""
        mark = (
            f'<span style="width:{size}px;height:{size}px;border:2px solid {t.border};'
            f"border-radius:{radius};background:{fill};display:inline-flex;align-items:center;"
            f'justify-content:center;color:{t.accent_fg};font-size:{size - 4}px">{inner}</span>'
        )
    else:  # a switch
        on = bool(checked)
        knob = "right:2px" if on else "left:2px"
        mark = (
            f'<span style="position:relative;width:{size * 2}px;height:{size}px;'
            f"border-radius:{size}px;background:{t.accent if on else t.border};"
            f'display:inline-block"><span style="position:absolute;top:2px;{knob};'
            f"width:{size - 4}px;height:{size - 4}px;border-radius:50%;"
            f'background:#fff"></span></span>'
        )
    if rng.random() < 0.2:  # label before the mark
        inner_html = f"<span>{text}</span>{mark}"
    else:
        inner_html = f"{mark}<span>{text}</span>"
    return (
        f'<label data-k="{kind}" style="display:inline-flex;align-items:center;'
        f'gap:{t.p(6)}px;cursor:pointer">{inner_html}</label>'
    )


def plain_toggle(rng: random.Random, t: Theme, kind: str) -> str:
    """A browser's own check box or radio at its default size and margins, its text beside it:
    how most plain web forms draw them, unlike the styled marks of ``_toggle``."""
    typ = "checkbox" if kind == "checkbox" else "radio"
    checked = " checked" if rng.random() < 0.35 else ""
    gap = rng.choice([0, 0, 2, 4, 6])
    return (
        f'<label data-k="{kind}" style="display:inline-flex;align-items:center;gap:{gap}px">'
        f'<input type="{typ}"{checked}><span>{words(rng, 1, 4)}</span></label>'
    )


def choice_list(rng: random.Random, t: Theme) -> str:
    """A vertical list of plain check boxes or of radios (one question's options), sometimes
    under a short prompt; all of one kind, as real forms group them."""
    kind = "checkbox" if rng.random() < 0.55 else "radio_button"
    styled = rng.random() < 0.25
    rows = []
    for _ in range(rng.randint(2, 7)):
        item = _toggle(rng, t, kind) if styled else plain_toggle(rng, t, kind)
        rows.append(f"<div>{item}</div>")
    prompt = (
        f"<div style='margin-bottom:4px'>{words(rng, 2, 5)}</div>" if rng.random() < 0.5 else ""
    )
    return (
        f'<div style="display:flex;flex-direction:column;gap:{rng.choice([0, 2, 4, 8])}px">'
        f"{prompt}{''.join(rows)}</div>"
    )


#: Font Awesome 4 glyphs of the action rows under posts and messages: reply, retweet, heart,
#: heart outline, share, comment, comment outline, star outline, bookmark outline, ellipses,
#: thumbs up/down, share-alt, trash, pencil, flag, upload, bar chart, envelope, link
ACTION_GLYPHS = (
    0xF112, 0xF079, 0xF004, 0xF08A, 0xF064, 0xF075, 0xF0E5, 0xF006, 0xF097, 0xF141,
    0xF142, 0xF087, 0xF088, 0xF1E0, 0xF014, 0xF040, 0xF11D, 0xF093, 0xF080, 0xF003, 0xF0C1,
)  # fmt: skip


def _glyph_button(glyph: int, size: int, colour: str, pad: int) -> str:
    """A borderless icon button: one Font Awesome glyph, its box the padded glyph."""
    return (
        f'<span data-k="icon_button" style="display:inline-flex;padding:{pad}px;'
        f'color:{colour};cursor:pointer"><span style="font-family:FontAwesome;'
        f'font-size:{size}px;line-height:1">&#{glyph};</span></span>'
    )


def action_row(rng: random.Random, t: Theme) -> str:
    """Borderless grey glyph buttons in a row, some with a count beside them (the count is
    text, not part of the box): the reply / repost / like / more rows of feeds and mail."""
    size = rng.choice([12, 14, 14, 16, 16, 18, 20])
    colour = rng.choice([t.muted, t.muted, t.fg, t.accent])
    counts = rng.random() < 0.5
    parts = []
    for _ in range(rng.randint(3, 6)):
        glyph = rng.choice(ACTION_GLYPHS)
        pad = rng.choice([0, 2, 4, 6])
        btn = _glyph_button(glyph, size, colour, pad)
        count = (
            f'<span class="muted" style="font-size:{max(10, size - 3)}px">'
            f"{rng.randint(1, 999)}</span>"
            if counts and rng.random() < 0.7
            else ""
        )
        parts.append(
            f'<span style="display:inline-flex;align-items:center;gap:4px">{btn}{count}</span>'
        )
    justify = rng.choice(["flex-start", "space-between"])
    width = f"width:{rng.randint(200, 460)}px;" if justify == "space-between" else ""
    return (
        f'<div style="display:flex;align-items:center;gap:{rng.randint(12, 40)}px;'
        f'justify-content:{justify};{width}">{"".join(parts)}</div>'
    )


def checkbox(rng: random.Random, t: Theme) -> str:
    return _toggle(rng, t, "checkbox")


def radio_button(rng: random.Random, t: Theme) -> str:
    return _toggle(rng, t, "radio_button")


def dropdown(rng: random.Random, t: Theme, width: int | None = None) -> str:
    width = width or rng.randint(90, 260)
    if rng.random() < 0.55:
        opts = "".join(f"<option>{words(rng, 1, 2)}</option>" for _ in range(rng.randint(2, 6)))
        return f'<select data-k="dropdown" class="field" style="width:{width}px">{opts}</select>'
    caret = rng.choice(["&#9662;", "&#9660;", "&#8964;", "&#x25BE;"])
    return (
        f'<div data-k="dropdown" class="field" style="width:{width}px;display:inline-flex;'
        f'justify-content:space-between;align-items:center"><span>{words(rng, 1, 2)}</span>'
        f'<span class="muted">{caret}</span></div>'
    )


def slider(rng: random.Random, t: Theme) -> str:
    width = rng.randint(90, 320)
    return (
        f'<input data-k="slider" type="range" value="{rng.randint(0, 100)}" '
        f'style="width:{width}px">'
    )


def link(rng: random.Random, t: Theme, hi: int = 3) -> str:
    deco = "" if rng.random() < 0.6 else "text-decoration:none;"
    return f'<a data-k="link" href="#" style="white-space:nowrap;{deco}">{words(rng, 1, hi)}</a>'


def link_paragraph(rng: random.Random, t: Theme) -> str:
    """Body text with several links inside the running lines (articles, help pages, search
    results), some wrapping: a link is often only a word or two among plain words."""
    chunks: list[str] = []
    for _ in range(rng.randint(2, 6)):
        chunks.append(sentence(rng, 3, 12))
        if rng.random() < 0.7:
            chunks.append(link(rng, t, hi=rng.choice([1, 2, 3, 5])))
    size = rng.choice(["1em", "1em", "1.1em", "1.25em"])
    width = rng.randint(220, 700)
    return f"<p style='margin:4px 0;max-width:{width}px;font-size:{size}'>{' '.join(chunks)}</p>"


def link_list(rng: random.Random, t: Theme) -> str:
    """Links one under another: navigation, related pages, search results (a title link
    over a line of plain text), at body size or larger."""
    results = rng.random() < 0.35
    bullets = not results and rng.random() < 0.4
    size = rng.choice(["1em", "1em", "1.15em", "1.3em", "1.5em"])
    items = []
    for _ in range(rng.randint(2, 8)):
        item = link(rng, t, hi=rng.choice([2, 3, 5]))
        if results:
            item = (
                f"<div style='font-size:{size}'>{item}</div>"
                f"<div class='muted' style='margin-bottom:6px'>{sentence(rng, 6, 14)}</div>"
            )
            items.append(f"<div>{item}</div>")
        elif bullets:
            items.append(f"<li style='font-size:{size};margin:2px 0'>{item}</li>")
        else:
            items.append(
                f"<div style='font-size:{size};margin:{rng.choice([1, 3, 6])}px 0'>{item}</div>"
            )
    body = "".join(items)
    return (
        f"<ul style='margin:4px 0;padding-left:22px'>{body}</ul>"
        if bullets
        else f"<div>{body}</div>"
    )


def tabs(rng: random.Random, t: Theme) -> str:
    style = rng.choice(["", "box", "pill"])
    count = rng.randint(2, 6)
    active = rng.randrange(count)
    items = []
    for i in range(count):
        on = " on" if i == active else ""
        ic = icon(rng, t, t.font_size) + " " if rng.random() < 0.15 else ""
        items.append(f'<div data-k="tab" class="tab {style}{on}">{ic}{words(rng, 1, 2)}</div>')
    gap = 4 if style == "pill" else 0
    return (
        f'<div style="display:flex;gap:{gap}px;border-bottom:1px solid {t.border};'
        f'align-items:flex-end">{"".join(items)}</div>'
    )


def menu_bar(rng: random.Random, t: Theme) -> str:
    items = "".join(
        f'<div data-k="menu_item" class="mi">{words(rng, 1, 1).capitalize()}</div>'
        for _ in range(rng.randint(3, 8))
    )
    return f'<div class="surface" style="display:flex;border-radius:0">{items}</div>'


def popup_menu(rng: random.Random, t: Theme) -> str:
    """An open menu or drop-down list: its entries are menu items."""
    rows = []
    hot = rng.randrange(8)
    with_icons = rng.random() < 0.4
    for i in range(rng.randint(3, 10)):
        if rng.random() < 0.12:
            rows.append('<div class="sep"></div>')
            continue
        ic = icon(rng, t, 16) if with_icons and rng.random() < 0.7 else ""
        key = f'<span class="muted">Ctrl+{rng.choice("ABCDEFGNOPQRSTVXZ")}</span>'
        shortcut = key if rng.random() < 0.4 else ""
        cls = "mi hot" if i == hot else "mi"
        rows.append(
            f'<div data-k="menu_item" class="{cls}" style="display:flex;gap:10px;'
            f'align-items:center"><span style="width:16px">{ic}</span>'
            f'<span style="flex:1">{words(rng, 1, 3)}</span>{shortcut}</div>'
        )
    return (
        f'<div class="surface" style="padding:4px 0;min-width:{rng.randint(120, 240)}px;'
        f'box-shadow:0 4px 14px rgba(0,0,0,.35)">{"".join(rows)}</div>'
    )


def toolbar(rng: random.Random, t: Theme) -> str:
    """Icon-only buttons, sometimes with separators and a text button or a field."""
    size = rng.choice([16, 16, 18, 20, 24, 28])
    parts = []
    for _ in range(rng.randint(3, 14)):
        roll = rng.random()
        if roll < 0.1:
            parts.append('<div class="vsep"></div>')
        elif roll < 0.15:
            parts.append(button(rng, t))
        elif roll < 0.2:
            parts.append(dropdown(rng, t, rng.randint(70, 140)))
        else:
            parts.append(icon_button(rng, t, size))
    return (
        f'<div class="surface" style="display:flex;align-items:center;gap:{t.p(3)}px;'
        f'padding:{t.p(4)}px;border-radius:0">{"".join(parts)}</div>'
    )


def list_rows(rng: random.Random, t: Theme) -> str:
    """Rows of a mail box or a task list: a bold name over a line or two of plain text, with
    small borderless icon buttons (star, delete, archive) at the right of each row."""
    size = rng.choice([14, 16, 18, 20, 24])
    colour = rng.choice([t.muted, t.muted, t.fg])
    glyphs = rng.sample(ACTION_GLYPHS, rng.randint(1, 3))
    rows = []
    for _ in range(rng.randint(2, 6)):
        lines = f"<b>{words(rng, 1, 2)}</b>" + "".join(
            f"<div class='muted'>{sentence(rng, 2, 6)}</div>" for _ in range(rng.randint(1, 2))
        )
        buttons = "".join(_glyph_button(g, size, colour, 2) for g in glyphs)
        rows.append(
            f'<div style="display:flex;justify-content:space-between;align-items:center;'
            f'padding:4px 8px;border-bottom:1px solid {t.border}"><div>{lines}</div>'
            f'<div style="display:flex;gap:{rng.randint(2, 10)}px">{buttons}</div></div>'
        )
    return f"<div style='width:{rng.randint(240, 520)}px'>{''.join(rows)}</div>"


def tree(rng: random.Random, t: Theme) -> str:
    """A folder tree: items one under another, indented by level, some with a caret; each
    item's name is a link (clicking it opens the folder or file)."""
    items = []
    level = 0
    for _ in range(rng.randint(3, 9)):
        level = max(0, min(3, level + rng.choice([-1, 0, 0, 1])))
        caret = rng.choice(["&#9656; ", "&#9662; ", "", "+ ", "- "])
        items.append(
            f'<div style="padding:{rng.choice([1, 3, 5])}px 0 {rng.choice([1, 3, 5])}px '
            f'{12 + level * 18}px">{caret}<span data-k="link" style="cursor:pointer">'
            f"{words(rng, 1, 2)}</span></div>"
        )
    return f"<div style='min-width:{rng.randint(160, 320)}px'>{''.join(items)}</div>"


def editor_area(rng: random.Random, t: Theme) -> str:
    """A document being edited: a large multi-line text area, often filling its pane."""
    text = "\n".join(sentence(rng, 2, 9) for _ in range(rng.randint(0, 8)))
    width, height = rng.randint(300, 900), rng.randint(160, 520)
    mono = "font-family:monospace;" if rng.random() < 0.5 else ""
    return (
        f'<textarea data-k="text_field" class="field" style="width:{width}px;'
        f'height:{height}px;resize:none;{mono}">{text}</textarea>'
    )
