"""The icons installed here as shapes to match against: symbolic PNGs of every icon theme, the
named glyphs of the icon fonts and LibreOffice's toolbar icons (named by its own command labels,
see ``office``), built once and cached until an icon file changes."""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import threading
import time
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from guiagent.perception.icons.names import human_name, symbol_name, ui_symbols
from guiagent.perception.icons.shapes import (
    BLUR,
    GRID,
    Shape,
    descriptor,
    glyph,
    ink_map,
    text_like,
)

if TYPE_CHECKING:
    from PIL.Image import Image
    from PIL.ImageFont import FreeTypeFont

log = logging.getLogger(__name__)

MIN_SCORE = 0.88  # cosine likeness below this names nothing
_VERSION = 32  # bump when descriptors or names change: old caches are rebuilt
_ASPECT_TOLERANCE = float(np.log(1.5))  # a glyph may be this much wider or taller than its icon
_DENSITY_TOLERANCE = 0.3  # and hold this much more or less ink (stroke weights differ)
_THEME_SIZES = ("16x16", "24x24", "48x48")
_COLOUR_SIZES = ("16x16", "22x22", "24x24", "32x32")  # toolbars draw full-colour icons so
_FONT_SIZES = (16, 20, 24, 32)  # icon fonts are drawn at these; glyphs hint differently at each
_ICON_DIRS = (Path("/usr/share/icons"), Path("/usr/local/share/icons"))


@dataclass(frozen=True)
class IconMatch:
    name: str  # what a person calls it, alternatives in brackets
    key: str  # the icon's own name, e.g. "edit-delete-symbolic" or "fa:trash"
    score: float  # cosine likeness of the shapes, 0..1


@dataclass(frozen=True)
class IconLibrary:
    keys: list[str]
    names: list[str]
    vectors: np.ndarray  # (n, GRID * GRID) unit rows
    forms: np.ndarray  # (n, 2): log aspect ratio and ink density of each

    def __len__(self) -> int:
        return len(self.keys)

    def match(self, shape: Shape, top: int = 3, min_score: float = MIN_SCORE) -> list[IconMatch]:
        """The best-matching icons of different names, best first, none below ``min_score``."""
        return self.match_many([shape], top, min_score)[0]

    def match_many(
        self, shapes: Sequence[Shape], top: int = 3, min_score: float = MIN_SCORE
    ) -> list[list[IconMatch]]:
        """``match`` for each shape, in one product (one BLAS call per frame). Icons of other
        proportions are ruled out: a word blurred to GRID looks like a minus sign, but it is
        not as flat and not as solid."""
        if not shapes or not self.keys:
            return [[] for _ in shapes]
        scores = np.stack([s.vector for s in shapes]) @ self.vectors.T
        aspect = np.array([[s.aspect] for s in shapes], np.float32)
        density = np.array([[s.density] for s in shapes], np.float32)
        unlike = (np.abs(aspect - self.forms[:, 0]) > _ASPECT_TOLERANCE) | (
            np.abs(density - self.forms[:, 1]) > _DENSITY_TOLERANCE
        )
        scores[unlike] = -1.0
        return [self._best(row, top, min_score) for row in scores]

    def _best(self, scores: np.ndarray, top: int, min_score: float) -> list[IconMatch]:
        n = min(len(scores), top * 8)
        idx = np.argpartition(-scores, n - 1)[:n]
        out: list[IconMatch] = []
        seen: set[str] = set()
        for i in idx[np.argsort(-scores[idx])]:
            score = float(scores[i])
            if score < min_score or len(out) >= top:
                break
            if self.names[i] not in seen:
                seen.add(self.names[i])
                out.append(IconMatch(self.names[i], self.keys[i], round(score, 4)))
        return out


@dataclass(frozen=True)
class _Source:
    key: str
    path: Path
    glyph: str = ""  # a character of an icon font; empty for an image file
    member: str = ""  # a file inside the zip ``path`` (LibreOffice's icon theme)
    name: str = ""  # what a person calls it, when the key does not say (LibreOffice labels)
    colour: bool = False  # a full-colour icon: matched as drawn on a toolbar, not by outline


