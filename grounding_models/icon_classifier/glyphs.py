"""The icon sets the classifier learns from, their glyphs and the concept each one shows.

Each *family* is one design (one set's drawings, in every weight it comes in), so that a
family can be held out whole to measure how well a concept is recognised in a style never
seen. A glyph's concept is its name without the words that say how it is drawn ("-line",
"-fill", "-outline", a weight, a redrawn version's number), as the namer says it
(``human_name``); concepts that mean the same ("delete" and "trash") are merged where each
lists the other as an everyday word for it.

    npm install --prefix FONTS @tabler/icons-webfont@3.49.0 bootstrap-icons@1.13.2 \
        remixicon@4.9.1 @mdi/font@7.4.47 @phosphor-icons/web@2.1.2 \
        @fortawesome/fontawesome-free@7.1.0
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from guiagent.perception.icons import catalogue
from guiagent.perception.icons.classifier import NOT_AN_ICON
from guiagent.perception.icons.names import human_name

#: the npm packages holding the fonts below (their stylesheets name each glyph)
FONT_PACKAGES = (
    "@tabler/icons-webfont@3.49.0",
    "bootstrap-icons@1.13.2",
    "remixicon@4.9.1",
    "@mdi/font@7.4.47",
    "@phosphor-icons/web@2.1.2",
    "@fortawesome/fontawesome-free@7.1.0",
)

_TABLER = "@tabler/icons-webfont/dist"
_PHOSPHOR = "@phosphor-icons/web/src"
_FA = "@fortawesome/fontawesome-free"
#: family -> (font, stylesheet, class prefix with its separator) under FONTS/node_modules
_NPM_FONTS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "tabler": tuple(
        (f"{_TABLER}/fonts/tabler-icons{w}.ttf", f"{_TABLER}/tabler-icons{w}.min.css", "ti-")
        for w in ("", "-200", "-300", "-filled")
    ),
    "bootstrap": (
        (
            "bootstrap-icons/font/fonts/bootstrap-icons.woff2",
            "bootstrap-icons/font/bootstrap-icons.css",
            "bi-",
        ),
    ),
    "remix": (("remixicon/fonts/remixicon.ttf", "remixicon/fonts/remixicon.css", "ri-"),),
    "mdi": (
        (
            "@mdi/font/fonts/materialdesignicons-webfont.ttf",
            "@mdi/font/css/materialdesignicons.css",
            "mdi-",
        ),
    ),
    "phosphor": tuple(
        (f"{_PHOSPHOR}/{w}/Phosphor{s}.ttf", f"{_PHOSPHOR}/{w}/style.css", r"ph(?:-\w+)?\.ph-")
        for w, s in (
            ("regular", ""),
            ("bold", "-Bold"),
            ("light", "-Light"),
            ("thin", "-Thin"),
            ("fill", "-Fill"),
        )
    ),
    "fontawesome": tuple(
        (f"{_FA}/webfonts/fa-{w}.woff2", f"{_FA}/css/all.css", "fa-")
        for w in ("solid-900", "regular-400")
    ),
}

# Words in a glyph's name that say how it is drawn, not what it shows.
_STYLE_WORDS = frozenset(
    {
        "line",
        "fill",
        "filled",
        "outline",
        "outlined",
        "bold",
        "thin",
        "light",
        "duotone",
        "regular",
        "solid",
        "alt",
        "o",
        "sharp",
        "rounded",
        "round",
        "twotone",
        "symbolic",
        "variant",
        "simple",
        "s",
    }
)
_FRAMES = frozenset({"circle", "square", "box", "rounded"})


@dataclass(frozen=True)
class Glyph:
    family: str
    key: str  # the glyph's own name in its set, e.g. "delete-bin-line"
    font: Path
    char: str
    concept: str = ""  # what it shows, e.g. "delete"


def npm_glyphs(fonts: Path) -> Iterator[Glyph]:
    """Glyphs of the npm icon fonts installed under ``fonts`` (see FONT_PACKAGES); a glyph a
    font does not draw (Font Awesome's regular weight has a few hundred) is left out."""
    root = fonts / "node_modules"
    for family, files in _NPM_FONTS.items():
        for font, css, prefix in files:
            font_path, css_path = root / font, root / css
            if not (font_path.is_file() and css_path.is_file()):
                raise FileNotFoundError(f"{font_path} or {css_path} missing: run the npm install")
            for name, char in catalogue.css_glyphs(css_path, prefix):
                if family != "fontawesome" or catalogue._has_glyphs(font_path, char):
                    yield Glyph(family, name, font_path, char)


def installed_glyphs() -> Iterator[Glyph]:
    """The icon fonts the namer already uses (Font Awesome 4, Material Icons, Lucide)."""
    for font, css, prefix in catalogue._FONTS:
        if not (font.is_file() and css.is_file()):
            continue
        for source in catalogue._font_glyphs([(font, css, prefix)]):
            yield Glyph(prefix, source.key.split(":", 1)[1], font, source.glyph)


_TEXT_FACES = tuple(
    Path("/usr/share/fonts/truetype") / face
    for face in (
        "dejavu/DejaVuSans.ttf",
        "dejavu/DejaVuSans-Bold.ttf",
        "dejavu/DejaVuSerif.ttf",
        "liberation2/LiberationSans-Regular.ttf",
        "liberation2/LiberationSerif-Bold.ttf",
    )
)
# Letters that are icons too (close, info, a circle) stay out.
_LETTERS = "ABCDEFGHJKLMNPQRSTUVWYZabcdefghjkmnpqrstuvwyz23456789&%@?"


def text_glyphs(pairs: int = 150, seed: int = 0) -> Iterator[Glyph]:
    """Letters, digits and two-letter initials (an avatar's "JD") in common text faces, as
    drawings that are no icon."""
    import random

    rng = random.Random(seed)
    faces = [f for f in _TEXT_FACES if f.is_file()]
    for face in faces:
        for ch in _LETTERS:
            yield Glyph("text", ch, face, ch, NOT_AN_ICON)
        for _ in range(pairs // max(1, len(faces))):
            two = rng.choice(_LETTERS[:23]) + rng.choice(_LETTERS[:23])
            yield Glyph("text", two, face, two, NOT_AN_ICON)


def plain_words(key: str) -> list[str]:
    """A glyph name's words less the drawing style, numbers and frames around the symbol
    ("delete-bin-2-line" -> delete bin; "circle-x" -> x; "circle" stays circle)."""
    words = [w for w in re.split(r"[-_\s.]+", key.lower()) if w]
    words = [w for w in words if not w.isdigit() and w not in _STYLE_WORDS]
    unframed = [w for w in words if w not in _FRAMES]
    return unframed or words


def concept_of(key: str) -> str:
    """The name a person gives the glyph's symbol, e.g. "trash-can-outline" -> "trash can"."""
    words = plain_words(key)
    return human_name("-".join(words)).split(" (")[0] if words else ""


def with_concepts(glyphs: list[Glyph], min_families: int = 2) -> list[Glyph]:
    """Glyphs labelled with merged concepts, keeping the concepts drawn by at least
    ``min_families`` families (one family's drawing teaches its style, not the concept)."""
    heads = {g: concept_of(g.key) for g in glyphs}
    merged = _merge_synonyms(set(heads.values()) - {""})
    families: dict[str, set[str]] = defaultdict(set)
    for g, head in heads.items():
        if head:
            families[merged[head]].add(g.family)
    keep = {c for c, fams in families.items() if len(fams) >= min_families}
    out = []
    for g, head in heads.items():
        if head and merged[head] in keep:
            out.append(Glyph(g.family, g.key, g.font, g.char, merged[head]))
    return out


def _merge_synonyms(heads: set[str]) -> dict[str, str]:
    """Each concept -> one name for its group: two concepts are one where each is among the
    other's everyday words ("delete" lists "trash", "trash" lists "delete") and the rest of
    their words are mostly the same."""
    alts = {h: set(_alternatives(h)) for h in heads}
    parent = {h: h for h in heads}

    def root(h: str) -> str:
        while parent[h] != h:
            parent[h] = parent[parent[h]]
            h = parent[h]
        return h

    for h in sorted(heads):
        for other in alts[h]:
            if other in heads and h in alts[other] and _alike(h, alts[h], other, alts[other]):
                a, b = root(h), root(other)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    return {h: root(h) for h in heads}


def _alike(a: str, a_alts: set[str], b: str, b_alts: set[str]) -> bool:
    """Whether two concepts that list each other share most of their everyday words too: a
    bin is a bin under either name, but "star" and "heart" both list "favourite" and must
    not become one (nor "mail" and "chat", which both list "message")."""
    one, other = a_alts | {a}, b_alts | {b}
    return len(one & other) >= 0.6 * len(one | other)


def _alternatives(head: str) -> list[str]:
    name = human_name(head.replace(" ", "-"))
    _, _, rest = name.partition(" (")
    return [p for p in rest.rstrip(")").split(", ") if p]
