"""The two ONNX models rapidocr bundles in its wheel (PP-OCRv6 small det + rec), run directly.

rapidocr's own pipeline is built for documents: it upscales the short side of every input to
736 px, pads every recognition crop to 320 px and decodes over all 18k classes. On UI crops
that wastes most of the time and turns ``*`` into ``米``; here detection runs at native scale on
the regions asked for, recognition pads each batch only to its widest crop, and decoding is
restricted to a charset. Only the model files are used; nothing is ever downloaded.

For the default Latin charset recognition runs a model derived from rapidocr's (shipped in
grounding_models/models, built by grounding_models/build_ocr_rec.py): its classifier keeps only
the Latin classes and its MatMul weights are int8, which reads the same text for 0.87x the CPU.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from guiagent.errors import PerceptionError

DET_FILE = "PP-OCRv6_det_small.onnx"
REC_FILE = "PP-OCRv6_rec_small.onnx"
REC_HEIGHT = 48  # what the recogniser was trained on; the fast model takes any height
FAST_REC_MANIFEST = "ocr_rec_ppocrv6_small_latin_int8"
_BATCH = 16
_EXTRA_CHARS = set("√×÷−±€£¥…→←↑↓•·–—‘’“”™©®°")


def model_dir() -> Path:
    """Where rapidocr keeps its bundled models; a clear error when they are missing."""
    try:
        import rapidocr
    except ImportError as exc:  # pragma: no cover - a dependency of the package
        raise PerceptionError(
            "rapidocr is not installed", hint="pip install 'rapidocr>=3.4,<4'"
        ) from exc
    root = Path(rapidocr.__file__).resolve().parent / "models"
    for name in (DET_FILE, REC_FILE):
        if not (root / name).is_file():
            raise PerceptionError(
                f"OCR model {name} is missing from {root}",
                hint="reinstall rapidocr 3.x, whose wheel bundles the PP-OCRv6 models",
            )
    return root


def _checked(manifest: str, file: str) -> Path:
    """The bundled model file, verified against its manifest in grounding_models/."""
    from guiagent.grounding_models.manifest import load_manifest, verified_path

    return verified_path(load_manifest(manifest), model_dir() / file)


def _session(path: Path, threads: int) -> Any:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    opts.log_severity_level = 3
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    try:
        return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    except Exception as exc:
        raise PerceptionError(f"cannot load OCR model {path.name}: {exc}") from exc


def default_threads() -> int:
    return max(1, min(4, os.cpu_count() or 1))


@dataclass(frozen=True)
class RawBox:
    """A detected text box in image pixels (``right``/``bottom`` exclusive) with its score."""

    left: int
    top: int
    right: int
    bottom: int
    score: float


@dataclass(frozen=True)
class RawText:
    """A recognised crop: text, mean char probability and each char's x-span in the crop."""

    text: str
    score: float
    spans: list[tuple[float, float]]


