"""Reference answers to notebook 04's exercises (try first; ``tl.check`` gives hints)."""
from torch import nn

import tl_helpers as tl

SOLUTIONS = {
    "04.1": (57 + 2 * 1 - 3) // 2 + 1,                                              # 29
    "04.2": nn.Sequential(tl.conv1x1(512, 1024, stride=2), nn.BatchNorm2d(1024)),   # option B, as in ResNet-50
    "04.3": 80,
}
WRONG = {
    "04.1": [28, 28.5, 27],
    "04.2": [nn.Identity(), tl.conv1x1(512, 1024), nn.Sequential(tl.conv1x1(512, 512, stride=2)), "conv1x1"],
    "04.3": [96, 64, 32],
}