def _office_icons(use: bool) -> Iterator[_Source]:
    """LibreOffice's toolbar icons, when it is installed."""
    from guiagent.perception.icons import office

    found = office.installation() if use else None
    if found is None:
        return
    theme, registry = found
    try:
        labels = office.command_labels(registry)
        listed = list(office.icons(theme, labels))
    except (OSError, zipfile.BadZipFile) as exc:  # a damaged install names no icons, no more
        log.warning("LibreOffice icons left out: %s unreadable (%s)", theme, exc)
        return
    for member, command in listed:
        yield _Source(f"lo:{command}", theme, member=member, name=office.icon_name(labels[command]))


def _theme_files(roots: Iterable[Path]) -> Iterator[_Source]:
    """PNG icons of every installed theme, at the sizes toolbars use (cursors left out)."""
    for root in roots:
        if not root.is_dir():
            continue
        for theme in sorted(root.iterdir()):
            for size in sorted(set(_THEME_SIZES) | set(_COLOUR_SIZES)):
                base = theme / size
                if base.is_dir():
                    for path in sorted(base.glob("*/*.png")):
                        key = path.name.removesuffix(".png")
                        if _usable(path.name) and size in _THEME_SIZES:
                            yield _Source(key, path)
                        elif _full_colour(path) and size in _COLOUR_SIZES:
                            yield _Source(key, path, colour=True)


def _full_colour(path: Path) -> bool:
    """The full-colour toolbar icons older GTK and Xfce applications still draw (Adwaita's
    ``legacy`` folder): matched by how they look on a light toolbar."""
    return path.parent.name == "legacy" and "-rtl." not in path.name


def _usable(file: str) -> bool:
    """One-colour (symbolic) icons only: full-colour ones come through here as bare
    silhouettes, which look like any filled blob; mirrored right-to-left ones would name an
    Undo arrow Redo."""
    return "symbolic" in file and "-rtl." not in file


#: the class prefixes of the installed fonts' stylesheets (Font Awesome 4, Material, Lucide)
_CSS_PREFIXES = r"fa-|material-icons\.|icon-"


def css_glyphs(css: Path, prefix: str) -> Iterator[tuple[str, str]]:
    """(name, character) for each ``.PREFIXname:before { content: "\\XXXX" }`` rule of an
    icon font's stylesheet, the first rule of each name (``::before`` and the ``--fa:
    "\\XXXX"`` form of Font Awesome 6 and later are read too). ``prefix``: a regular
    expression for the class prefix with its separator, e.g. ``fa-``."""
    rule = re.compile(
        r"\.(?:" + prefix + r")([\w-]+)(?:::?before)?\s*\{\s*(?:content|--fa)\s*:\s*"
        r"\"\\([0-9a-fA-F]+)\""
    )
    seen: set[str] = set()
    for name, code in rule.findall(css.read_text(encoding="utf-8", errors="replace")):
        if name not in seen:
            seen.add(name)
            yield name, chr(int(code, 16))


def _grounding_models_dir() -> str:
    import guiagent.grounding_models as shipped

    return os.path.dirname(shipped.__file__ or "")


#: icon fonts shipped with the project (see grounding_models/icon_fonts/README.md)
_SHIPPED = Path(_grounding_models_dir()) / "icon_fonts"
_FONTS = (  # (font file, stylesheet naming its glyphs, key prefix)
    (
        Path("/usr/share/fonts/truetype/font-awesome/fontawesome-webfont.ttf"),
        Path("/usr/share/fonts-font-awesome/css/font-awesome.css"),
        "fa",
    ),
    (
        Path("/usr/share/fonts/truetype/material-design-icons-iconfont/MaterialIcons-Regular.ttf"),
        Path("/usr/share/fonts-material-design-icons-iconfont/css/material-design-icons.css"),
        "material",
    ),
    # the stroked line icons much of the web draws (Lucide, a fork of Feather)
    (_SHIPPED / "lucide" / "lucide.ttf", _SHIPPED / "lucide" / "lucide.css", "lucide"),
)


