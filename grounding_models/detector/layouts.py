"""Whole random screens: app windows (menu bar, toolbar, sidebar, form, table, tabs, status
bar), web pages (header, navigation, text with links, forms), dialogs over either, and open
menus. Plain text, headings and lone icons are drawn too, as things that are not controls.
"""

from __future__ import annotations

import random
from collections.abc import Callable

from guiagent.grounding_models.detector import widgets as w
from guiagent.grounding_models.detector.theme import Theme, random_theme, sentence, words

Maker = Callable[[random.Random, Theme], str]


def _labelled(rng: random.Random, t: Theme, control: str) -> str:
    """A form row: a label beside or above a control (the label itself is not a box)."""
    label = f'<span class="muted" style="min-width:{rng.randint(60, 140)}px">{words(rng)}:</span>'
    direction = "column" if rng.random() < 0.4 else "row"
    align = "flex-start" if direction == "column" else "center"
    return (
        f'<div style="display:flex;flex-direction:{direction};align-items:{align};'
        f'gap:{t.p(6)}px">{label}{control}</div>'
    )


def form(rng: random.Random, t: Theme) -> str:
    rows: list[str] = []
    for _ in range(rng.randint(2, 9)):
        roll = rng.random()
        if roll < 0.4:
            rows.append(_labelled(rng, t, w.text_field(rng, t)))
        elif roll < 0.55:
            rows.append(_labelled(rng, t, w.dropdown(rng, t)))
        elif roll < 0.68:
            maker = w.checkbox if rng.random() < 0.6 else w.radio_button
            group = "".join(maker(rng, t) for _ in range(rng.randint(1, 4)))
            direction = "row" if rng.random() < 0.5 else "column"
            rows.append(
                f'<div style="display:flex;flex-direction:{direction};align-items:flex-start;'
                f'gap:{t.p(10)}px">{group}</div>'
            )
        elif roll < 0.76:
            rows.append(_labelled(rng, t, w.slider(rng, t)))
        elif roll < 0.84:
            rows.append(f"<p style='margin:0'>{sentence(rng)} {w.link(rng, t)}</p>")
        else:
            rows.append(f'<div class="muted" style="margin:0">{sentence(rng, 3, 10)}</div>')
    buttons = "".join(w.button(rng, t) for _ in range(rng.randint(1, 3)))
    justify = rng.choice(["flex-start", "flex-end", "center"])
    rows.append(
        f'<div style="display:flex;gap:{t.p(8)}px;justify-content:{justify}">{buttons}</div>'
    )
    return (
        f'<div class="surface" style="display:flex;flex-direction:column;gap:{t.p(10)}px;'
        f'padding:{t.p(16)}px">{"".join(rows)}</div>'
    )


def table(rng: random.Random, t: Theme) -> str:
    cols = rng.randint(2, 6)
    head = "".join(f"<th>{words(rng, 1, 2)}</th>" for _ in range(cols))
    kinds: list[Maker] = [
        lambda r, th: words(r, 1, 3),
        lambda r, th: str(r.randint(0, 99999)),
        w.link,
        w.checkbox,
        w.icon_button,
        w.button,
        lambda r, th: w.icon(r, th, 16),
    ]
    col_kinds = [rng.choices(kinds, weights=[6, 3, 2, 1, 1, 1, 1])[0] for _ in range(cols)]
    body = "".join(
        "<tr>" + "".join(f"<td>{k(rng, t)}</td>" for k in col_kinds) + "</tr>"
        for _ in range(rng.randint(2, 12))
    )
    return f'<table class="surface"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def sidebar(rng: random.Random, t: Theme) -> str:
    kind = rng.choice(["links", "menu", "icons"])
    items = []
    for _ in range(rng.randint(3, 12)):
        if kind == "links":
            items.append(f"<div style='padding:{t.p(4)}px 0'>{w.link(rng, t)}</div>")
        elif kind == "menu":
            ic = w.icon(rng, t, 16) if rng.random() < 0.5 else ""
            items.append(
                f'<div data-k="menu_item" class="mi" style="display:flex;gap:8px;'
                f'align-items:center">{ic}<span>{words(rng, 1, 2)}</span></div>'
            )
        else:
            items.append(w.icon_button(rng, t, rng.choice([20, 24, 28])))
    width = 56 if kind == "icons" else rng.randint(140, 240)
    return (
        f'<div class="surface" style="width:{width}px;flex:none;display:flex;'
        f'flex-direction:column;gap:{t.p(2)}px;padding:{t.p(8)}px;border-radius:0">'
        f"{''.join(items)}</div>"
    )


