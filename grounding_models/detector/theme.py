"""Random visual themes and text for synthetic screens: colours, borders, fonts, density.

A detector that has seen one look only learns that look; every screen draws a fresh theme so
the model has to learn what makes a control a control.
"""

from __future__ import annotations

import colorsys
import random
from dataclasses import dataclass

FONTS = (
    "DejaVu Sans",
    "DejaVu Serif",
    "DejaVu Sans Mono",
    "DejaVu Sans Condensed",
    "Liberation Sans",
    "Liberation Serif",
    "Liberation Mono",
    "Nimbus Sans",
    "Nimbus Sans Narrow",
    "Nimbus Roman",
    "URW Gothic",
    "URW Bookman",
    "C059",
    "P052",
    "Noto Sans",
    "Noto Serif",
    "Noto Sans CJK SC",
    "sans-serif",
    "serif",
    "monospace",
)

_WORD_TEXT = """
file edit view help save open close new print export import settings options tools window
search find replace next previous back forward home account profile sign in out log
register submit cancel apply ok yes no delete remove add create update refresh reload
share send reply archive move copy paste cut undo redo select all none more less show hide
details summary name email password address city country phone company title description
message comment notes date time start end from to subject priority status type category
tag label color size width height font style bold italic underline left right center top
bottom zoom fit page insert table image link chart format data review preferences general
advanced privacy network display sound power users groups accounts billing payments orders
products customers reports dashboard overview analytics calendar contacts inbox drafts
sent trash spam starred important download upload sync backup restore install uninstall
enable disable connect disconnect login continue finish skip retry confirm accept decline
agree terms remember me keep signed notify weekly daily monthly yearly quantity price
total discount coupon checkout cart wishlist filter sort group view list grid compact
large small medium high low normal custom default auto
"""
WORDS = tuple(_WORD_TEXT.split())


def words(rng: random.Random, lo: int = 1, hi: int = 3) -> str:
    """A short UI-like label, capitalised the way interfaces capitalise."""
    text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi)))
    style = rng.random()
    if style < 0.55:
        return text.capitalize()
    if style < 0.75:
        return text.title()
    if style < 0.85:
        return text.upper()
    return text


def sentence(rng: random.Random, lo: int = 5, hi: int = 16) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(lo, hi))).capitalize() + "."


def _hex(h: float, s: float, v: float) -> str:
    r, g, b = colorsys.hsv_to_rgb(h % 1.0, min(max(s, 0), 1), min(max(v, 0), 1))
    return f"#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}"


@dataclass
class Theme:
    bg: str
    surface: str
    fg: str
    muted: str
    accent: str
    accent_fg: str
    border: str
    field_bg: str
    radius: int
    border_width: int
    font: str
    font_size: int
    pad: float
    dark: bool
    flat: bool
    shadow: bool

    def css(self) -> str:
        bw = self.border_width
        shadow = "0 1px 3px rgba(0,0,0,.3)" if self.shadow else "none"
        return f"""
html,body{{margin:0;padding:0;width:100%;height:100%;overflow:hidden}}
body{{background:{self.bg};color:{self.fg};font-family:'{self.font}';font-size:{self.font_size}px}}
*{{box-sizing:border-box}}
.surface{{background:{self.surface};border:{bw}px solid {self.border};border-radius:{self.radius}px;
 box-shadow:{shadow}}}
.muted{{color:{self.muted}}}
.btn{{font:inherit;color:{self.fg};background:{self.surface};
 border:{max(bw, 1)}px solid {self.border};border-radius:{self.radius}px;
 padding:{self.p(5)}px {self.p(14)}px;cursor:pointer;
 display:inline-flex;align-items:center;gap:6px;white-space:nowrap;box-shadow:{shadow}}}
.btn.primary{{background:{self.accent};color:{self.accent_fg};border-color:{self.accent}}}
.btn.flat{{background:transparent;border-color:transparent;box-shadow:none;color:{self.accent}}}
.ibtn{{background:transparent;border:{bw}px solid transparent;border-radius:{self.radius}px;
 padding:{self.p(4)}px;display:inline-flex;align-items:center;justify-content:center;
 color:{self.fg};font:inherit}}
.ibtn.boxed{{border-color:{self.border};background:{self.surface}}}
.field{{font:inherit;color:{self.fg};background:{self.field_bg};border:{max(bw, 1)}px solid
 {self.border};border-radius:{min(self.radius, 8)}px;padding:{self.p(5)}px {self.p(8)}px}}
.field.line{{border-width:0 0 {max(bw, 1)}px 0;border-radius:0;background:transparent}}
input[type=checkbox],input[type=radio],input[type=range]{{accent-color:{self.accent}}}
.tab{{padding:{self.p(7)}px {self.p(14)}px;cursor:pointer;white-space:nowrap}}
.tab.on{{border-bottom:2px solid {self.accent};color:{self.accent}}}
.tab.box{{border:1px solid {self.border};border-bottom:none;border-radius:{self.radius}px
 {self.radius}px 0 0;background:{self.surface}}}
.tab.pill{{border-radius:999px}}
.tab.pill.on{{background:{self.accent};color:{self.accent_fg};border:none}}
.mi{{padding:{self.p(5)}px {self.p(12)}px;white-space:nowrap;cursor:default}}
.mi.hot{{background:{self.accent};color:{self.accent_fg}}}
a{{color:{self.accent}}}
.sep{{height:1px;background:{self.border};margin:4px 0}}
.vsep{{width:1px;align-self:stretch;background:{self.border};margin:0 4px}}
table{{border-collapse:collapse}}
td,th{{border-bottom:1px solid {self.border};padding:{self.p(5)}px {self.p(10)}px;text-align:left}}
"""

    def p(self, base: float) -> int:
        return max(1, round(base * self.pad))


