"""The learned icon classifier (``grounding_models/models/icon_classifier.onnx``): names an icon
whose drawing matches none of the installed icons closely, by the concept it shows.

The shape matcher names an icon when some installed icon looks just like it; a site's own
bin or magnifier is a little off every one and stays unnamed. The classifier was trained on
the same concepts drawn by many icon sets (see ``guiagent.grounding_models.icon_classifier``),
so it recognises a bin in a style it never saw. Its answers are less sure than an exact shape
match and are only asked for where the matcher found nothing.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from guiagent.errors import PerceptionError
from guiagent.perception.icons.names import human_name
from guiagent.perception.icons.shapes import Shape

MANIFEST = "icon_classifier"
#: the concept of drawings that are no icon (letters, initials): the model says so instead
#: of naming the nearest icon
NOT_AN_ICON = "(not an icon)"
#: a concept this likely names the icon; chosen on the development grounding sets
MIN_PROBABILITY = 0.5


@dataclass(frozen=True)
class Concept:
    name: str  # what a person calls it, alternatives in brackets (``human_name``)
    probability: float


class IconClassifier:
    """Loads the model once (checksum checked against its manifest) and keeps the session."""

    def __init__(self, threads: int = 1) -> None:
        import onnxruntime as ort

        from guiagent.grounding_models.manifest import load_manifest, verified_path

        path = verified_path(load_manifest(MANIFEST))
        opts = ort.SessionOptions()
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = 1
        opts.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])
            meta = self.session.get_modelmeta().custom_metadata_map
            self.concepts: list[str] = json.loads(meta["concepts"])
        except Exception as exc:  # a file that is no such model
            raise PerceptionError(f"cannot load the icon classifier {path.name}: {exc}") from exc

    def classify(
        self, shapes: Sequence[Shape], min_probability: float = MIN_PROBABILITY
    ) -> list[Concept | None]:
        """The concept each shape shows, or None where none is likely enough."""
        if not shapes:
            return []
        vecs = np.stack([s.vector for s in shapes]).astype(np.float32)
        forms = np.array([[s.aspect, s.density] for s in shapes], np.float32)
        logits = self.session.run(None, {"shape": vecs, "form": forms})[0]
        logits = logits - logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        best = probs.argmax(axis=1)
        out: list[Concept | None] = []
        for k, p in zip(best.tolist(), probs[np.arange(len(best)), best].tolist(), strict=True):
            concept = self.concepts[k]
            if p < min_probability or concept == NOT_AN_ICON:
                out.append(None)
                continue
            out.append(Concept(human_name(concept.replace(" ", "-")) or concept, float(p)))
        return out


_lock = threading.Lock()
_shared: dict[str, Any] = {}


def classifier() -> IconClassifier:
    """The process-wide classifier, loaded on first use (a missing or altered model file
    raises PerceptionError naming it, as the other models do)."""
    with _lock:
        if "model" not in _shared:
            _shared["model"] = IconClassifier()
        return _shared["model"]  # type: ignore[no-any-return]