def text_block(rng: random.Random, t: Theme) -> str:
    """Headings and paragraphs with inline links, lone icons and badges (not controls)."""
    level = rng.randint(1, 4)
    parts = [f"<h{level} style='margin:4px 0'>{words(rng, 2, 5)}</h{level}>"]
    for _ in range(rng.randint(1, 4)):
        chunks = [sentence(rng) for _ in range(rng.randint(1, 3))]
        if rng.random() < 0.6:
            chunks.insert(rng.randrange(len(chunks) + 1), w.link(rng, t))
        if rng.random() < 0.3:
            chunks.insert(0, w.icon(rng, t, rng.choice([16, 24, 32, 48])))
        parts.append(f"<p style='margin:6px 0'>{' '.join(chunks)}</p>")
    if rng.random() < 0.3:
        parts.append(
            f'<span style="background:{t.accent};color:{t.accent_fg};border-radius:9px;'
            f'padding:1px 8px;font-size:11px">{words(rng, 1, 1)}</span>'
        )
    return f"<div style='max-width:{rng.randint(300, 800)}px'>{''.join(parts)}</div>"


def feed_post(rng: random.Random, t: Theme) -> str:
    """Posts of a feed or a mail thread: avatar, name (a link or not), text with links, and a
    row of borderless glyph buttons under each."""
    posts = []
    for _ in range(rng.randint(1, 3)):
        avatar = (
            f'<div style="width:{rng.choice([24, 32, 40, 48])}px;aspect-ratio:1;flex:none;'
            f'align-self:flex-start;border-radius:50%;background:{t.border}"></div>'
        )
        name = w.link(rng, t, hi=2) if rng.random() < 0.4 else f"<b>{words(rng, 1, 2)}</b>"
        handle = f"<span class='muted'>@{words(rng, 1, 1).lower()}</span>"
        text = w.link_paragraph(rng, t) if rng.random() < 0.4 else f"<p>{sentence(rng)}</p>"
        body = (
            f'<div style="display:flex;flex-direction:column;gap:4px">'
            f"<div>{name} {handle}</div>{text}{w.action_row(rng, t)}</div>"
        )
        posts.append(
            f'<div style="display:flex;gap:10px;padding:{t.p(10)}px 0;'
            f'border-bottom:1px solid {t.border}">{avatar}{body}</div>'
        )
    return f"<div style='max-width:{rng.randint(320, 640)}px'>{''.join(posts)}</div>"


def content(rng: random.Random, t: Theme) -> str:
    """The main area: a mix of forms, tables, tab bars, text, link lists, option lists and
    feeds."""
    blocks: list[str] = []
    if rng.random() < 0.35:
        blocks.append(w.tabs(rng, t))
    makers: list[Maker] = [
        form,
        table,
        text_block,
        w.toolbar,
        w.link_paragraph,
        w.link_list,
        w.choice_list,
        feed_post,
        w.list_rows,
        w.tree,
        w.editor_area,
    ]
    for _ in range(rng.randint(2, 5)):
        blocks.append(rng.choices(makers, weights=[5, 3, 3, 1, 2, 2, 2, 2, 2, 1, 1])[0](rng, t))
    wrap = "wrap" if rng.random() < 0.6 else "nowrap"
    direction = "row" if rng.random() < 0.5 else "column"
    return (
        f'<div style="flex:1;display:flex;flex-direction:{direction};flex-wrap:{wrap};'
        f'align-items:flex-start;gap:{t.p(16)}px;padding:{t.p(14)}px;overflow:hidden">'
        f"{''.join(blocks)}</div>"
    )


def header(rng: random.Random, t: Theme) -> str:
    """A web page header: a name, navigation links or tabs, a search field and buttons."""
    parts = [f"<b style='font-size:1.3em'>{words(rng, 1, 2)}</b>"]
    nav = "".join(w.link(rng, t) for _ in range(rng.randint(2, 6)))
    parts.append(f'<nav style="display:flex;gap:{t.p(14)}px">{nav}</nav>')
    if rng.random() < 0.6:
        parts.append(w.text_field(rng, t, rng.randint(140, 300)))
    parts.append("".join(w.button(rng, t) for _ in range(rng.randint(0, 2))))
    if rng.random() < 0.5:
        parts.append(w.icon_button(rng, t))
    return (
        f'<div class="surface" style="display:flex;align-items:center;gap:{t.p(18)}px;'
        f'padding:{t.p(10)}px {t.p(18)}px;border-radius:0">{"".join(parts)}</div>'
    )


