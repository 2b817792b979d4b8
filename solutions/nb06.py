"""Reference answers to notebook 06's exercises (try first; ``tl.check`` gives hints)."""

SOLUTIONS = {
    "06.1": 1 + 3 * (3 + 4 + 23 + 3) + 1,     # 101
    "06.2": "layer4",
}
WRONG = {
    "06.1": [105, 100, 99],
    "06.2": ["layer3", "fc", "conv4_x"],
}
