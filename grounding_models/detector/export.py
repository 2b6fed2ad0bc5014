"""Export a trained detector checkpoint to ONNX (fp32) and an int8 copy, and write the
manifest of the one shipped.

``python -m guiagent.grounding_models.detector.export --checkpoint RUN/detector.pt
--calibration DATA --out RUN [--ship fp32|int8]`` writes ``RUN/ui_detector_fp32.onnx`` and
``RUN/ui_detector_int8.onnx`` (static QDQ quantisation calibrated on generated screens), and
with ``--ship`` copies that one to ``grounding_models/models/ui_detector.onnx`` and rewrites
``grounding_models/manifests/ui_detector.json``. Needs the ``train`` extra.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
from pathlib import Path
from typing import Any

import numpy as np

from guiagent.grounding_models.detector import CLASSES
from guiagent.grounding_models.manifest import sha256_of

PACKAGE_DIR = Path(__file__).resolve().parents[1]
MODEL_PATH = PACKAGE_DIR / "models" / "ui_detector.onnx"
MANIFEST_PATH = PACKAGE_DIR / "manifests" / "ui_detector.json"
SOURCE = (
    "trained by this project: grounding_models/detector (datagen.py renders random interfaces "
    "in headless Chromium with DOM boxes; realgen.py captures real GTK 3 apps with AT-SPI boxes "
    "and random Tk windows; train.py trains model.py on CPU; export.py)"
)


def export_fp32(checkpoint: Path, out: Path) -> Path:
    import torch

    from guiagent.grounding_models.detector.model import Detector

    model = Detector()
    model.load_state_dict(torch.load(checkpoint, map_location="cpu")["state_dict"])
    model.eval()
    path = out / "ui_detector_fp32.onnx"
    dummy = torch.rand(1, 3, 384, 512)
    torch.onnx.export(
        model,
        (dummy,),
        str(path),
        input_names=["image"],
        output_names=["heatmap", "size", "offset"],
        dynamic_axes={"image": {0: "batch", 2: "height", 3: "width"}},
        opset_version=17,
        dynamo=False,
    )
    return path


class _Calibration:
    """Generated screens, preprocessed as the runtime does, for static quantisation."""

    def __init__(self, data: Path, count: int):
        import cv2

        from guiagent.perception.detector import preprocess

        lines = (data / "labels.jsonl").read_text(encoding="utf-8").splitlines()
        picks = random.Random(0).sample(lines, min(count, len(lines)))
        self._items: list[dict[str, np.ndarray]] = []
        for line in picks:
            bgr = cv2.imread(str(data / json.loads(line)["image"]), cv2.IMREAD_COLOR)
            if bgr is not None:
                tensor, _ = preprocess(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
                self._items.append({"image": tensor})
        self._iter = iter(self._items)

    def get_next(self) -> dict[str, np.ndarray] | None:
        return next(self._iter, None)


def quantise(fp32: Path, calibration: Path, out: Path, count: int = 64) -> Path:
    from onnxruntime.quantization import (
        CalibrationMethod,
        QuantFormat,
        QuantType,
        quantize_static,
    )
    from onnxruntime.quantization.shape_inference import quant_pre_process

    pre = out / "ui_detector_pre.onnx"
    quant_pre_process(str(fp32), str(pre), skip_symbolic_shape=True)
    path = out / "ui_detector_int8.onnx"
    reader: Any = _Calibration(calibration, count)
    quantize_static(
        str(pre),
        str(path),
        reader,
        quant_format=QuantFormat.QDQ,
        activation_type=QuantType.QUInt8,
        weight_type=QuantType.QInt8,
        per_channel=True,
        calibrate_method=CalibrationMethod.Percentile,
    )
    pre.unlink(missing_ok=True)
    return path


def write_manifest(model: Path, measured: dict[str, str], variant: str) -> dict[str, Any]:
    """Copy ``model`` to the package and describe it; returns the manifest written."""
    MODEL_PATH.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(model, MODEL_PATH)
    manifest = {
        "name": "ui_detector",
        "file": MODEL_PATH.name,
        "location": "package:guiagent.grounding_models/models",
        "sha256": sha256_of(MODEL_PATH),
        "size_bytes": MODEL_PATH.stat().st_size,
        "task": (
            f"UI element detection ({variant}): CenterNet-style heads at stride 4 - per-class "
            "centre heatmaps and a last any-class one (where elements are), log box size, "
            "centre offset"
        ),
        "inputs": [
            {
                "name": "image",
                "shape": [1, 3, 384, 512],
                "dtype": "float32",
                "layout": "NCHW",
                "normalisation": (
                    "RGB/255; screenshot scaled to fit 512x384 (aspect kept), padded right and "
                    "bottom with its top-left colour; a screenshot 1000 px wide or wider fits "
                    "768x576 instead (the graph takes any multiple of 32)"
                ),
            }
        ],
        "classes": list(CLASSES),
        "licence": "Apache-2.0 (trained by this project)",
        "source": SOURCE,
        "measured": measured,
    }
    MANIFEST_PATH.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--checkpoint", type=Path, required=True)
    parser.add_argument("--calibration", type=Path, required=True, help="a datagen folder")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--ship", choices=["fp32", "int8"], default=None)
    parser.add_argument("--measured", type=Path, default=None, help="JSON of figures to record")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    fp32 = export_fp32(args.checkpoint, args.out)
    int8 = quantise(fp32, args.calibration, args.out)
    for path in (fp32, int8):
        print(f"{path}: {path.stat().st_size / 1024:.0f} KiB")
    if args.ship:
        measured = json.loads(args.measured.read_text()) if args.measured else {}
        write_manifest(fp32 if args.ship == "fp32" else int8, measured, args.ship)
        print(f"shipped {args.ship} -> {MODEL_PATH}, manifest {MANIFEST_PATH}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