def random_theme(rng: random.Random) -> Theme:
    """Light, dark or coloured; flat, bordered or rounded; one of the fonts on the machine."""
    mode = rng.choices(["light", "dark", "coloured"], weights=[5, 3, 2])[0]
    hue = rng.random()
    accent_h = rng.random()
    accent = _hex(accent_h, rng.uniform(0.45, 0.95), rng.uniform(0.45, 0.9))
    if mode == "light":
        v = rng.uniform(0.92, 1.0)
        bg, surface = _hex(hue, rng.uniform(0, 0.08), v), _hex(hue, rng.uniform(0, 0.05), 1.0)
        fg, muted = _hex(hue, 0.1, rng.uniform(0.0, 0.25)), _hex(hue, 0.05, 0.45)
        border, field_bg = _hex(hue, 0.05, rng.uniform(0.6, 0.85)), "#ffffff"
    elif mode == "dark":
        v = rng.uniform(0.08, 0.22)
        bg, surface = _hex(hue, rng.uniform(0, 0.2), v), _hex(hue, rng.uniform(0, 0.2), v + 0.07)
        fg, muted = _hex(hue, 0.05, rng.uniform(0.85, 1.0)), _hex(hue, 0.05, 0.65)
        border = _hex(hue, 0.1, rng.uniform(0.3, 0.5))
        field_bg = _hex(hue, 0.1, v + rng.uniform(0.0, 0.12))
    else:
        bg = _hex(hue, rng.uniform(0.2, 0.6), rng.uniform(0.5, 0.9))
        surface = _hex(hue, rng.uniform(0.05, 0.3), rng.uniform(0.85, 1.0))
        fg, muted = _hex(hue, 0.3, 0.12), _hex(hue, 0.3, 0.35)
        border = _hex(hue, 0.4, rng.uniform(0.3, 0.6))
        field_bg = _hex(hue, 0.03, 1.0)
    dark_accent = colorsys.rgb_to_hls(*[int(accent[i : i + 2], 16) / 255 for i in (1, 3, 5)])[1]
    shape = rng.choice(["flat", "bordered", "rounded", "pill"])
    radius = {"flat": 0, "bordered": rng.randint(0, 3), "rounded": rng.randint(4, 10)}.get(
        shape, 999
    )
    return Theme(
        bg=bg,
        surface=surface,
        fg=fg,
        muted=muted,
        accent=accent,
        accent_fg="#ffffff" if dark_accent < 0.6 else "#000000",
        border=border,
        field_bg=field_bg,
        radius=radius if shape != "pill" else rng.choice([12, 999]),
        border_width=0 if shape == "flat" and rng.random() < 0.6 else rng.choice([1, 1, 1, 2]),
        font=rng.choice(FONTS),
        font_size=rng.choice([11, 12, 13, 13, 14, 14, 15, 16, 17, 18, 19, 20]),
        pad=rng.uniform(0.55, 1.6),
        dark=mode == "dark",
        flat=shape == "flat",
        shadow=rng.random() < 0.3,
    )
