"""The detector network: a compact depthwise-separable CNN, a small top-down feature pyramid
merged at output stride 4, and CenterNet-style heads (per-class centre heatmap, log box size,
sub-cell centre offset). Anchor-free and NMS-light, so the ONNX graph is plain convolutions.

Training-only (torch); the runtime decodes the three outputs with numpy.
"""

from __future__ import annotations

import math

import torch
from torch import nn
from torch.nn import functional as F

from guiagent.grounding_models.detector import CLASSES

STRIDE = 4


def _conv_bn(cin: int, cout: int, k: int = 3, stride: int = 1, groups: int = 1) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, k, stride, k // 2, groups=groups, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class SepConv(nn.Module):
    """Depthwise 3x3 then pointwise 1x1, with a residual add when shapes allow."""

    def __init__(self, cin: int, cout: int, stride: int = 1):
        super().__init__()
        self.dw = _conv_bn(cin, cin, 3, stride, groups=cin)
        self.pw = _conv_bn(cin, cout, 1)
        self.residual = stride == 1 and cin == cout

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.pw(self.dw(x))
        return x + y if self.residual else y


class Detector(nn.Module):
    """Input N x 3 x H x W (RGB / 255, H and W multiples of 32); outputs at H/4 x W/4:
    ``heatmap`` (sigmoid, one channel per class and a last one for "an element of any class
    is centred here"), ``size`` (log of box width and height in input pixels), ``offset``
    (centre's sub-cell position, 0..1).

    The any-class channel is what the runtime finds elements with: where the look of a
    control sits between classes (a menu-bar item that could be a tab), the class channels
    split their confidence and each stays low, while the any-class one is taught at full
    strength. The class channels then only say which kind it is.

    The stem folds 4x4 pixel blocks into channels (pixel unshuffle) instead of running
    convolutions at full and half resolution: on a CPU those layers cost most of the time.
    """

    def __init__(self, num_classes: int = len(CLASSES), width: int = 48, fine: int = 32):
        super().__init__()
        self.stem = nn.Sequential(_conv_bn(48, fine, 1), _conv_bn(fine, fine, 3, groups=fine))
        self.s8 = nn.Sequential(SepConv(fine, 64, 2), SepConv(64, 64), SepConv(64, 64))
        self.s16 = nn.Sequential(SepConv(64, 96, 2), SepConv(96, 96), SepConv(96, 96))
        self.s32 = nn.Sequential(SepConv(96, 128, 2), SepConv(128, 128), SepConv(128, 128))
        self.lat = nn.ModuleList([_conv_bn(c, width, 1) for c in (64, 96, 128)])  # /8 /16 /32
        self.smooth = nn.ModuleList([SepConv(width, width) for _ in range(2)])
        self.down = _conv_bn(width, fine, 1)  # /8 -> channels of /4, before upsampling
        self.fine = SepConv(fine, fine)
        self.heatmap = nn.Conv2d(fine, num_classes + 1, 1)
        self.size = nn.Conv2d(fine, 2, 1)
        self.offset = nn.Conv2d(fine, 2, 1)
        bias = self.heatmap.bias
        assert bias is not None
        nn.init.constant_(bias, -math.log((1 - 0.01) / 0.01))  # start near "nothing here"

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        f4 = self.stem(F.pixel_unshuffle(x - 0.5, 4))
        f8 = self.s8(f4)
        f16 = self.s16(f8)
        f32 = self.s32(f16)
        feats = [lat(f) for lat, f in zip(self.lat, (f8, f16, f32), strict=True)]
        top = feats[2]
        for level in (1, 0):
            top = F.interpolate(top, size=feats[level].shape[-2:], mode="nearest")
            top = self.smooth[level](feats[level] + top)
        top = F.interpolate(self.down(top), size=f4.shape[-2:], mode="nearest")
        y = self.fine(f4 + top)
        return torch.sigmoid(self.heatmap(y)), self.size(y), torch.sigmoid(self.offset(y))