def dialog(rng: random.Random, t: Theme) -> str:
    """A modal over the page: title bar with a close icon, a small form, buttons."""
    title = (
        f'<div style="display:flex;justify-content:space-between;align-items:center;'
        f'padding:{t.p(8)}px {t.p(12)}px;border-bottom:1px solid {t.border}">'
        f"<b>{words(rng, 1, 3)}</b>{w.icon_button(rng, t, 14)}</div>"
    )
    body = form(rng, t) if rng.random() < 0.7 else f"<p style='padding:12px'>{sentence(rng)}</p>"
    x, y = rng.randint(5, 45), rng.randint(5, 35)
    dim = "background:rgba(0,0,0,.35);" if rng.random() < 0.5 else ""
    return (
        f'<div style="position:fixed;inset:0;{dim}">'
        f'<div class="surface" style="position:absolute;left:{x}%;top:{y}%;'
        f'box-shadow:0 8px 30px rgba(0,0,0,.45);max-width:60%">{title}{body}</div></div>'
    )


def page(rng: random.Random) -> tuple[str, Theme]:
    """A complete HTML document for one screen, and its theme."""
    t = random_theme(rng)
    top: list[str] = []
    if rng.random() < 0.5:  # an application window
        if rng.random() < 0.7:
            top.append(w.menu_bar(rng, t))
        if rng.random() < 0.7:
            top.append(w.toolbar(rng, t))
    else:
        top.append(header(rng, t))
    middle = [content(rng, t)]
    if rng.random() < 0.45:
        middle.insert(0, sidebar(rng, t))
    if rng.random() < 0.15:
        middle.append(sidebar(rng, t))
    overlays = []
    if rng.random() < 0.2:
        overlays.append(dialog(rng, t))
    if rng.random() < 0.2:
        x, y = rng.randint(0, 70), rng.randint(3, 50)
        overlays.append(
            f'<div style="position:fixed;left:{x}%;top:{y}%">{w.popup_menu(rng, t)}</div>'
        )
    status = ""
    if rng.random() < 0.3:
        status = (
            f'<div class="surface muted" style="padding:3px 10px;border-radius:0">'
            f"{sentence(rng, 2, 6)}</div>"
        )
    zoom = rng.choice([1.0, 1.0, 1.0, 0.8, 0.9, 1.1, 1.25])
    body = (
        f'<div style="display:flex;flex-direction:column;height:100%;zoom:{zoom}">'
        f'{"".join(top)}<div style="flex:1;display:flex;min-height:0">{"".join(middle)}</div>'
        f"{status}</div>{''.join(overlays)}"
    )
    html = f"<!doctype html><html><head><style>{t.css()}</style></head><body>{body}</body></html>"
    return html, t


def small_page(rng: random.Random) -> tuple[str, Theme]:
    """A small plain web page (a task page, a widget, a phone-width site): an instruction line
    and a few blocks stacked from the top left, meant to be shot at a high device scale."""
    t = random_theme(rng)
    blocks: list[str] = []
    if rng.random() < 0.7:
        blocks.append(f"<div class='muted'>{sentence(rng, 4, 14)}</div>")
    makers: list[Maker] = [
        w.choice_list,
        w.link_paragraph,
        w.link_list,
        feed_post,
        form,
        w.tabs,
        lambda r, th: "".join(w.button(r, th) + " " for _ in range(r.randint(1, 4))),
        lambda r, th: _labelled(r, th, w.text_field(r, th, r.randint(100, 220))),
        lambda r, th: _labelled(r, th, w.dropdown(r, th, r.randint(90, 200))),
        w.action_row,
        w.list_rows,
        w.tree,
    ]
    weights = [4, 3, 3, 2, 2, 1, 2, 2, 1, 2, 2, 1]
    for _ in range(rng.randint(1, 4)):
        blocks.append(rng.choices(makers, weights=weights)[0](rng, t))
    if rng.random() < 0.5:
        blocks.append(w.button(rng, t))
    pad = rng.choice([2, 4, 8, 12])
    body = (
        f'<div style="display:flex;flex-direction:column;align-items:flex-start;'
        f'gap:{t.p(8)}px;padding:{pad}px">{"".join(blocks)}</div>'
    )
    html = f"<!doctype html><html><head><style>{t.css()}</style></head><body>{body}</body></html>"
    return html, t
