"""Reference answers to notebook 08's auto-checked exercises (try first, then look)."""

import torch

import tl_helpers as tl
from tl_helpers.exercises import judgement as _judgement
from tl_helpers.exercises import nb08 as _checks

SOLUTIONS = {}
WRONG = {}


# 08.1: the diagonal (right answers per true class) over the row sums (test images per true class).
def per_class(cm):
    return cm.diag().float() / cm.sum(1).float()


SOLUTIONS["08.1"] = per_class
WRONG["08.1"] = [lambda cm: cm.diag().float() / cm.sum(0).float(),     # column sums: precision, not accuracy
                 lambda cm: cm.diag(),                                    # counts
                 lambda cm: cm.diag().float() / cm.sum().float(),         # over all images
                 lambda cm: (cm.diag().float() / cm.sum(1).float()).mean()]


# 08.2: in the notebook, most_confused = the largest off-diagonal cell of cm's shirt row. The checker reads only
# confusion matrices of the whole test set (rows add up to each class's test images) or the model itself. Here, a
# matrix built so that test shirts are most often taken for T-shirts/tops and pullovers for shirts.
def _example_cm():
    classes = ["ankle_boot", "bag", "coat", "dress", "pullover", "sandal", "shirt", "sneaker", "trouser", "tshirt_top"]
    cm = torch.eye(10, dtype=torch.long) * 80 + 2            # 100 test images per class, as in the test set
    shirt, pullover = classes.index("shirt"), classes.index("pullover")
    cm[shirt, classes.index("tshirt_top")] = 15
    cm[shirt, classes.index("coat")] = 9
    cm[shirt, shirt] -= 13 + 7                               # each row still adds up to the class's test images
    cm[pullover, shirt] = 20
    cm[pullover, pullover] -= 18
    return cm


SOLUTIONS["08.2"] = ("tshirt_top", _example_cm())
WRONG["08.2"] = [("shirt", _example_cm()), ("pullover", _example_cm()), ("coat", _example_cm()),
                 ("T-shirt/top", torch.eye(10, dtype=torch.long)), ("tshirt_top", _example_cm()[:5, :5]), "coat"]


# 08.3: a choice made on validation data, as sure as the noise between seeds allows. The notebook's arms give each
# schedule's validation accuracy per seed: val_accs("two-stage (baseline)") and val_accs("one stage, discriminative
# lrs"). The schedule with the better mean is always defensible; the other one too when the seed-by-seed 95 %
# interval of their difference reaches 0.
# The rule, in tl_helpers/exercises/judgement.py: best_choice (highest mean validation accuracy) and within_noise
# (every choice whose seed-by-seed 95 % interval of best minus it reaches 0, tl.paired_interval).
choose_schedule, defensible = _judgement.best_choice, _judgement.within_noise


_val = _checks.measure_schedules()      # the checker trains both arms itself: {schedule: validation accuracy per seed}
SOLUTIONS["08.3"] = choose_schedule(_val)
WRONG["08.3"] = [k for k in _val if k not in defensible(_val)] + ["three-stage", True, ("two-stage", "one-stage")]