def _font_glyphs(fonts: Sequence[tuple[Path, Path, str]]) -> Iterator[_Source]:
    """Named glyphs of the installed icon fonts (names from their stylesheets)."""
    for font, css, prefix in fonts:
        if not (font.is_file() and css.is_file()):
            continue
        for name, char in css_glyphs(css, _CSS_PREFIXES):
            said = human_name(_plain_key(name)) if prefix == "lucide" else ""
            yield _Source(f"{prefix}:{name}", font, char, name=said)


#: faces the symbols pages draw as icons come from, in the order fontconfig falls back here
_SYMBOL_FONTS = tuple(
    Path("/usr/share/fonts/truetype") / face
    for face in (
        "dejavu/DejaVuSans.ttf",
        "noto/NotoSansSymbols-Regular.ttf",
        "noto/NotoSansSymbols2-Regular.ttf",
        "noto/NotoSansMath-Regular.ttf",
        "noto/NotoSans-Regular.ttf",
    )
)


def _symbol_glyphs(fonts: Sequence[Path] | None = None) -> Iterator[_Source]:
    """The symbols pages draw as icons ("↶" for undo, "⊞" for a table), from the first
    installed face that has them, named for what they stand for (letters and ASCII marks
    are text OCR reads)."""
    installed = [f for f in (_SYMBOL_FONTS if fonts is None else fonts) if f.is_file()]
    for text, key in ui_symbols().items():
        if text.isascii() or any(ch.isalnum() for ch in text):
            continue
        face = next((f for f in installed if _has_glyphs(f, text)), None)
        if face is not None:
            yield _Source(f"sym:{key}", face, text, name=symbol_name(text))


def _has_glyphs(face: Path, text: str) -> bool:
    """Whether ``face`` draws every character of ``text`` (not its missing-glyph box)."""
    font = _font(str(face), 24)
    missing = font.getmask("\U000f0000")  # a private-use character no face draws
    for ch in text:
        mask = font.getmask(ch)
        if mask.size == missing.size and bytes(mask) == bytes(missing):
            return False
    return True


_FRAMES = frozenset({"circle", "square"})


def _plain_key(name: str) -> str:
    """Lucide's name without what a person leaves unsaid: the frame around the symbol and the
    number of a redrawn version ("circle-x" -> "x", "trash-2" -> "trash")."""
    words = [w for w in name.split("-") if not w.isdigit()]
    kept = [w for w in words if w not in _FRAMES]
    return "-".join(kept or words)


