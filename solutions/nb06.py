"""Reference answers to notebook 06's exercises (try first; ``tl.check`` gives hints)."""

SOLUTIONS = {
    "06.1": 1 + 3 * (3 + 4 + 23 + 3) + 1,     # 101
    "06.2": "layer4",
}
WRONG = {
    "06.1": [105, 100, 99],
    "06.2": ["layer3", "fc", "conv4_x"],
}


# 06.4: a choice made on validation data, as sure as its noise allows. A linear probe per stage, trained on the
# training images and scored on the validation images, gives 1 or 0 per validation image (.hits()); the stage with
# the best mean is always defensible, and so is any whose image-by-image 95 % interval of (best minus it) reaches 0.
from tl_helpers.exercises import judgement as _judgement
from tl_helpers.exercises import nb06 as _checks

_hits = _checks.measure_cut()      # {stage: hits on the validation images}, measured by the checker itself
SOLUTIONS["06.4"] = _judgement.best_choice(_hits)
WRONG["06.4"] = [s for s in _hits if s not in _judgement.within_noise(_hits)] + ["stem", 4, "conv9_x"]
