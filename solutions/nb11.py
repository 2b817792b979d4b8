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


# 11.6: same or scaled learning rate for a 4x larger batch with Adam, judged on validation seed by seed. The one
# with the best mean is always defensible; so is the other when the 95 % interval of (best minus it) reaches 0.
from tl_helpers.exercises import judgement as _judgement
from tl_helpers.exercises import nb11 as _checks

_val = _checks.measure_batch_lr()     # {"same" / "scaled": best validation accuracy per seed}, measured by the checker
SOLUTIONS["11.6"] = _judgement.best_choice(_val)
WRONG["11.6"] = [s for s in _val if s not in _judgement.within_noise(_val)] + ["double", 4, True]
