"""Train the element detector on CPU within a wall-clock budget.

``python -m guiagent.grounding_models.detector.train --data DIR [DIR ...] --out DIR
--minutes 35`` caches the screens (fitted into the input canvas), then trains with a cosine
learning rate over the time budget, so a run ends on time with a decayed rate instead of being
cut off. ``DIR/detector.pt`` is rewritten every few minutes: an interrupted run still leaves a
model. Needs the ``train`` extra (torch).

``--weights 1 3`` draws from the data folders in that proportion (a few hundred real desktop
screens would drown among thousands of generated ones otherwise); ``--resume RUN/detector.pt``
continues a checkpoint and ``--init-onnx FILE`` an exported model (the shipped one, say).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # busy-waiting threads thrash a busy CPU

import numpy as np  # noqa: E402
import torch  # noqa: E402

from guiagent.grounding_models.detector import CLASSES  # noqa: E402
from guiagent.grounding_models.detector.model import Detector  # noqa: E402
from guiagent.grounding_models.detector.targets import (  # noqa: E402
    CANVAS,
    Screen,
    augment,
    encode,
    load_screens,
)


def focal_loss(pred: torch.Tensor, gt: torch.Tensor) -> torch.Tensor:
    """CenterNet's penalty-reduced focal loss over the heatmap, per object."""
    pred = pred.clamp(1e-4, 1 - 1e-4)
    pos = gt.eq(1).float()
    neg = 1 - pos
    pos_loss = torch.log(pred) * (1 - pred) ** 2 * pos
    neg_loss = torch.log(1 - pred) * pred**2 * (1 - gt) ** 4 * neg
    num = pos.sum().clamp(min=1)
    return -(pos_loss.sum() + neg_loss.sum()) / num


def gather(feat: torch.Tensor, index: torch.Tensor) -> torch.Tensor:
    """(N, C, H, W) at flat indices (N, K) -> (N, K, C)."""
    n, c = feat.shape[:2]
    flat = feat.view(n, c, -1).permute(0, 2, 1)
    return flat.gather(1, index.unsqueeze(2).expand(-1, -1, c))


def draw(
    pools: list[list[Screen]], weights: list[float], rng: random.Random, size: int
) -> list[Screen]:
    """``size`` screens, each from a folder picked in proportion to ``weights``."""
    return [rng.choice(pool) for pool in rng.choices(pools, weights=weights, k=size)]


def batch(screens: list[Screen], rng: random.Random) -> dict[str, torch.Tensor]:
    images, targets = [], []
    for screen in screens:
        img, boxes, classes = augment(screen, rng)
        images.append(img.transpose(2, 0, 1))
        targets.append(encode(boxes, classes))
    out = {k: torch.from_numpy(np.stack([t[k] for t in targets])) for k in targets[0]}
    out["image"] = torch.from_numpy(np.stack(images)).float().div_(255.0)
    return out


def losses(model: Detector, b: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    heat, size, offset = model(b["image"])
    mask = b["mask"].unsqueeze(2)
    num = mask.sum().clamp(min=1)
    weight = b["dense_weight"].unsqueeze(1)
    l_size = (torch.abs(size - b["dense_size"]) * weight).sum() / weight.sum().clamp(min=1)
    l_off = (torch.abs(gather(offset, b["index"]) - b["offset"]) * mask).sum() / num
    l_heat = focal_loss(heat, b["heat"])
    return {"heat": l_heat, "size": l_size, "offset": l_off, "total": l_heat + l_size + l_off}


def save(model: Detector, out: Path, meta: dict[str, object]) -> None:
    tmp = out / "detector.pt.tmp"
    torch.save({"state_dict": model.state_dict(), "meta": meta}, tmp)
    tmp.replace(out / "detector.pt")


def train(
    data: list[Path],
    out: Path,
    minutes: float,
    batch_size: int = 8,
    lr: float = 3e-3,
    seed: int = 0,
    resume: Path | None = None,
    weights: list[float] | None = None,
    init_onnx: Path | None = None,
    threads: int = 2,
) -> dict[str, object]:
    torch.set_num_threads(threads)
    torch.manual_seed(seed)
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.monotonic()
    pools = [load_screens(d) for d in data]
    weights = weights or [float(len(p)) for p in pools]
    if len(weights) != len(pools):
        raise SystemExit(f"{len(weights)} weights for {len(pools)} data folders")
    cache_s = time.monotonic() - t0
    sizes = ", ".join(f"{d}: {len(p)}" for d, p in zip(data, pools, strict=True))
    print(f"screens cached in {cache_s:.0f} s ({sizes})", file=sys.stderr)
    model = Detector()
    if resume:
        model.load_state_dict(torch.load(resume, map_location="cpu")["state_dict"])
    elif init_onnx:
        from guiagent.grounding_models.detector.onnx_init import load_from_onnx

        samples = [batch(draw(pools, weights, rng, batch_size), rng)["image"] for _ in range(4)]
        load_from_onnx(model, init_onnx, samples)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    budget = minutes * 60 - cache_s
    start = time.monotonic()
    step, last_save, running = 0, start, 0.0
    meta: dict[str, object] = {"classes": list(CLASSES), "canvas": list(CANVAS)}
    model.train()
    while (elapsed := time.monotonic() - start) < budget:
        frac = elapsed / budget
        warm = min(1.0, (step + 1) / 100)
        for group in opt.param_groups:
            group["lr"] = lr * warm * 0.5 * (1 + math.cos(math.pi * frac))
        parts = losses(model, batch(draw(pools, weights, rng, batch_size), rng))
        opt.zero_grad()
        parts["total"].backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 10.0)
        opt.step()
        step += 1
        value = float(parts["total"].detach())
        running = 0.98 * running + 0.02 * value if step > 1 else value
        if step % 25 == 0:
            detail = " ".join(f"{k}={float(v.detach()):.3f}" for k, v in parts.items())
            line = f"step {step} {elapsed / 60:.1f} min loss~{running:.3f} {detail}"
            print(line, file=sys.stderr)
        if time.monotonic() - last_save > 180:
            meta.update(steps=step, images_seen=step * batch_size, loss=round(running, 4))
            save(model, out, meta)
            last_save = time.monotonic()
    meta.update(
        steps=step,
        images_seen=step * batch_size,
        loss=round(running, 4),
        screens=sum(len(p) for p in pools),
        data={str(d): w for d, w in zip(data, weights, strict=True)},
        init=str(resume or init_onnx or "scratch"),
        threads=threads,
        train_minutes=round((time.monotonic() - t0) / 60, 1),
    )
    save(model, out, meta)
    (out / "train_meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--data", type=Path, nargs="+", required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--minutes", type=float, default=35.0, help="wall-clock budget")
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--resume", type=Path, default=None, help="start from a checkpoint")
    parser.add_argument("--init-onnx", type=Path, default=None, help="start from an ONNX model")
    parser.add_argument("--weights", type=float, nargs="+", default=None, help="per --data")
    parser.add_argument(
        "--threads", type=int, default=2, help="torch CPU threads (1 leaves a core to others)"
    )
    args = parser.parse_args(argv)
    meta = train(
        args.data,
        args.out,
        args.minutes,
        args.batch,
        args.lr,
        args.seed,
        args.resume,
        args.weights,
        args.init_onnx,
        args.threads,
    )
    print(json.dumps(meta))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
