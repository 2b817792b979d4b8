"""Notebook 11: reference answers to the auto-checked exercises (try first: tl.check tells you at once)."""
SOLUTIONS = {
    "11.1": 8,          # 64 / 8 processes
    "11.2": 0.4,        # the global batch grew from 256 to 1,024: 4x the learning rate
    "11.3": 334,        # 1,000 padded to 1,002 = 3 x 334
}
WRONG = {
    "11.1": [64, 512, 4],
    "11.2": [0.1, 0.025, 0.2],
    "11.3": [333, 1000, 332],
}
