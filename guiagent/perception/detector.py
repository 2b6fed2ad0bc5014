"""The project's own UI element detector (``grounding_models/models/ui_detector.onnx``): finds
buttons, icon buttons, fields, check boxes, radio buttons, drop-downs, tabs, menu items, links
and sliders in a screenshot where no accessibility tree comes.

The model is a CenterNet-style network (see ``guiagent.grounding_models.detector``); this
module only runs its ONNX file and decodes the peaks with numpy, so no torch is needed.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import cv2
import numpy as np

from guiagent.errors import PerceptionError
from guiagent.observation import Box, Element
from guiagent.perception.regions import merge_boxes, pad

#: detector class -> the role word grounding understands (guiagent.perception.roles)
ROLES = {
    "button": "button",
    "icon_button": "icon",
    "text_field": "text_field",
    "checkbox": "checkbox",
    "radio_button": "radio_button",
    "dropdown": "combo_box",
    "tab": "tab",
    "menu_item": "menu_item",
    "link": "link",
    "slider": "slider",
}
CANVAS = (384, 512)  # the input the model was trained on: height, width
#: a screen at least WIDE_FROM px wide is fitted into WIDE_CANVAS instead: a 1280 px desktop
#: at 0.4 leaves a check box 6 px; at 0.6 more of its small controls stay legible (the net is
#: fully convolutional). Chosen on validation screens (mean F1 0.781 -> 0.822 with the
#: previous model), never on the held-out set; windows and small pages keep CANVAS.
WIDE_CANVAS = (576, 768)
WIDE_FROM = 1000
STRIDE = 4
MAX_SCALE = 1.0
#: chosen on validation screens (real_val + generated), never on the held-out set: the best
#: mean F1 for the shipped model (0.3 for the one before the any-class channel)
MIN_SCORE = 0.35
SNAP_REACH = 0.1


class ElementDetector:
    """Loads the model once (checksum checked against its manifest) and keeps the session."""

    def __init__(
        self,
        model: Path | None = None,
        *,
        min_score: float = MIN_SCORE,
        nms_iou: float = 0.5,
        snap: bool = True,
        snap_reach: float = SNAP_REACH,
        canvas: tuple[int, int] = CANVAS,
        wide_canvas: tuple[int, int] | None = WIDE_CANVAS,
        threads: int = 2,
        manifest: str | None = "ui_detector",
    ):
        """``model`` defaults to the manifest's file; ``manifest=None`` loads ``model``
        unchecked (a candidate being evaluated before it is shipped)."""
        if manifest is None:
            from guiagent.grounding_models.detector import CLASSES

            if model is None:
                raise PerceptionError("a detector without a manifest needs a model path")
            self.classes: list[str] = list(CLASSES)
            self.path = model
        else:
            from guiagent.grounding_models.manifest import load_manifest, verified_path

            spec = load_manifest(manifest)
            self.classes = list(spec.classes)
            self.path = verified_path(spec, model)
        self.min_score = min_score
        self.nms_iou = nms_iou
        #: move each side of a box onto a straight edge drawn near it, where there is one
        self.snap = snap
        self.snap_reach = snap_reach
        #: height, width the screenshot is fitted into (multiples of 32; the network is
        #: fully convolutional, so a larger canvas keeps small controls legible at a cost)
        self.canvas = canvas
        #: ... and the one for screens WIDE_FROM px wide or wider (None: ``canvas`` always)
        self.wide_canvas = wide_canvas
        self._session = _session(self.path, threads)
        self._input = self._session.get_inputs()[0].name
        self._lock = threading.Lock()

    def canvas_for(self, width: int) -> tuple[int, int]:
        """The canvas a screenshot ``width`` px wide is fitted into."""
        if self.wide_canvas is not None and width >= WIDE_FROM:
            return self.wide_canvas
        return self.canvas

    def detect(self, image: np.ndarray) -> list[Element]:
        """Elements in ``image`` (RGB uint8, H x W x 3), boxes in its pixels, best first."""
        _check(image)
        tensor, scale = preprocess(image, self.canvas_for(image.shape[1]))
        return self._elements(image, self._run(tensor), scale, (0, 0))

    def detect_changed(
        self, image: np.ndarray, previous: list[Element], changed: list[Box]
    ) -> list[Element]:
        """Elements of ``image`` when only ``changed`` differs from the frame ``previous``
        was detected in: those elements away from the changes stay, and each change is
        read again with a margin of context around it, at the scale the whole frame is
        read at (so a control looks as it does in a full pass). A frame that changed over
        most of its area is read whole."""
        _check(image)
        h, w = image.shape[:2]
        canvas = self.canvas_for(w)
        scale = min(canvas[1] / w, canvas[0] / h, MAX_SCALE)
        margin = round(_CONTEXT / scale)
        # a change inside a control (new digits in a display) is read with the whole control
        touched = [el.box for el in previous if any(el.box.intersection(b) for b in changed)]
        covered = merge_boxes([*changed, *touched])
        areas = merge_boxes([pad(b, margin, margin, w, h) for b in covered])
        if sum(a.area for a in areas) > _WHOLE_FRAME * w * h:
            return self.detect(image)
        kept = [el for el in previous if not any(el.box.intersection(b) for b in covered)]
        fresh: list[Element] = []
        for area in areas:
            crop = image[area.top : area.bottom, area.left : area.right]
            if crop.shape[0] < 8 or crop.shape[1] < 8:
                continue
            tensor = _padded(crop, scale)
            found = self._elements(crop, self._run(tensor), scale, (area.left, area.top))
            # what lies wholly in the margin was seen (and kept) in the previous frame
            fresh += [el for el in found if any(el.box.intersection(b) for b in covered)]
        return sorted(kept + fresh, key=lambda el: -el.score)

    def _run(self, tensor: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        with self._lock:
            heat, size, offset = self._session.run(None, {self._input: tensor})
        return heat, size, offset

    def _elements(
        self,
        image: np.ndarray,
        outputs: tuple[np.ndarray, np.ndarray, np.ndarray],
        scale: float,
        origin: tuple[int, int],
    ) -> list[Element]:
        """Decoded, suppressed, snapped boxes in ``image``'s pixels, moved by ``origin``
        (where ``image`` lies in the screenshot)."""
        heat, size, offset = outputs
        any_class = heat.shape[1] == len(self.classes) + 1
        boxes, scores, labels = decode(heat[0], size[0], offset[0], self.min_score, any_class)
        keep = nms(boxes, scores, self.nms_iou)
        h, w = image.shape[:2]
        edges = edge_maps(image) if self.snap and keep else None
        dx, dy = origin
        out = []
        for i in keep:
            x0, y0, x1, y1 = (boxes[i] / scale).tolist()
            if edges is not None:
                x0, y0, x1, y1 = snap_to_edges(edges, (x0, y0, x1, y1), self.snap_reach)
            box = Box(left=round(x0), top=round(y0), right=round(x1), bottom=round(y1)).clip(w, h)
            if box.width < 2 or box.height < 2:
                continue
            box = Box(
                left=box.left + dx, top=box.top + dy, right=box.right + dx, bottom=box.bottom + dy
            )
            role = ROLES.get(self.classes[labels[i]], self.classes[labels[i]])
            out.append(Element(role=role, box=box, source="detector", score=float(scores[i])))
        return out


#: context around a changed region, in canvas pixels (the model's receptive field reaches
#: about this far; a control cut by the region's edge is seen whole in this margin)
_CONTEXT = 32
#: changes over more than this share of the frame: a full pass is as cheap and simpler
_WHOLE_FRAME = 0.4


def _check(image: np.ndarray) -> None:
    if image.ndim != 3 or image.shape[2] < 3 or image.shape[0] < 8 or image.shape[1] < 8:
        raise PerceptionError(f"detector needs an RGB image, got shape {image.shape}")


def _padded(crop: np.ndarray, scale: float) -> np.ndarray:
    """A region scaled by ``scale`` and padded right and bottom to multiples of 32: the
    input the fully convolutional net takes."""
    h, w = crop.shape[:2]
    sh, sw = max(1, round(h * scale)), max(1, round(w * scale))
    return _input(crop, scale, (-(-sh // 32) * 32, -(-sw // 32) * 32))


def preprocess(
    image: np.ndarray, canvas: tuple[int, int] = CANVAS, max_scale: float = MAX_SCALE
) -> tuple[np.ndarray, float]:
    """The screenshot fitted into the canvas (padded with its corner colour), as NCHW
    float32 / 255, and the scale applied (never above ``max_scale``: a small window is not
    blown up beyond the sizes the model was trained on)."""
    h, w = image.shape[:2]
    scale = min(canvas[1] / w, canvas[0] / h, max_scale)
    return _input(image, scale, canvas), scale


def _input(image: np.ndarray, scale: float, shape: tuple[int, int]) -> np.ndarray:
    """``image`` scaled by ``scale`` into the top left of a ``shape`` (height, width) canvas
    filled with its corner colour, as NCHW float32 / 255."""
    h, w = image.shape[:2]
    small = cv2.resize(
        np.ascontiguousarray(image[:, :, :3]),
        (max(1, round(w * scale)), max(1, round(h * scale))),
        interpolation=cv2.INTER_AREA,
    )
    out = np.empty((shape[0], shape[1], 3), np.uint8)
    out[:] = small[0, 0]
    out[: small.shape[0], : small.shape[1]] = small
    return out.transpose(2, 0, 1)[None].astype(np.float32) / 255.0


def decode(
    heat: np.ndarray,
    size: np.ndarray,
    offset: np.ndarray,
    min_score: float,
    any_class: bool = False,
    top_k: int = 300,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Peaks of the heatmaps (local 3x3 maxima above ``min_score``) -> boxes in canvas
    pixels (n, 4), scores (n,), class indices (n,). With ``any_class`` the last channel says
    where elements are (see grounding_models.detector.model) and the strongest class channel
    there which kind; otherwise each class channel's peaks are elements of that class."""
    kernel = np.ones((3, 3), np.uint8)
    if any_class:
        where = heat[-1]
        ys, xs = np.nonzero((cv2.dilate(where, kernel) == where) & (where >= min_score))
        scores = where[ys, xs]
        cls = heat[:-1, ys, xs].argmax(axis=0)
    else:
        peaks = np.stack([cv2.dilate(c, kernel) for c in heat]) == heat
        cls, ys, xs = np.nonzero(peaks & (heat >= min_score))
        scores = heat[cls, ys, xs]
    if len(scores) > top_k:
        best = np.argsort(-scores)[:top_k]
        cls, ys, xs, scores = cls[best], ys[best], xs[best], scores[best]
    cx = (xs + offset[0, ys, xs]) * STRIDE
    cy = (ys + offset[1, ys, xs]) * STRIDE
    bw = np.exp(np.clip(size[0, ys, xs], -2, 8))
    bh = np.exp(np.clip(size[1, ys, xs], -2, 8))
    boxes = np.stack([cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2], axis=1)
    return boxes.astype(np.float32), scores.astype(np.float32), cls.astype(np.int64)


