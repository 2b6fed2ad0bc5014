"""Icon grounding from screenshots alone, with and without the icon namer (issue 3).

    python benchmarks/icon_grounding.py [--set benchmarks/grounding_set/data/screenspot.json]
                                        [--library all|fonts|themes] [--misses]

Each screenshot is perceived the way ``guiagent bench grounding`` does (OCR plus the empty-field
finder, no accessibility tree), once; the baseline fuses fields and OCR as the Perceiver does,
the other run adds ``find_icons`` to the fields before fusing (the wiring proposed for the
Perceiver). Both are grounded with the project's Grounder and scored as the bench scores
(point inside the box), per data type and screen source, in the same run. Also printed: the
namer alone on each icon target's own box ("oracle boxes": naming without proposals), the
milliseconds the icons add per frame, and the library's build time from an empty cache.

``--library fonts`` leaves the installed icon themes out, ``themes`` the icon fonts: the
held-out web pages draw Adwaita icons, so ``fonts`` shows how much of the score comes from
the library holding the very files the screens were drawn with.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from guiagent.config import load_config
from guiagent.evaluation.grounding_bench import Target, load_targets, score_target
from guiagent.observation import Box, Element, Screen
from guiagent.perception import icons
from guiagent.perception.fields import find_fields
from guiagent.perception.fuse import fuse
from guiagent.perception.icons import catalogue
from guiagent.perception.perceiver import Perceiver, load_image
from guiagent.perception.remote import grounder_for

DEFAULT_SET = Path(__file__).resolve().parent / "grounding_set" / "data" / "screenspot.json"


def library(kind: str) -> tuple[icons.IconLibrary | None, float]:
    """The library to name with, and its build time in seconds from an empty cache."""
    roots = () if kind == "fonts" else catalogue._ICON_DIRS
    fonts = () if kind == "themes" else catalogue._FONTS
    with tempfile.TemporaryDirectory() as cache:
        t0 = time.perf_counter()
        symbols = None if kind == "all" else ()
        lib = icons.load_library(roots, fonts, Path(cache), kind == "all", symbols)
        return lib, time.perf_counter() - t0


def screens(
    image: np.ndarray, perceiver: Perceiver, lib: icons.IconLibrary | None
) -> tuple[Screen, Screen, tuple[float, float]]:
    """The Screen without and with icons, and the milliseconds the icons took (wall, CPU)."""
    h, w = image.shape[:2]
    perceiver.ocr.reset()
    texts = perceiver.ocr.recognize(image)
    fields = find_fields(image)
    t0, c0 = time.perf_counter(), time.process_time()
    found = icons.find_icons(image, texts, lib)
    icon_ms = ((time.perf_counter() - t0) * 1000, (time.process_time() - c0) * 1000)
    base = Screen(elements=fuse(fields, texts, w, h), width=w, height=h)
    with_icons = Screen(elements=fuse([*fields, *found], texts, w, h), width=w, height=h)
    return base, with_icons, icon_ms


def oracle_hit(image: np.ndarray, target: Target, lib: icons.IconLibrary | None) -> str:
    """The namer's name for the target's own box (empty when it names nothing)."""
    x, y, bw, bh = (int(round(v)) for v in target.bbox)
    el = Element(role="icon", box=Box.xywh(x, y, bw, bh), source="detector")
    return icons.name_icons(image, [el], lib)[0].name


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", type=Path, default=DEFAULT_SET)
    ap.add_argument("--library", choices=["all", "fonts", "themes"], default="all")
    ap.add_argument("--misses", action="store_true", help="list the icon targets missed")
    args = ap.parse_args()

    lib, build_s = library(args.library)
    print(f"library ({args.library}): {len(lib) if lib else 0} shapes, built in {build_s:.2f} s")
    config = load_config().perception
    config.accessibility = False
    perceiver = Perceiver(config, fields=True)
    grounder = grounder_for(config)
    targets = load_targets(args.set)
    by_image: dict[str, list[tuple[int, Target]]] = defaultdict(list)
    for i, t in enumerate(targets):
        by_image[t.img_filename].append((i, t))

    hits: dict[str, dict[tuple[str, str], list[bool]]] = {
        "baseline": defaultdict(list),
        "icons": defaultdict(list),
    }
    oracle: list[bool] = []
    icon_ms: list[tuple[float, float]] = []
    missed: list[str] = []
    for name, items in by_image.items():
        image = load_image(args.set.parent / name)
        base, with_icons, ms = screens(image, perceiver, lib)
        icon_ms.append(ms)
        for i, t in items:
            results = {}
            for label, screen in (("baseline", base), ("icons", with_icons)):
                r = score_target(i, t, screen, grounder, config.min_ground_score)
                results[label] = r.hit
                for group in (("type", t.data_type), ("source", f"{t.platform}/{t.data_type}")):
                    hits[label][group].append(r.hit)
                got = r.predicted["name"][:50] if r.predicted else "nothing"
                if (
                    label == "icons"
                    and not r.hit
                    and (t.data_type == "icon" or results["baseline"])
                ):
                    lost = "" if t.data_type == "icon" else "LOST TEXT "
                    missed.append(f"  {lost}{name}: {t.instruction!r} -> {got!r}")
            if t.data_type == "icon":
                named = oracle_hit(image, t, lib)
                oracle.append(_names_it(named, t.instruction))
    _report(hits, oracle, icon_ms)
    if args.misses:
        print("icon targets missed, and text targets lost, with icons:", *missed, sep="\n")
    return 0


def _names_it(name: str, instruction: str) -> bool:
    """Whether a name has a word of the instruction (bar role / article words)."""
    skip = {"the", "icon", "button", "first", "of", "dialog", "a"}
    words = {w for w in instruction.lower().split() if w not in skip}
    return bool(name) and any(w in name.lower().replace(",", " ").split() for w in words)


def _report(
    hits: dict[str, dict[tuple[str, str], list[bool]]],
    oracle: list[bool],
    icon_ms: list[tuple[float, float]],
) -> None:
    groups = sorted(hits["baseline"])
    print(f"{'group':28s} {'n':>4s} {'baseline':>9s} {'icons':>9s}")
    for g in groups:
        b, n = hits["baseline"][g], hits["icons"][g]
        print(f"{'/'.join(g):28s} {len(b):4d} {_pct(b):>9s} {_pct(n):>9s}")
    print(f"namer on the icon targets' own boxes, a right word: {_pct(oracle)} (n={len(oracle)})")
    for label, values in (("wall", [w for w, _ in icon_ms]), ("CPU", [c for _, c in icon_ms])):
        med = statistics.median(values)
        p90 = sorted(values)[int(0.9 * (len(values) - 1))]
        print(f"icons per frame ({label}): median {med:.1f} ms, p90 {p90:.1f} ms (n={len(values)})")


def _pct(values: list[bool]) -> str:
    return f"{100 * sum(values) / len(values):.1f}%" if values else "-"


if __name__ == "__main__":
    raise SystemExit(main())