def _render(source: _Source) -> Iterator[np.ndarray]:
    """Ink maps of one icon: the PNG's alpha (symbolic icons are one colour), or the font
    glyph drawn at the usual sizes."""
    from PIL import Image, ImageDraw

    if source.member:
        from guiagent.perception.icons import office

        ink = office.render(source.path, source.member)
        if ink is not None:
            yield ink
        return
    if source.colour:
        with Image.open(source.path) as img:
            drawn = _on_toolbar(img.convert("RGBA"))
        if drawn is not None:
            yield drawn
        return
    if not source.glyph:
        with Image.open(source.path) as img:
            alpha = np.asarray(img.convert("RGBA"))[:, :, 3]
        yield alpha.astype(np.float32) / 255.0
        return
    for size in _FONT_SIZES:
        font = _font(str(source.path), size)
        canvas = Image.new("L", (size * 2, size * 2))
        ImageDraw.Draw(canvas).text((size // 2, size // 2), source.glyph, font=font, fill=255)
        yield np.asarray(canvas, np.float32) / 255.0


_TOOLBAR = (246, 245, 244)  # Adwaita's light toolbar


def _on_toolbar(icon: Image) -> np.ndarray | None:
    """The ink of a full-colour icon as a screenshot shows it: drawn on a light toolbar, each
    pixel as far as it stands out from it (the same measure screen crops get)."""
    from PIL import Image as Images

    pad = 4
    page = Images.new("RGBA", (icon.width + 2 * pad, icon.height + 2 * pad), (*_TOOLBAR, 255))
    page.alpha_composite(icon, (pad, pad))
    rgb = np.asarray(page.convert("RGB"))
    ink = ink_map(rgb)
    found = None if ink is None else glyph(rgb, ink)
    return None if found is None else found[0]


@functools.lru_cache(maxsize=8)
def _font(path: str, size: int) -> FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(path, size)


def _sources(
    roots: Iterable[Path] = _ICON_DIRS,
    fonts: Sequence[tuple[Path, Path, str]] = _FONTS,
    office: bool = True,
    symbols: Sequence[Path] | None = None,
) -> list[_Source]:
    return [
        *_theme_files(roots),
        *_font_glyphs(fonts),
        *_symbol_glyphs(symbols),
        *_office_icons(office),
    ]


def build_library(sources: Iterable[_Source]) -> IconLibrary:
    """Descriptors for every icon, several per icon where it comes at several sizes."""
    keys: list[str] = []
    names: list[str] = []
    rows: list[Shape] = []
    for source in sources:
        name = source.name or human_name(source.key.split(":")[-1])
        if not name:
            continue
        try:
            maps = list(_render(source))
        except (OSError, ValueError) as exc:
            log.debug("icon %s unreadable: %s", source.path, exc)
            continue
        for ink in maps:
            shape = None if text_like(ink) else descriptor(ink)
            if shape is not None:
                keys.append(source.key)
                names.append(name)
                rows.append(shape)
    vectors = np.stack([r.vector for r in rows]) if rows else np.zeros((0, GRID * GRID))
    forms = np.array([[r.aspect, r.density] for r in rows], np.float32).reshape(-1, 2)
    return IconLibrary(keys, names, vectors.astype(np.float32), forms)


def _signature(sources: list[_Source]) -> str:
    """Changes when an icon or font is installed, removed or updated, or the method changes."""
    digest = hashlib.sha1(f"v{_VERSION} g{GRID} b{BLUR}".encode())
    for path in sorted({s.path for s in sources}):
        st = path.stat()
        digest.update(f"{path}:{st.st_size}:{st.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "guiagent"


def load_library(
    roots: Iterable[Path] = _ICON_DIRS,
    fonts: Sequence[tuple[Path, Path, str]] = _FONTS,
    cache: Path | None = None,
    office: bool = True,
    symbols: Sequence[Path] | None = None,
) -> IconLibrary | None:
    """The library of the installed icons, from the cache when nothing changed; None (and
    one log line) when no icon theme or font is installed. ``symbols``: the text faces to
    draw symbols from (None: the usual ones, ``()``: none)."""
    sources = _sources(roots, fonts, office, symbols)
    if not sources:
        log.warning("no icon themes or icon fonts installed: icons will not be named")
        return None
    file = (cache or cache_dir()) / f"icons-{_signature(sources)}.npz"
    if file.is_file():
        try:
            with np.load(file) as data:
                meta = json.loads(str(data["meta"]))
                vectors = data["vectors"].astype(np.float32)
                return IconLibrary(meta["keys"], meta["names"], vectors, data["forms"])
        except (OSError, ValueError, KeyError) as exc:
            log.info("icon cache %s unreadable (%s): rebuilding", file, exc)
    t0 = time.perf_counter()
    lib = build_library(sources)
    log.info("icon library: %d shapes in %.1f s", len(lib), time.perf_counter() - t0)
    _save(file, lib)
    # as the cache keeps them (float16), so the run that builds it matches as later runs do
    rounded = lib.vectors.astype(np.float16).astype(np.float32)
    return IconLibrary(lib.keys, lib.names, rounded, lib.forms)


def _save(file: Path, lib: IconLibrary) -> None:
    try:
        file.parent.mkdir(parents=True, exist_ok=True)
        meta = json.dumps({"keys": lib.keys, "names": lib.names})
        tmp = file.with_suffix(".tmp.npz")
        vectors = lib.vectors.astype(np.float16)
        np.savez_compressed(tmp, vectors=vectors, forms=lib.forms, meta=np.array(meta))
        tmp.replace(file)
    except OSError as exc:
        log.info("icon cache not written to %s: %s", file, exc)


_LIBRARY: list[IconLibrary | None] = []
_LOCK = threading.Lock()


def library() -> IconLibrary | None:
    """The process-wide library, loaded on first use."""
    with _LOCK:
        if not _LIBRARY:
            _LIBRARY.append(load_library(_ICON_DIRS, _FONTS))
        return _LIBRARY[0]
