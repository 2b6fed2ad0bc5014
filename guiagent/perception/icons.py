"""Name icon-only controls from pixels, by matching them against the icons installed here.

Toolbars, dialogs and web pages show many controls with no text: OCR sees nothing there, so
"the Delete icon" could not be found from a screenshot alone. Desktop apps draw these icons
from the installed icon themes (GTK: Adwaita symbolic icons) and web pages mostly from icon
fonts (Font Awesome, Material Icons), so a library built from the same files on this machine
names most of them. Each icon's name comes from its file / glyph name ("edit-delete-symbolic"
-> "delete") plus a few everyday words for it ("trash", "bin").

Glyphs are compared as shapes, not colours: the ink is whatever contrasts with the box's
background (so dark-on-light, light-on-dark and recoloured symbolic icons look the same),
cropped to its bounding box, padded square and scaled to one size, so 16..48 px icons and
padded buttons compare alike. A weak match returns nothing rather than a wrong name.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import re
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import cv2
import numpy as np

from guiagent.observation import Box, Element
from guiagent.perception.roles import ROLE_WORDS, normalise_role

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

log = logging.getLogger(__name__)

GRID = 24  # glyphs are compared as GRID x GRID shapes
MIN_SCORE = 0.88  # cosine likeness below this names nothing
_VERSION = 6  # bump when descriptors or names change: old caches are rebuilt
_BLUR = 1.0
_ASPECT_TOLERANCE = float(np.log(1.5))  # a glyph may be this much wider or taller than its icon
_DENSITY_TOLERANCE = 0.3  # and hold this much more or less ink (stroke weights differ)
_THEME_SIZES = ("16x16", "24x24", "48x48")
_FONT_SIZES = (20,)
_ICON_DIRS = (Path("/usr/share/icons"), Path("/usr/local/share/icons"))

# -- names -----------------------------------------------------------------------------------

# Words that say which family an icon belongs to, not what it shows ("edit-delete" -> delete).
_GENERIC = frozenset(
    {
        "edit",
        "view",
        "format",
        "text",
        "go",
        "media",
        "object",
        "system",
        "window",
        "document",
        "insert",
        "mail",
        "pan",
        "list",
        "action",
        "emblem",
        "tools",
        "applications",
        "emote",
    }
)
# Family words that name a thing before what happens to it ("folder-new" is a new folder).
_NOUN_FIRST = frozenset(
    {"view", "document", "folder", "list", "window", "tab", "bookmark", "mail", "user", "contact"}
)
# Abbreviations in icon file / glyph names.
_EXPAND = {
    "o": "outline",
    "h": "horizontal",
    "v": "vertical",
    "horiz": "horizontal",
    "vert": "vertical",
    "alt": "",
    "symbolic": "",
    "rtl": "",
    "ltr": "",
    "border": "outline",
    "outlined": "outline",
}
# Whole phrases of the freedesktop naming spec that people say differently.
_PHRASES = {
    "playback start": "play",
    "playback pause": "pause",
    "playback stop": "stop",
    "skip forward": "next",
    "skip backward": "previous",
    "seek forward": "fast forward",
    "seek backward": "rewind",
    "non starred": "star outline",
    "open menu": "menu",
    "fullscreen": "full screen",
}
# Everyday words for the same icon; each group is one meaning, the first word its usual name.
_SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("delete", "trash", "bin", "discard"),
    ("remove", "minus"),
    ("add", "plus"),
    ("new", "create"),
    ("close", "x", "dismiss"),
    ("more", "more options", "options", "menu", "overflow", "ellipsis", "…"),
    ("search", "find", "magnifier", "magnifying glass"),
    ("star", "starred"),
    ("heart", "like", "love", "favorite", "favourite"),
    ("reply", "respond"),
    ("refresh", "reload"),
    ("settings", "preferences", "gear", "cog"),
    ("home", "house"),
    ("ordered", "numbered"),
    ("bullet", "bulleted"),
    ("list", "item", "row", "entry"),
    ("go", "move"),
    ("reveal", "show", "show password", "visibility", "eye"),
    ("conceal", "hide", "hide password"),
    ("edit", "pencil", "modify"),
    ("copy", "duplicate"),
    ("print", "printer"),
    ("user", "person", "account", "profile"),
    ("mail", "email", "envelope", "message"),
    ("attach", "attachment", "paperclip"),
    ("lock", "locked", "padlock"),
    ("help", "question"),
    ("info", "information"),
    ("warning", "alert"),
    ("full screen", "fullscreen", "maximize", "expand"),
    ("volume", "sound", "speaker", "audio"),
    ("link", "chain", "hyperlink"),
    ("filter", "funnel"),
    ("tag", "label"),
    ("folder", "directory"),
    ("document", "file"),
    ("ellipsis", "dots", "more"),
)


def _synonym_index(groups: Iterable[tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    """Each word -> the other words of every group it is in."""
    index: dict[str, tuple[str, ...]] = {}
    for group in groups:
        for word in group:
            index[word] = index.get(word, ()) + tuple(w for w in group if w != word)
    return index


_SYN = _synonym_index(_SYNONYMS)
_MAX_ALTS = 10


def _words(key: str) -> list[str]:
    """``edit-delete-symbolic`` / ``star_border`` / ``ellipsis-h`` -> its plain words."""
    key = re.sub(r"(\.symbolic)?$", "", key)
    words = [_EXPAND.get(w, w) for w in re.split(r"[-_\s.]+", key.lower()) if w]
    return [w for w in words if w]


_PHRASE_RE = re.compile(r"\b(" + "|".join(re.escape(p) for p in _PHRASES) + r")\b")


def _phrased(words: list[str]) -> str:
    return _PHRASE_RE.sub(lambda m: _PHRASES[m.group(1)], " ".join(words))


@functools.lru_cache(maxsize=4096)
def human_name(key: str) -> str:
    """What a person calls the icon ``key``: its core words, then alternatives in brackets,
    e.g. ``folder-new`` -> ``new folder (folder new, create folder, ...)``."""
    words = _words(key)
    if not words:
        return ""
    core = [w for w in words if w not in _GENERIC] or words[-1:]
    full = words[1:] if len(words) > 2 and words[0] in _GENERIC else words
    variants = [_phrased(core)]
    if len(full) == 2 and full[0] in _NOUN_FIRST:  # "document new" -> "new document"
        variants.insert(0 if len(core) == 2 else 1, _phrased(full[::-1]))
    if full != core and (full[0] not in _GENERIC or full[0] == "go"):
        variants.append(_phrased(full))  # "go up": "move up" below
    for v in list(variants):
        variants += _substituted(v)
    unique = list(dict.fromkeys(v for v in variants if v))
    alts = unique[1 : _MAX_ALTS + 1]
    return f"{unique[0]} ({', '.join(alts)})" if alts else unique[0]


def _substituted(phrase: str) -> list[str]:
    """The phrase with one of its words (or two-word parts) said another way."""
    out = []
    words = phrase.split()
    for size in (2, 1):
        for i in range(len(words) - size + 1):
            part = " ".join(words[i : i + size])
            for other in _SYN.get(part, ()):
                out.append(" ".join([*words[:i], other, *words[i + size :]]))
    return out


# -- shapes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shape:
    """A glyph as matching sees it: its look at GRID x GRID, and its proportions."""

    vector: np.ndarray  # unit vector, GRID * GRID
    aspect: float  # log(width / height) of the ink's bounding box
    density: float  # mean ink inside that box


def descriptor(ink: np.ndarray) -> Shape | None:
    """The shape of an ink map (0..1 floats): cropped to its ink, padded square, scaled to
    GRID and blurred, so size, padding and stroke rendering matter little."""
    ys, xs = np.nonzero(ink > 0.3)
    if len(xs) < 3:
        return None
    crop = ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    h, w = crop.shape
    side = max(h, w) + 2
    square = np.zeros((side, side), np.float32)
    top, left = (side - h) // 2, (side - w) // 2
    square[top : top + h, left : left + w] = crop
    interp = cv2.INTER_AREA if side > GRID else cv2.INTER_LINEAR
    small = cv2.resize(square, (GRID, GRID), interpolation=interp)
    small = cv2.GaussianBlur(small, (0, 0), _BLUR)
    vec = small.ravel() - small.mean()
    norm = float(np.linalg.norm(vec))
    if norm <= 1e-6:
        return None
    aspect = float(np.log(w / h))
    return Shape((vec / norm).astype(np.float32), aspect, float(crop.mean()))


def ink_map(rgb: np.ndarray) -> np.ndarray | None:
    """How far each pixel of a crop stands out from the crop's commonest colour (0..1); None
    when nothing does (a blank region)."""
    pixels = rgb.reshape(-1, 3).astype(np.int32)
    quant = (pixels // 16) @ np.array([256, 16, 1])
    mode = np.bincount(quant).argmax()
    background = np.median(pixels[quant == mode], axis=0)
    dist = np.abs(rgb.astype(np.float32) - background).max(axis=2)
    contrast = float(np.percentile(dist, 99.5))
    if contrast < 40:
        return None
    ink = np.clip(dist / contrast, 0.0, 1.0)
    ink[dist < 0.2 * contrast] = 0.0
    return ink


def glyph(rgb: np.ndarray) -> tuple[np.ndarray, tuple[int, int, int, int]] | None:
    """The glyph inside a crop: its ink map and bounding box (x, y, w, h) in the crop.

    Ink touching the crop's edge (a neighbour) or spanning most of it (a button's frame) is
    left out; what stays is the icon.
    """
    ink = ink_map(rgb)
    if ink is None:
        return None
    binary = (ink > 0.35).astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    keep = [i for i in range(1, count) if not _frame_like(stats[i], binary.shape)]
    if not keep:
        return None
    kept = cv2.dilate(np.isin(labels, keep).astype(np.uint8), np.ones((3, 3), np.uint8))
    ink = ink * kept.astype(np.float32)
    ys, xs = np.nonzero(ink > 0.3)
    if len(xs) < 3 or text_like(ink):
        return None
    x0, y0, x1, y1 = xs.min(), ys.min(), xs.max() + 1, ys.max() + 1
    return ink[y0:y1, x0:x1], (int(x0), int(y0), int(x1 - x0), int(y1 - y0))


def text_like(ink: np.ndarray) -> bool:
    """Ink that reads as a word: three or more unlike pieces side by side in a wide run
    ("Hello"), where a row of icon dots has like pieces. Such ink is no icon here, and icon
    font glyphs that are words ("html") are no icons in the library either."""
    binary = (ink > 0.35).astype(np.uint8)
    count, _, stats, _ = cv2.connectedComponentsWithStats(binary, connectivity=8)
    parts = stats[1:][stats[1:, 4] >= 3]
    if len(parts) < 3:
        return False
    x0, y0 = parts[:, 0].min(), parts[:, 1].min()
    x1, y1 = (parts[:, 0] + parts[:, 2]).max(), (parts[:, 1] + parts[:, 3]).max()
    if x1 - x0 < 1.8 * (y1 - y0):
        return False
    w, h = parts[:, 2], parts[:, 3]
    return bool(h.max() >= 1.3 * h.min() or w.max() >= 1.6 * w.min())


def _frame_like(stat: np.ndarray, shape: tuple[int, ...]) -> bool:
    """A component that is a frame or a neighbour, not a glyph: it touches the crop's edge,
    spans most of it, or is a long thin line along one side (a frame broken at its corners)."""
    x, y, w, h, area = (int(v) for v in stat[:5])
    rows, cols = shape[:2]
    if x == 0 or y == 0 or x + w >= cols or y + h >= rows:
        return True
    if w >= 0.8 * cols and h >= 0.8 * rows and area < 0.3 * w * h:
        return True  # hollow and as large as the crop: a ring around the glyph
    edge = 5  # px from the crop's side
    side = y + h <= edge or y >= rows - edge
    upright = x + w <= edge or x >= cols - edge
    return (w >= 0.6 * cols and h <= 2 and side) or (h >= 0.6 * rows and w <= 2 and upright)


# -- the library -----------------------------------------------------------------------------


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


def _theme_files(roots: Iterable[Path]) -> Iterator[_Source]:
    """PNG icons of every installed theme, at the sizes toolbars use (cursors left out)."""
    for root in roots:
        if not root.is_dir():
            continue
        for theme in sorted(root.iterdir()):
            for size in _THEME_SIZES:
                base = theme / size
                if base.is_dir():
                    for path in sorted(base.glob("*/*.png")):
                        if _usable(path.name):
                            yield _Source(path.name.removesuffix(".png"), path)


def _usable(file: str) -> bool:
    """One-colour (symbolic) icons only: full-colour ones come through here as bare
    silhouettes, which look like any filled blob; mirrored right-to-left ones would name an
    Undo arrow Redo."""
    return "symbolic" in file and "-rtl." not in file


_CSS_GLYPH = re.compile(r"\.(?:fa-|material-icons\.)([\w-]+):before\s*\{\s*content:\s*\"\\(\w+)\"")
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
)


def _font_glyphs(fonts: Sequence[tuple[Path, Path, str]]) -> Iterator[_Source]:
    """Named glyphs of the installed icon fonts (names from their stylesheets)."""
    for font, css, prefix in fonts:
        if not (font.is_file() and css.is_file()):
            continue
        seen: set[str] = set()
        for name, code in _CSS_GLYPH.findall(css.read_text(encoding="utf-8", errors="replace")):
            if name not in seen:
                seen.add(name)
                yield _Source(f"{prefix}:{name}", font, chr(int(code, 16)))


def _render(source: _Source) -> Iterator[np.ndarray]:
    """Ink maps of one icon: the PNG's alpha (symbolic icons are one colour), or the font
    glyph drawn at the usual sizes."""
    from PIL import Image, ImageDraw

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


@functools.lru_cache(maxsize=8)
def _font(path: str, size: int) -> FreeTypeFont:
    from PIL import ImageFont

    return ImageFont.truetype(path, size)


def _sources(
    roots: Iterable[Path] = _ICON_DIRS, fonts: Sequence[tuple[Path, Path, str]] = _FONTS
) -> list[_Source]:
    return [*_theme_files(roots), *_font_glyphs(fonts)]


def build_library(sources: Iterable[_Source]) -> IconLibrary:
    """Descriptors for every icon, several per icon where it comes at several sizes."""
    keys: list[str] = []
    names: list[str] = []
    rows: list[Shape] = []
    for source in sources:
        name = human_name(source.key.split(":")[-1])
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
    digest = hashlib.sha1(f"v{_VERSION} g{GRID} b{_BLUR}".encode())
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
) -> IconLibrary | None:
    """The library of the installed icons, from the cache when nothing changed; None (and
    one log line) when no icon theme or font is installed."""
    sources = _sources(roots, fonts)
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
    return lib


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


# -- naming boxes ----------------------------------------------------------------------------


def match_icon(
    image: np.ndarray, box: Box, lib: IconLibrary | None = None, top: int = 3
) -> list[IconMatch]:
    """Icons the glyph inside ``box`` looks like, best first; empty when it looks like none."""
    lib = lib if lib is not None else library()
    shape = box_descriptor(image, box)
    if lib is None or shape is None:
        return []
    return lib.match(shape, top=top)


def box_descriptor(image: np.ndarray, box: Box) -> Shape | None:
    """The shape of the glyph inside ``box`` (a little margin around it for background)."""
    pad = 2
    h, w = image.shape[:2]
    region = Box(
        left=box.left - pad, top=box.top - pad, right=box.right + pad, bottom=box.bottom + pad
    ).clip(w, h)
    if region.width < 6 or region.height < 6:
        return None
    found = glyph(image[region.top : region.bottom, region.left : region.right])
    if found is None:
        return None
    ink, (_, _, gw, gh) = found
    if max(gw, gh) < 6 or max(gw, gh) > 96:
        return None
    return descriptor(ink)


_ICON_SIZED = (8, 96)  # a box this small..large (both sides) may be an icon
# Roles an icon-only control has (a field's or checkbox's name is its label, not a shape).
_ICON_ROLES = ROLE_WORDS["button"] | ROLE_WORDS["icon"] | {"link", "menu_item", "tab", "unknown"}


def name_icons(
    image: np.ndarray, elements: Iterable[Element], lib: IconLibrary | None = None
) -> list[Element]:
    """``elements`` with each unnamed icon-sized control named after the icon it shows (its
    score becomes the shape likeness); the rest, and those that look like no icon, as given.
    Fields and checkboxes are never named here: their name is their label."""
    out = list(elements)
    lib = lib if lib is not None else library()
    if lib is None:
        return out
    todo: list[int] = []
    shapes: list[Shape] = []
    for i, el in enumerate(out):
        if not _nameable(el):
            continue
        shape = box_descriptor(image, el.box)
        if shape is not None:
            todo.append(i)
            shapes.append(shape)
    if not shapes:
        return out
    for i, found in zip(todo, lib.match_many(shapes), strict=True):
        if found:
            name = _merged_name(found)
            out[i] = out[i].model_copy(update={"name": name, "score": found[0].score})
    return out


def _nameable(el: Element) -> bool:
    lo, hi = _ICON_SIZED
    sized = lo <= el.box.width <= hi and lo <= el.box.height <= hi
    return sized and not el.name.strip() and normalise_role(el.role) in _ICON_ROLES


def find_icons(
    image: np.ndarray, texts: Sequence[Element], lib: IconLibrary | None = None
) -> list[Element]:
    """Named icons of a screenshot: the proposals of ``icon_candidates`` that look like a
    known icon, one element per icon (role ``icon``, source ``detector``)."""
    named = [el for el in name_icons(image, icon_candidates(image, texts), lib) if el.name]
    return _dedupe(named)


def _merged_name(found: list[IconMatch], tie: float = 0.02) -> str:
    """The best match's name, with the names of icons that fit as well added as alternatives
    (the same "+" is list-add in a theme and "add" in a font)."""
    parts: list[str] = []
    for m in found:
        if m.score < found[0].score - tie:
            break
        head, _, rest = m.name.partition(" (")
        parts += [head, *(p for p in rest.rstrip(")").split(", ") if p)]
    unique = list(dict.fromkeys(parts))
    alts = unique[1 : 2 * _MAX_ALTS + 1]
    return f"{unique[0]} ({', '.join(alts)})" if alts else unique[0]


def _dedupe(elements: list[Element]) -> list[Element]:
    """One element per icon: a box mostly inside another is a part of that icon (the plus in
    a zoom-in magnifier) or the glyph in its button's frame; the outer one stays unless the
    inner one is clearly the better match (then the outer one is two icons merged)."""
    dropped: set[int] = set()
    for i, inner in enumerate(elements):
        for j, outer in enumerate(elements):
            if i == j or i in dropped or j in dropped:
                continue
            if inner.box.intersection(outer.box) < 0.8 * inner.box.area:
                continue
            if inner.box.area == outer.box.area and i < j:
                continue  # the same box twice: the later one goes
            dropped.add(i if outer.score >= inner.score - 0.03 else j)
    kept = [el for k, el in enumerate(elements) if k not in dropped]
    return sorted(kept, key=lambda el: (el.box.top, el.box.left))


# -- proposals -------------------------------------------------------------------------------


def icon_candidates(image: np.ndarray, texts: Sequence[Element]) -> list[Element]:
    """Boxes of compact non-text blobs that may be icons (role ``icon``, unnamed): connected
    ink at two grouping distances (a glyph's strokes, then a row of dots), 8..64 px, roughly
    square, not on words OCR read (short or sparse reads excepted: often misread icons)."""
    edges = _edges(image)
    h, w = edges.shape
    words = [t.box for t in texts if _wordlike(t)]
    boxes: list[Box] = []
    for gap in (3, 7):
        grouped = cv2.dilate(edges, np.ones((gap, gap), np.uint8))
        _, _, stats, _ = cv2.connectedComponentsWithStats(grouped, connectivity=8)
        for x, y, bw, bh in stats[1:, :4][_icon_shaped(stats[1:])]:
            box = Box.xywh(int(x), int(y), int(bw), int(bh)).clip(w, h)
            if not any(_overlaps(box, word) for word in words):
                boxes.append(box)
    return [Element(role="icon", box=b, source="detector", score=0.5) for b in _unique_boxes(boxes)]


def _edges(image: np.ndarray) -> np.ndarray:
    """Pixels where the colour changes (strongest channel of a 3x3 morphological gradient)."""
    kernel = np.ones((3, 3), np.uint8)
    grad = cv2.morphologyEx(image, cv2.MORPH_GRADIENT, kernel).max(axis=2)
    return (grad >= 32).astype(np.uint8)


def _icon_shaped(stats: np.ndarray) -> np.ndarray:
    """Which components (rows of x, y, w, h, area) are 8..64 px and at most 4:1."""
    w, h = stats[:, 2], stats[:, 3]
    big, small = np.maximum(w, h), np.minimum(w, h)
    return (big >= 8) & (big <= 64) & (small >= 4) & (big <= 4 * small)


def _wordlike(text: Element) -> bool:
    """OCR text that is really words: not one or two characters and not spread thin (a row
    of icons read as "aaae" has one character per icon width)."""
    n = len(text.name.strip())
    return n > 2 and text.box.width <= 0.9 * n * text.box.height


def _overlaps(box: Box, word: Box) -> bool:
    inter = box.intersection(word)
    return inter >= 0.3 * box.area or inter >= 0.3 * word.area


def _unique_boxes(boxes: list[Box]) -> list[Box]:
    kept: list[Box] = []
    for box in boxes:
        if all(box.iou(k) < 0.8 for k in kept):
            kept.append(box)
    return kept
