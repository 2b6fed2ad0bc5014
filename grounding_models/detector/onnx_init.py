"""Start training from an exported ONNX model when its torch checkpoint is gone.

Export folds each BatchNorm into the convolution before it, so the ONNX file holds one weight
and one bias per convolution. Those are copied back in execution order (traced with forward
hooks, which is the order the exporter wrote the nodes in), and each BatchNorm is set to pass
its input through: its running statistics and affine terms are fitted to the outputs it sees
on a few real batches, so that training-mode normalisation reproduces the exported function
instead of scrambling it on the first step.
"""

from __future__ import annotations

from pathlib import Path

import torch
from torch import nn

from guiagent.grounding_models.detector.model import Detector


def _conv_order(model: Detector, sample: torch.Tensor) -> list[nn.Conv2d]:
    order: list[nn.Conv2d] = []
    hooks = [
        m.register_forward_hook(lambda mod, _i, _o: order.append(mod))  # type: ignore[arg-type]
        for m in model.modules()
        if isinstance(m, nn.Conv2d)
    ]
    with torch.no_grad():
        model.eval()
        model(sample)
    for h in hooks:
        h.remove()
    return order


def _onnx_convs(path: Path) -> list[tuple[torch.Tensor, torch.Tensor | None]]:
    import onnx
    from onnx import numpy_helper

    graph = onnx.load(str(path)).graph
    weights = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in graph.initializer}
    out = []
    for node in graph.node:
        if node.op_type == "Conv":
            w = weights[node.input[1]]
            b = weights[node.input[2]] if len(node.input) > 2 else None
            out.append((w, b))
    return out


def _with_any_class_channel(
    w: torch.Tensor, b: torch.Tensor | None
) -> tuple[torch.Tensor, torch.Tensor | None]:
    """A model from before the any-class heatmap channel: that channel starts as the mean of
    the class channels' weights with the most confident class's bias, and learns from there."""
    w = torch.cat([w, w.mean(dim=0, keepdim=True)])
    if b is not None:
        b = torch.cat([b, b.max().reshape(1)])
    return w, b


def load_from_onnx(model: Detector, path: Path, batches: list[torch.Tensor]) -> None:
    """Copy ``path``'s folded weights into ``model`` (which must have the same shape, or lack
    only the any-class heatmap channel)."""
    convs = _conv_order(model, batches[0][:1])
    folded = _onnx_convs(path)
    if len(convs) != len(folded):
        raise ValueError(f"{path}: {len(folded)} convolutions, the model has {len(convs)}")
    norm_after: dict[nn.Conv2d, nn.BatchNorm2d] = {}
    for seq in model.modules():
        if isinstance(seq, nn.Sequential):
            items = list(seq)
            for first, then in zip(items, items[1:], strict=False):
                if isinstance(first, nn.Conv2d) and isinstance(then, nn.BatchNorm2d):
                    norm_after[first] = then
    with torch.no_grad():
        for conv, (w, b) in zip(convs, folded, strict=True):
            if conv is model.heatmap and conv.weight.shape[0] == w.shape[0] + 1:
                w, b = _with_any_class_channel(w, b)
            if conv.weight.shape != w.shape:
                raise ValueError(f"{path}: weight {tuple(w.shape)} for {tuple(conv.weight.shape)}")
            conv.weight.copy_(w)
            bn = norm_after.get(conv)
            if bn is None:
                if conv.bias is not None and b is not None:
                    conv.bias.copy_(b)
                continue
            assert bn.running_mean is not None and bn.running_var is not None
            bn.weight.fill_(1.0)
            bn.bias.copy_(b if b is not None else torch.zeros_like(bn.bias))
            bn.running_mean.zero_()
            bn.running_var.fill_(1.0 - bn.eps)
    # fit each norm to the statistics of its input so train mode reproduces eval mode
    stats: dict[nn.BatchNorm2d, list[torch.Tensor]] = {}

    def record(mod: nn.Module, inputs: tuple[torch.Tensor, ...], _out: torch.Tensor) -> None:
        x = inputs[0]
        stats.setdefault(mod, []).append(  # type: ignore[arg-type]
            torch.stack([x.mean(dim=(0, 2, 3)), x.var(dim=(0, 2, 3))])
        )

    norms = [m for m in model.modules() if isinstance(m, nn.BatchNorm2d)]
    hooks = [m.register_forward_hook(record) for m in norms]
    model.eval()
    with torch.no_grad():
        for x in batches:
            model(x)
    for h in hooks:
        h.remove()
    with torch.no_grad():
        for bn in norms:
            mean, var = torch.stack(stats[bn]).mean(dim=0)
            std = (var + bn.eps).sqrt()
            # y = x + beta  ==  gamma * (x - mean) / std + (beta + mean) with gamma = std
            bn.weight.copy_(std)
            bn.bias.add_(mean)
            assert bn.running_mean is not None and bn.running_var is not None
            bn.running_mean.copy_(mean)
            bn.running_var.copy_(var)
