"""LibreOffice's toolbar icons as named shapes: the icon theme it ships (a zip of full-colour
PNGs named after UNO commands, ``cmd/sc_sortascending.png``) and the labels its registry gives
those commands (``.uno:SortAscending`` -> "Sort Ascending", ``.uno:FormatPaintbrush`` ->
"Clone", tooltip "Clone Formatting"), so "the AutoFilter icon" can be found from pixels.

Colour icons are drawn over a toolbar-grey background and their ink is taken the way a
screenshot's is (contrast with the commonest colour), so both sides see the same shape.
"""

from __future__ import annotations

import functools
import html
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np

#: where Debian / Ubuntu / Fedora / the upstream packages install LibreOffice
_ROOTS = (Path("/usr/lib/libreoffice"), Path("/usr/lib64/libreoffice"), Path("/opt/libreoffice"))
#: the default theme first; one theme is enough (they draw the same commands alike)
_THEMES = ("images_colibre.zip", "images_elementary.zip", "images_breeze.zip")
#: small (16 px) and large (24 px) toolbar icons
_SIZES = ("sc_", "lc_")
_BACKGROUND = (246, 245, 244)  # the toolbar grey of GTK's default theme
_NODE = re.compile(r'<node oor:name="\.uno:(\w+)"[^>]*>(.*?)</node>', re.S)
_PROP = re.compile(
    r'<prop oor:name="(Label|ContextLabel|TooltipLabel)"[^>]*>\s*'
    r'<value xml:lang="en-US">([^<]*)</value>',
    re.S,
)


def installation() -> tuple[Path, list[Path]] | None:
    """The icon theme zip and the registry files of the installed LibreOffice, if any."""
    for root in _ROOTS:
        config, registry = root / "share" / "config", root / "share" / "registry"
        theme = next((config / t for t in _THEMES if (config / t).is_file()), None)
        if theme is not None and registry.is_dir():
            return theme, sorted(registry.glob("*.xcd"))
    return None


def _clean(label: str) -> str:
    """``Auto~Filter`` -> ``AutoFilter``, ``~Chart...`` -> ``Chart``."""
    text = html.unescape(label).replace("~", "").strip()
    return re.sub(r"(\.\.\.|…)$", "", text).strip()


def command_labels(registry: list[Path]) -> dict[str, list[str]]:
    """lower-case command -> its labels, the toolbar label first, then the longer ones."""
    labels: dict[str, list[str]] = {}
    for file in registry:
        text = file.read_text(encoding="utf-8", errors="replace")
        for command, body in _NODE.findall(text):
            found = {kind: _clean(value) for kind, value in _PROP.findall(body)}
            said = [found.get(k, "") for k in ("Label", "TooltipLabel", "ContextLabel")]
            said = [s for s in dict.fromkeys(said) if s and len(s) <= 40]
            if said:
                labels.setdefault(command.lower(), said)
    return labels


def icon_name(labels: list[str]) -> str:
    """The catalogue's name for a command's icon: the label, other labels in brackets."""
    main, *others = labels
    return f"{main} ({', '.join(others)})" if others else main


def icons(theme: Path, labels: dict[str, list[str]]) -> Iterator[tuple[str, str]]:
    """(zip member, command) for every toolbar icon of a labelled command."""
    with zipfile.ZipFile(theme) as archive:
        for member in archive.namelist():
            folder, _, file = member.rpartition("/")
            if folder != "cmd" or not file.endswith(".png") or file[:3] not in _SIZES:
                continue
            command = file[3:].removesuffix(".png")
            if command in labels:
                yield member, command


@functools.lru_cache(maxsize=2)
def _archive(theme: str) -> zipfile.ZipFile:
    return zipfile.ZipFile(theme)


def render(theme: Path, member: str) -> np.ndarray | None:
    """The icon's ink as a screenshot would show it on the toolbar (None when blank)."""
    import io

    from PIL import Image

    from guiagent.perception.icons.shapes import ink_map

    try:
        data = _archive(str(theme)).read(member)
    except (KeyError, zipfile.BadZipFile):  # the theme changed under a running process
        return None
    with Image.open(io.BytesIO(data)) as img:
        rgba = img.convert("RGBA")
    pad = 4  # some background around it, as the toolbar has
    canvas = Image.new("RGBA", (rgba.width + 2 * pad, rgba.height + 2 * pad), _BACKGROUND + (255,))
    canvas.alpha_composite(rgba, (pad, pad))
    return ink_map(np.asarray(canvas.convert("RGB")))
