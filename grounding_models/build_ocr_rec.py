"""Derive the shipped fast OCR recogniser from rapidocr 3.10.0's pinned PP-OCRv6 small model.

    python -m guiagent.grounding_models.build_ocr_rec [--check]

Three changes, none to what the network computes on Latin text:

1. The classifier (a 120 x 18710 MatMul, then a softmax over 18710 classes) keeps only the
   582 columns of the Latin charset guiagent decodes by default (blank, Latin scripts, digits,
   punctuation, UI symbols). The softmax over the kept logits equals the old path's softmax
   renormalised over the kept classes, so the decoded text is the same; the model shrinks from
   21 MB to 12 MB and a tenth of the MatMul/softmax work goes.
2. The input height becomes dynamic (the graph takes any height; 48 stays the default).
3. The MatMul/Gemm weights (classifier and the SVTR neck) are quantised to int8 per channel with
   onnxruntime's ``quantize_dynamic``; the convolutions stay float32 (int8 convs were slower
   on CPU and changed a tenth of the characters).

The output is deterministic for a given onnx/onnxruntime version; its sha256 is pinned in
manifests/ocr_rec_ppocrv6_small_latin_int8.json. ``--check`` rebuilds into a temporary
folder and compares against the shipped file. Needs the ``train`` extra (onnx).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

from guiagent.grounding_models.manifest import load_manifest, sha256_of, verified_path

HERE = Path(__file__).resolve().parent
OUT_NAME = "PP-OCRv6_rec_small_latin_int8.onnx"
MANIFEST = "ocr_rec_ppocrv6_small_latin_int8"
_W, _B = "linear_8.w_0", "linear_8.b_0"


def build(out: Path) -> Path:
    import onnx
    from onnx import numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from guiagent.perception._onnx import _latin

    src = verified_path(load_manifest("ocr_rec_ppocrv6_small"))
    model = onnx.load(str(src))
    meta = {p.key: p.value for p in model.metadata_props}
    chars = ["", *meta["character"].splitlines(), " "]
    keep = [i for i, c in enumerate(chars) if i == 0 or _latin(c)]
    kept = [chars[i] for i in keep]
    if kept[-1] != " ":
        raise SystemExit("the model's last class is no longer the space: another model version?")
    text = "\n".join(kept[1:-1])
    if ["", *text.splitlines(), " "] != kept:
        raise SystemExit("the kept charset does not survive splitlines()")

    inits = {i.name: i for i in model.graph.initializer}
    w = numpy_helper.to_array(inits[_W])
    b = numpy_helper.to_array(inits[_B])
    if w.shape != (120, len(chars)) or b.shape != (len(chars),):
        raise SystemExit(f"unexpected classifier shapes {w.shape} {b.shape}")
    inits[_W].CopyFrom(numpy_helper.from_array(np.ascontiguousarray(w[:, keep]), _W))
    inits[_B].CopyFrom(numpy_helper.from_array(np.ascontiguousarray(b[keep]), _B))
    model.graph.output[0].type.tensor_type.shape.dim[2].dim_value = len(keep)
    height = model.graph.input[0].type.tensor_type.shape.dim[2]
    height.ClearField("dim_value")
    height.dim_param = "height"
    del model.graph.value_info[:]  # stale shapes of the 18710-class tail
    for prop in model.metadata_props:
        if prop.key == "character":
            prop.value = text
    onnx.checker.check_model(model)

    with tempfile.TemporaryDirectory() as tmp:
        pruned = Path(tmp) / "pruned.onnx"
        onnx.save(model, str(pruned))
        quantize_dynamic(
            str(pruned),
            str(out),
            op_types_to_quantize=["MatMul", "Gemm"],
            per_channel=True,
            weight_type=QuantType.QInt8,
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="rebuild and compare, write nothing")
    args = parser.parse_args()
    manifest = load_manifest(MANIFEST)
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            digest = sha256_of(build(Path(tmp) / OUT_NAME))
        same = digest == manifest.sha256
        print(f"rebuilt sha256 {digest}: {'matches' if same else 'DIFFERS FROM'} the manifest")
        raise SystemExit(0 if same else 1)
    out = HERE / "models" / OUT_NAME
    build(out)
    path = HERE / "manifests" / f"{MANIFEST}.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["sha256"], data["size_bytes"] = sha256_of(out), out.stat().st_size
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {out} ({data['size_bytes']} bytes, sha256 {data['sha256']}) and {path}")


if __name__ == "__main__":
    main()
