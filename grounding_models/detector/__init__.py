"""The project's own UI element detector: synthetic data, model, training, export, evaluation.

Training code needs the ``train`` extra (torch); the runtime lives in
``guiagent.perception.detector`` and needs only onnxruntime and numpy.
"""

from __future__ import annotations

from collections.abc import Sequence

#: detector classes, in the order of the model's heatmap channels
CLASSES = (
    "button",
    "icon_button",
    "text_field",
    "checkbox",
    "radio_button",
    "dropdown",
    "tab",
    "menu_item",
    "link",
    "slider",
)


def box_iou(a: Sequence[float], b: Sequence[float]) -> float:
    """Intersection over union of two ``[x0, y0, x1, y1, ...]`` boxes (extra items ignored)."""
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    inter = max(0.0, w) * max(0.0, h)
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0