class TextDetector:
    """DB text detection at native resolution; axis-aligned boxes (UI text is horizontal)."""

    def __init__(self, threads: int, thresh: float = 0.3, box_thresh: float = 0.45) -> None:
        self.session = _session(_checked("ocr_det_ppocrv6_small", DET_FILE), threads)
        self.thresh = thresh
        self.box_thresh = box_thresh

    def __call__(self, bgr: np.ndarray) -> list[RawBox]:
        h, w = bgr.shape[:2]
        hp, wp = max(32, -(-h // 32) * 32), max(32, -(-w // 32) * 32)
        x = np.zeros((1, 3, hp, wp), np.float32)
        x[0, :, :h, :w] = (bgr.astype(np.float32) / 127.5 - 1.0).transpose(2, 0, 1)
        try:
            prob = self.session.run(None, {self.session.get_inputs()[0].name: x})[0]
        except Exception as exc:
            raise PerceptionError(f"text detection failed: {exc}") from exc
        return self._boxes(prob[0, 0, :h, :w], w, h)

    def _boxes(self, prob: np.ndarray, w: int, h: int) -> list[RawBox]:
        mask = cv2.dilate((prob > self.thresh).astype(np.uint8), np.ones((2, 2), np.uint8))
        n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        out: list[RawBox] = []
        for i in range(1, n):
            x0, y0, bw, bh = (int(v) for v in stats[i, :4])
            if min(bw, bh) < 3:
                continue
            window = prob[y0 : y0 + bh, x0 : x0 + bw]
            score = float(window[labels[y0 : y0 + bh, x0 : x0 + bw] == i].mean())
            if score < self.box_thresh:
                continue
            # DB predicts shrunk kernels; grow them back (rapidocr's unclip, for rectangles).
            d = bw * bh * 1.6 / (2 * (bw + bh))
            out.append(
                RawBox(
                    left=max(0, int(x0 - d)),
                    top=max(0, int(y0 - d)),
                    right=min(w, math.ceil(x0 + bw + d)),
                    bottom=min(h, math.ceil(y0 + bh + d)),
                    score=score,
                )
            )
        return out


class TextRecognizer:
    """CTC recognition in width-sorted batches padded only to their widest crop.

    With ``fast`` (and the Latin charset) the shipped Latin-only int8 model runs instead of
    rapidocr's fp32 one; ``height`` other than 48 needs it (the fp32 graph fixes 48)."""

    def __init__(
        self, threads: int, charset: str = "latin", *, fast: bool = True, height: int = REC_HEIGHT
    ) -> None:
        if height != REC_HEIGHT and not (fast and charset == "latin"):
            raise PerceptionError(
                f"OCR recognition height {height} needs the fast Latin model",
                hint="set the charset to latin and the fast recogniser on, or height 48",
            )
        self.height = height
        self.path = self._model_path(fast and charset == "latin")
        self.session = _session(self.path, threads)
        meta = self.session.get_modelmeta().custom_metadata_map
        chars = ["", *meta["character"].splitlines(), " "]
        keep = [i for i, c in enumerate(chars) if i == 0 or charset == "all" or _latin(c)]
        self.chars = [chars[i] for i in keep]
        self.keep: np.ndarray | None = None if len(keep) == len(chars) else np.asarray(keep)

    @staticmethod
    def _model_path(fast: bool) -> Path:
        if not fast:
            return _checked("ocr_rec_ppocrv6_small", REC_FILE)
        from guiagent.grounding_models.manifest import load_manifest, verified_path

        return verified_path(load_manifest(FAST_REC_MANIFEST))

    def __call__(self, crops: list[np.ndarray]) -> list[RawText]:
        resized = [_to_height(c, self.height) for c in crops]
        order = sorted(range(len(crops)), key=lambda i: resized[i].shape[1])
        out: list[RawText | None] = [None] * len(crops)
        start = 0
        while start < len(order):
            first = max(32, resized[order[start]].shape[1])
            end = start + 1
            while (
                end < len(order)
                and end - start < _BATCH
                and resized[order[end]].shape[1] <= first * 1.3
            ):
                end += 1
            group = order[start:end]
            for i, text in zip(group, self._batch([resized[i] for i in group]), strict=True):
                scale = crops[i].shape[1] / max(1, resized[i].shape[1])
                spans = [(a * scale, b * scale) for a, b in text.spans]
                out[i] = RawText(text.text, text.score, spans)
            start = end
        return [t if t is not None else RawText("", 0.0, []) for t in out]

    def _batch(self, imgs: list[np.ndarray]) -> list[RawText]:
        width = max(32, max(i.shape[1] for i in imgs))
        width = -(-width // 8) * 8
        x = np.zeros((len(imgs), 3, self.height, width), np.float32)
        for n, img in enumerate(imgs):
            x[n, :, :, : img.shape[1]] = (img.astype(np.float32) / 127.5 - 1.0).transpose(2, 0, 1)
        try:
            probs = self.session.run(None, {self.session.get_inputs()[0].name: x})[0]
        except Exception as exc:
            raise PerceptionError(f"text recognition failed: {exc}") from exc
        if self.keep is not None:  # the fp32 model: renormalise over the kept classes
            probs = probs[:, :, self.keep]
            probs /= probs.sum(axis=2, keepdims=True) + 1e-9
        step = width / probs.shape[1]
        return [self._decode(p, step) for p in probs]

    def _decode(self, probs: np.ndarray, step: float) -> RawText:
        idx = probs.argmax(axis=1)
        best = probs.max(axis=1)
        text: list[str] = []
        scores: list[float] = []
        spans: list[tuple[float, float]] = []
        prev = 0
        for t, (c, p) in enumerate(zip(idx.tolist(), best.tolist(), strict=True)):
            if c != 0 and c != prev:
                text.append(self.chars[c])
                scores.append(p)
                spans.append((t * step, (t + 1) * step))
            elif c != 0 and spans:
                spans[-1] = (spans[-1][0], (t + 1) * step)
            prev = c
        score = float(np.mean(scores)) if scores else 0.0
        return RawText("".join(text), score, spans)


def _to_height(crop: np.ndarray, height: int = REC_HEIGHT) -> np.ndarray:
    h, w = crop.shape[:2]
    width = max(1, math.ceil(height * w / max(1, h)))
    return cv2.resize(crop, (width, height), interpolation=cv2.INTER_LINEAR)


def _latin(c: str) -> bool:
    """Latin scripts, digits, punctuation and the symbols UIs use; no CJK look-alikes."""
    if len(c) != 1:
        return False
    o = ord(c)
    return o < 0x250 or 0x2000 <= o < 0x2070 or 0x20A0 <= o < 0x20C0 or c in _EXTRA_CHARS
