"""Train the icon classifier on CPU and export it to ONNX.

    python -m guiagent.grounding_models.icon_classifier.train --fonts FONTS --out RUN \
        [--hold-out FAMILY]

``FONTS`` holds the npm fonts (see ``glyphs``). With ``--hold-out`` one family is left out of
training and scored afterwards, against the namer's own method (the nearest shape among the
training glyphs) on the same drawings: how well a concept is named in a style never seen.
Without it, every family trains and ``RUN/icon_classifier.onnx`` is written, its concept
names in the model's metadata.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np

from guiagent.grounding_models.icon_classifier.data import samples
from guiagent.grounding_models.icon_classifier.glyphs import (
    Glyph,
    installed_glyphs,
    npm_glyphs,
    text_glyphs,
    with_concepts,
)
from guiagent.perception.icons.shapes import GRID


def build_model(classes: int):  # type: ignore[no-untyped-def]
    import torch
    from torch import nn

    def block(cin: int, cout: int) -> list[nn.Module]:
        return [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU()]

    class IconNet(nn.Module):
        """A small CNN over the namer's GRID x GRID shape, plus the shape's aspect and ink
        density (which the shape vector, padded square and normalised, has lost)."""

        def __init__(self) -> None:
            super().__init__()
            self.features = nn.Sequential(
                *block(1, 32),
                *block(32, 32),
                nn.MaxPool2d(2),
                *block(32, 64),
                *block(64, 64),
                nn.MaxPool2d(2),
                *block(64, 128),
                nn.MaxPool2d(2),
                nn.Flatten(),
            )
            side = GRID // 8
            self.head = nn.Sequential(
                nn.Linear(128 * side * side + 2, 256),
                nn.ReLU(),
                nn.Dropout(0.2),
                nn.Linear(256, classes),
            )

        def forward(self, shape: torch.Tensor, form: torch.Tensor) -> torch.Tensor:
            x = shape.reshape(-1, 1, GRID, GRID) * float(GRID)
            return self.head(torch.cat([self.features(x), form], dim=1))

    return IconNet()


def train(
    vecs: np.ndarray, forms: np.ndarray, labels: np.ndarray, classes: int, epochs: int, seed: int
):  # type: ignore[no-untyped-def]
    import torch

    torch.manual_seed(seed)
    model = build_model(classes)
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    batch = 256
    steps = epochs * math.ceil(len(labels) / batch)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=3e-3, total_steps=steps)
    x_all = torch.from_numpy(vecs.astype(np.float32))
    f_all = torch.from_numpy(forms)
    y_all = torch.from_numpy(labels)
    gen = torch.Generator().manual_seed(seed)
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(y_all), generator=gen)
        t0, total, right = time.time(), 0.0, 0
        for start in range(0, len(order), batch):
            idx = order[start : start + batch]
            logits = model(x_all[idx], f_all[idx])
            loss = torch.nn.functional.cross_entropy(logits, y_all[idx], label_smoothing=0.05)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(idx)
            right += int((logits.argmax(1) == y_all[idx]).sum())
        print(
            f"epoch {epoch + 1}/{epochs} loss {total / len(y_all):.3f} "
            f"train acc {right / len(y_all):.3f} ({time.time() - t0:.0f} s)",
            flush=True,
        )
    model.eval()
    return model


def predict(model, vecs: np.ndarray, forms: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    import torch

    out = []
    with torch.no_grad():
        for s in range(0, len(vecs), 1024):
            x = torch.from_numpy(vecs[s : s + 1024].astype(np.float32))
            f = torch.from_numpy(forms[s : s + 1024])
            out.append(torch.softmax(model(x, f), 1).numpy())
    return np.concatenate(out)


def nearest_shape(
    lib_vecs: np.ndarray, lib_labels: np.ndarray, vecs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """The namer's method: the label and cosine likeness of the most alike library shape."""
    lib = lib_vecs.astype(np.float32)
    best, score = [], []
    for s in range(0, len(vecs), 512):
        sims = vecs[s : s + 512].astype(np.float32) @ lib.T
        k = sims.argmax(1)
        best.append(lib_labels[k])
        score.append(sims[np.arange(len(k)), k])
    return np.concatenate(best), np.concatenate(score)