def nms(boxes: np.ndarray, scores: np.ndarray, iou: float) -> list[int]:
    """Class-agnostic non-maximum suppression: one element per place, best score first."""
    if len(boxes) == 0:
        return []
    xywh = [[float(b[0]), float(b[1]), float(b[2] - b[0]), float(b[3] - b[1])] for b in boxes]
    keep = cv2.dnn.NMSBoxes(xywh, scores.tolist(), 0.0, iou)
    return [int(i) for i in np.asarray(keep).reshape(-1)]


def edge_maps(image: np.ndarray) -> np.ndarray:
    """The screenshot's grey levels, which ``snap_to_edges`` takes gradients of near a box."""
    return cv2.cvtColor(np.ascontiguousarray(image[:, :, :3]), cv2.COLOR_RGB2GRAY)


def snap_to_edges(
    grey: np.ndarray,
    box: tuple[float, float, float, float],
    reach: float = SNAP_REACH,
    strength: float = 40.0,
    cover: float = 0.8,
) -> tuple[float, float, float, float]:
    """Each side moved to the nearest line within ``reach`` of the box's size along which
    the gradient is strong over ``cover`` of the box's extent: a control's frame or fill
    edge. The model's sizes are coarse (stride 4 at about half scale); frames are exact.
    Sides with no such line stay where they are. Gradients are taken around the box only."""
    h, w = grey.shape
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    bw, bh = max(1, x1 - x0), max(1, y1 - y0)
    ry, rx = max(2, int(reach * bh)), max(2, int(reach * min(bw, 3 * bh)))
    cx0, cy0 = max(0, x0 - rx - 1), max(0, y0 - ry - 1)
    cx1, cy1 = min(w, x1 + rx + 2), min(h, y1 + ry + 2)
    if cx1 - cx0 < 4 or cy1 - cy0 < 4:
        return float(x0), float(y0), float(x1), float(y1)
    crop = grey[cy0:cy1, cx0:cx1]
    across = np.abs(cv2.Sobel(crop, cv2.CV_16S, 1, 0, ksize=3))  # vertical lines
    down = np.abs(cv2.Sobel(crop, cv2.CV_16S, 0, 1, ksize=3))  # horizontal lines
    ch, cw = crop.shape
    out = [x0, y0, x1, y1]
    cols = slice(max(0, x0 + bw // 10 - cx0), min(cw, x1 - bw // 10 - cx0))
    rows = slice(max(0, y0 + bh // 10 - cy0), min(ch, y1 - bh // 10 - cy0))
    for side, at in ((1, y0 - cy0), (3, y1 - cy0)):
        lo, hi = max(0, at - ry), min(ch, at + ry + 1)
        if cols.stop - cols.start >= 3 and hi > lo:
            share = (down[lo:hi, cols] > strength).mean(axis=1)
            best = int(np.argmax(share - np.abs(np.arange(lo, hi) - at) / (4.0 * ry)))
            if share[best] >= cover:
                out[side] = cy0 + lo + best + (side == 3)
    for side, at in ((0, x0 - cx0), (2, x1 - cx0)):
        lo, hi = max(0, at - rx), min(cw, at + rx + 1)
        if rows.stop - rows.start >= 3 and hi > lo:
            share = (across[rows, lo:hi] > strength).mean(axis=0)
            best = int(np.argmax(share - np.abs(np.arange(lo, hi) - at) / (4.0 * rx)))
            if share[best] >= cover:
                out[side] = cx0 + lo + best + (side == 2)
    if out[2] - out[0] < 4 or out[3] - out[1] < 4:
        return float(x0), float(y0), float(x1), float(y1)
    return float(out[0]), float(out[1]), float(out[2]), float(out[3])


def _session(path: Path, threads: int) -> Any:
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    try:
        return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
    except Exception as exc:  # onnxruntime raises its own types for a bad file
        raise PerceptionError(f"cannot load detector model {path}: {exc}") from exc
