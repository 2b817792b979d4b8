"""Reference answers to notebook 01's auto-checked exercises (try first; look here on purpose)."""
from torch import nn


def new_head(model):
    """A new, randomly initialised head for 7 classes on the features that reach fc."""
    model.fc = nn.Linear(model.fc.in_features, 7)
    return model


def _imagenet_habit(model):          # the full-width ResNet-50's 2048 features, not this backbone's
    model.fc = nn.Linear(2048, 7)
    return model


def _ten_classes(model):             # the target task's 10 classes, not 7
    model.fc = nn.Linear(model.fc.in_features, 10)
    return model


SOLUTIONS = {"01.1": "layer3", "01.2": new_head, "01.3": 2048 * 10 + 10}
WRONG = {
    "01.1": ["layer4", "stem", "fc", 4],
    "01.2": [_imagenet_habit, _ten_classes, nn.Linear(512, 7)],
    "01.3": [2048 * 10, 512 * 10 + 10, 2048 * 1000 + 1000],
}
