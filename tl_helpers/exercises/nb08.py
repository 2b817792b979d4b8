"""Checkers of notebook 08's "Try it yourself" (evaluate and improve)."""
from __future__ import annotations

import torch

from ..data import bundled_dataset_dir
from ..fashion import folder_name
from . import exercise


def _random_confusion_matrices() -> list[torch.Tensor]:
    gen = torch.Generator().manual_seed(0)
    sizes = (3, 5, 10)
    return [torch.randint(1, 60, (k, k), generator=gen) + torch.diag(torch.randint(0, 200, (k,), generator=gen))
            for k in sizes]


@exercise("08.1", "per-class accuracy from a confusion matrix")
def per_class_from_confusion(answer) -> str | None:
    if not callable(answer):
        return "give a function per_class(cm). Hint: def per_class(cm): ... returning one accuracy per class."
    for cm in _random_confusion_matrices():
        right = cm.diag().float() / cm.sum(1).float()
        got = answer(cm.clone())
        try:
            got = torch.as_tensor(got, dtype=torch.float32).flatten()
        except (TypeError, ValueError, RuntimeError):
            return "return a tensor (or list) of numbers. Hint: one accuracy per class, one class per row."
        if got.shape != right.shape:
            n = got.numel()
            return f"for a {len(cm)}x{len(cm)} matrix you return {n} value{'s' * (n != 1)}. Hint: one per class."
        if torch.allclose(got, cm.diag().float() / cm.sum(0).float(), atol=1e-4):
            return "you divide by the column sums. Hint: rows are the true classes; columns are predictions."
        if torch.allclose(got, cm.diag().float(), atol=1e-4):
            return "these are counts, not fractions. Hint: divide by the number of test images of each class."
        if not torch.allclose(got, right, atol=1e-4):
            return "the values are off. Hint: the diagonal holds the right answers of each true class."
    return None


def _bundled_classes() -> list[str]:
    return sorted(p.name for p in (bundled_dataset_dir() / "test").iterdir() if p.is_dir())


@exercise("08.2", "the class the test shirts are most often mistaken for (read from the matrix you pass)")
def most_confused_with_shirt(answer) -> str | None:
    try:
        name, cm = answer
        cm = torch.as_tensor(cm)
    except (TypeError, ValueError):
        return "pass (class name, cm). Hint: tl.check(\"08.2\", (most_confused, cm))."
    classes = _bundled_classes()
    if cm.shape != (len(classes), len(classes)):
        return f"cm should be {len(classes)}x{len(classes)}, one row per class. Hint: pass the notebook's cm."
    shirt = classes.index("shirt")
    row = cm[shirt].clone()
    row[shirt] = -1
    right = classes[int(row.argmax())]
    given = folder_name(str(name))
    if given == right:
        return None
    if given == "shirt":
        return "that is the diagonal: shirts taken for shirts are right answers. Hint: look off the diagonal."
    col = cm[:, shirt].clone()
    col[shirt] = -1
    if given == classes[int(col.argmax())] and given != right:
        return "that class is most often mistaken *for* a shirt (the column). Hint: read the shirt row."
    if given not in classes:
        return f"{name!r} is not a class here. Hint: pick one of task.classes."
    return f"the shirt row has more mistakes elsewhere than in {given!r}. Hint: take the largest off-diagonal cell."
