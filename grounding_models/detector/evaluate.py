"""Recall and precision at IoU 0.5 of the element detector (fp32 and int8) and of the OpenCV
contour baseline on the held-out detection set (``benchmarks/detector_set``: real apps and
pages the generator never drew), with median latency per frame.

    python -m guiagent.grounding_models.detector.evaluate [--set DIR] [--fp32 F] [--int8 F]

Without ``--fp32`` / ``--int8`` the shipped model (checked against its manifest) is scored.
Matching is greedy by score, one prediction per ground-truth box, class-agnostic; a matched
box whose predicted class equals the label also counts towards per-class accuracy.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from PIL import Image

from guiagent.grounding_models.detector import box_iou
from guiagent.observation import Element
from guiagent.perception.detector import MIN_SCORE, ROLES

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SET = ROOT / "benchmarks" / "detector_set"
ROLE_TO_CLASS = {role: cls for cls, role in ROLES.items()}
Detect = Callable[[np.ndarray], list[Element]]


def load_set(folder: Path) -> list[tuple[str, np.ndarray, list[list[Any]]]]:
    items = []
    for line in (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        with Image.open(folder / item["image"]) as img:
            items.append((item["image"], np.asarray(img.convert("RGB")), item["boxes"]))
    return items


def match(
    predictions: list[Element], truth: list[list[Any]], iou: float = 0.5
) -> tuple[list[tuple[int, int]], int]:
    """Greedy matches (truth index, prediction index) by score; returns them and the number
    of predictions."""
    order = sorted(range(len(predictions)), key=lambda i: -predictions[i].score)
    taken: set[int] = set()
    pairs = []
    for p in order:
        box = predictions[p].box.as_list()
        best, best_iou = -1, iou
        for t, gt in enumerate(truth):
            if t in taken:
                continue
            v = box_iou(box, gt[:4])
            if v >= best_iou:
                best, best_iou = t, v
        if best >= 0:
            taken.add(best)
            pairs.append((best, p))
    return pairs, len(predictions)


def score(detect: Detect, items: list[tuple[str, np.ndarray, list[list[Any]]]]) -> dict[str, Any]:
    """Recall, precision, per-class recall and label accuracy, median latency."""
    tp = n_pred = n_true = 0
    per_true: dict[str, list[int]] = {}  # class -> [count, found, found with right class]
    times, full_frames = [], []
    for _, image, truth in items:
        t0 = time.perf_counter()
        predictions = detect(image)
        times.append((time.perf_counter() - t0) * 1000)
        if image.shape[:2] == (800, 1280):
            full_frames.append(times[-1])
        pairs, count = match(predictions, truth)
        tp += len(pairs)
        n_pred += count
        n_true += len(truth)
        for gt in truth:
            per_true.setdefault(gt[4], [0, 0, 0])[0] += 1
        for t, p in pairs:
            cls = truth[t][4]
            per_true[cls][1] += 1
            per_true[cls][2] += ROLE_TO_CLASS.get(predictions[p].role) == cls
    return {
        "recall": round(tp / max(n_true, 1), 4),
        "precision": round(tp / max(n_pred, 1), 4),
        "boxes": n_true,
        "predictions": n_pred,
        "median_ms": round(statistics.median(times), 1),
        "median_ms_1280x800": round(statistics.median(full_frames), 1) if full_frames else None,
        "per_class": {
            cls: {
                "boxes": c[0],
                "recall": round(c[1] / c[0], 3),
                "class_correct": round(c[2] / max(c[1], 1), 3),
            }
            for cls, c in sorted(per_true.items())
        },
    }


def main(argv: list[str] | None = None) -> int:
    from guiagent.perception.contours import detect_contours
    from guiagent.perception.detector import ElementDetector

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--set", type=Path, default=DEFAULT_SET)
    parser.add_argument("--fp32", type=Path, default=None, help="an unshipped fp32 model")
    parser.add_argument("--int8", type=Path, default=None, help="an unshipped int8 model")
    parser.add_argument("--min-score", type=float, default=MIN_SCORE)
    parser.add_argument("--snap-reach", type=float, default=None, help="edge snapping reach")
    parser.add_argument("--canvas", default=None, help="one canvas HxW for all, e.g. 512x768")
    parser.add_argument("--no-baseline", action="store_true", help="skip the OpenCV baseline")
    parser.add_argument("--json", type=Path, default=None, help="write the figures here")
    args = parser.parse_args(argv)
    options: dict[str, Any] = {"min_score": args.min_score}
    if args.snap_reach is not None:
        options["snap_reach"] = args.snap_reach
    if args.canvas:
        height, width = (int(v) for v in args.canvas.lower().split("x"))
        options["canvas"] = (height, width)
        options["wide_canvas"] = None  # that one canvas for every screen
    items = load_set(args.set)
    detectors: dict[str, Detect] = {}
    for name, path in (("fp32", args.fp32), ("int8", args.int8)):
        if path is not None:
            model = ElementDetector(path, manifest=None, **options)
            detectors[name] = model.detect
    if not detectors:
        detectors["shipped"] = ElementDetector(**options).detect
    if not args.no_baseline:
        detectors["opencv_contours"] = detect_contours
    results: dict[str, Any] = {"set": str(args.set), "images": len(items)}
    for name, detect in detectors.items():
        detect(items[0][1])  # warm-up: first-run allocations are not per-frame cost
        results[name] = score(detect, items)
        r = results[name]
        print(
            f"{name:16s} recall {r['recall']:.3f} precision {r['precision']:.3f} "
            f"({r['boxes']} boxes, {r['predictions']} predictions) {r['median_ms']} ms/frame, "
            f"{r['median_ms_1280x800']} ms per 1280x800 frame"
        )
        for cls, c in r["per_class"].items():
            print(
                f"    {cls:13s} n={c['boxes']:4d} recall {c['recall']:.3f} "
                f"right class {c['class_correct']:.3f}"
            )
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
