"""Reference answers to notebook 08's auto-checked exercises (try first, then look)."""
import torch

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


# 08.2: in the notebook, most_confused = the largest off-diagonal cell of cm's shirt row. Here, a matrix built so
# that test shirts are most often taken for T-shirts/tops and pullovers are most often taken for shirts.
def _example_cm():
    classes = ["ankle_boot", "bag", "coat", "dress", "pullover", "sandal", "shirt", "sneaker", "trouser", "tshirt_top"]
    cm = torch.eye(10, dtype=torch.long) * 80 + 2
    shirt = classes.index("shirt")
    cm[shirt, classes.index("tshirt_top")] = 15
    cm[shirt, classes.index("coat")] = 9
    cm[classes.index("pullover"), shirt] = 20
    return cm


SOLUTIONS["08.2"] = ("tshirt_top", _example_cm())
WRONG["08.2"] = [("shirt", _example_cm()), ("pullover", _example_cm()), ("coat", _example_cm()),
                 ("T-shirt/top", torch.eye(10, dtype=torch.long)), ("tshirt_top", _example_cm()[:5, :5]), "coat"]