def held_out_report(
    model, trained: list[Glyph], held: list[Glyph], label: dict[str, int], seed: int
) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """Top-1 / top-5 of the classifier on two drawings of each held-out glyph, against the
    namer's nearest shape among one drawing of each training glyph; and how many it names,
    and how many of those right, at a few probability bars."""
    hv, hf, hi = samples(held, 2, seed + 1)
    truth = np.array([label[held[i].concept] for i in hi])
    probs = predict(model, hv, hf)
    top, conf = probs.argmax(1), probs.max(1)
    lib_v, _, lib_i = samples(trained, 1, seed + 2)
    lib_labels = np.array([label[trained[i].concept] for i in lib_i])
    near, near_score = nearest_shape(lib_v, lib_labels, hv)

    def named(guess: np.ndarray, sure: np.ndarray, bar: float) -> dict[str, float | None]:
        kept = sure >= bar
        right = float((guess[kept] == truth[kept]).mean()) if kept.any() else None
        return {"named": round(float(kept.mean()), 4), "right_when_named": right}

    top5 = (np.argsort(-probs, 1)[:, :5] == truth[:, None]).any(1)
    report: dict[str, object] = {
        "drawings": len(truth),
        "classifier_top1": round(float((top == truth).mean()), 4),
        "classifier_top5": round(float(top5.mean()), 4),
        "nearest_shape_top1": round(float((near == truth).mean()), 4),
    }
    for bar in (0.3, 0.5, 0.7):
        report[f"classifier_at_{bar}"] = named(top, conf, bar)
    for bar in (0.8, 0.88):
        report[f"nearest_at_{bar}"] = named(near, near_score, bar)
    return report


def export(model, concepts: list[str], out: Path) -> Path:  # type: ignore[no-untyped-def]
    import onnx
    import torch

    shape = torch.zeros(1, GRID * GRID)
    form = torch.zeros(1, 2)
    torch.onnx.export(
        model,
        (shape, form),
        str(out),
        input_names=["shape", "form"],
        output_names=["logits"],
        dynamic_axes={"shape": {0: "n"}, "form": {0: "n"}, "logits": {0: "n"}},
        opset_version=17,
        dynamo=False,
    )
    proto = onnx.load(str(out))
    entry = proto.metadata_props.add()
    entry.key, entry.value = "concepts", json.dumps(concepts)
    onnx.save(proto, str(out))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--fonts", type=Path, required=True, help="folder of the npm fonts")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--hold-out", default=None, help="a family to leave out and score")
    parser.add_argument("--variants", type=int, default=8, help="drawings per glyph")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=2, help="torch CPU threads")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    import torch

    torch.set_num_threads(args.threads)
    every = with_concepts([*npm_glyphs(args.fonts), *installed_glyphs()])
    trained: list[Glyph] = [g for g in every if g.family != args.hold_out]
    trained += list(text_glyphs())
    concepts = sorted({g.concept for g in trained})
    label = {c: i for i, c in enumerate(concepts)}
    t0 = time.time()
    vecs, forms, index = samples(trained, args.variants, args.seed)
    labels = np.array([label[trained[i].concept] for i in index], np.int64)
    print(
        f"{len(trained)} glyphs, {len(concepts)} concepts, {len(labels)} drawings "
        f"({time.time() - t0:.0f} s)",
        flush=True,
    )
    model = train(vecs, forms, labels, len(concepts), args.epochs, args.seed)
    if args.hold_out:
        held = [g for g in every if g.family == args.hold_out and g.concept in label]
        report = held_out_report(model, trained, held, label, args.seed)
        report["held_out"] = args.hold_out
        print(json.dumps(report, indent=1))
        (args.out / f"holdout_{args.hold_out}.json").write_text(json.dumps(report, indent=1))
        return 0
    path = export(model, concepts, args.out / "icon_classifier.onnx")
    print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
