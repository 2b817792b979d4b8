"""A small CNN for the series' 64-px images: the fair from-scratch contender of notebook 08.

Training the 50-layer ResNet from random weights on a few labelled images is a weak baseline: it has far more
weights than the images can pin down. A network of the size people train from scratch on small images is the
fairer contender for "how many labels does transfer learning save":

    conv 3x3, stride 2 (64 -> 32 px), BatchNorm, ReLU, max-pool (-> 16 px)
    conv 3x3, BatchNorm, ReLU, max-pool (-> 8 px)
    conv 3x3, BatchNorm, ReLU, global average pooling, linear head ``fc``

32, 64 and 128 channels: about 95 thousand weights (the bundled quarter-width ResNet-50: 1.5 million). The first
convolution strides by 2 because the images are 28-px Fashion-MNIST pictures scaled up to 64 px: nothing finer
than 2 pixels is there to see. Its learning rate is tuned on validation images in notebook 08
(``label_efficiency.tune_lr``).
"""
from __future__ import annotations

from torch import Tensor, nn

from .resnet import conv3x3

#: Channels of the three convolutions.
SMALL_CNN_WIDTHS: tuple[int, int, int] = (32, 64, 128)


class SmallCNN(nn.Module):
    """Three convolutions with BatchNorm and a linear head ``fc`` (module docstring)."""

    def __init__(self, num_classes: int = 10, widths: tuple[int, int, int] = SMALL_CNN_WIDTHS) -> None:
        super().__init__()
        c1, c2, c3 = widths
        self.conv1 = conv3x3(3, c1, stride=2)
        self.bn1 = nn.BatchNorm2d(c1)
        self.conv2 = conv3x3(c1, c2)
        self.bn2 = nn.BatchNorm2d(c2)
        self.conv3 = conv3x3(c2, c3)
        self.bn3 = nn.BatchNorm2d(c3)
        self.relu = nn.ReLU(inplace=True)
        self.pool = nn.MaxPool2d(2)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(c3, num_classes)

    def forward(self, x: Tensor) -> Tensor:
        out = self.conv1(x)
        out = self.bn1(out)
        out = self.relu(out)
        out = self.pool(out)

        out = self.conv2(out)
        out = self.bn2(out)
        out = self.relu(out)
        out = self.pool(out)

        out = self.conv3(out)
        out = self.bn3(out)
        out = self.relu(out)

        out = self.avgpool(out)
        out = out.flatten(1)
        return self.fc(out)
