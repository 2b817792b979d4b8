"""Checkers of notebook 08's "Try it yourself" (evaluate and improve)."""
from __future__ import annotations

from functools import lru_cache

import torch
from torch import nn

from . import exercise, judgement
from ..i18n import N_, tr
from .answers import NotYet, choice, text
from .guard import call, is_stub
from ..data import bundled_dataset_dir, make_loader
from ..engine import predict
from ..fashion import folder_name
from ..plots import confusion_matrix


def _random_confusion_matrices() -> list[torch.Tensor]:
    gen = torch.Generator().manual_seed(0)
    sizes = (3, 5, 10)
    return [torch.randint(1, 60, (k, k), generator=gen) + torch.diag(torch.randint(0, 200, (k,), generator=gen))
            for k in sizes]


def _per_class_problem(got, cm: torch.Tensor) -> str | None:
    """What is off with the learner's per-class accuracies ``got`` for ``cm`` (None when right)."""
    right = cm.diag().float() / cm.sum(1).float()
    try:
        got = torch.as_tensor(got, dtype=torch.float32).flatten()
    except (TypeError, ValueError, RuntimeError):
        return tr("your function should return a tensor (or list) of numbers, one accuracy per class.")
    if got.shape != right.shape:
        n = got.numel()
        return (tr("for a {k}x{k} matrix you return {n} value, not one per class.", k=len(cm), n=n) if n == 1 else
                tr("for a {k}x{k} matrix you return {n} values, not one per class.", k=len(cm), n=n))
    if torch.allclose(got, cm.diag().float() / cm.sum(0).float(), atol=1e-4):
        return tr("you divide by the column sums, but columns are predictions, not true classes.")
    if torch.allclose(got, cm.diag().float(), atol=1e-4):
        return tr("these are counts, not fractions.")
    return None if torch.allclose(got, right, atol=1e-4) else tr("the values are off.")


@exercise("08.1", "per-class accuracy from a confusion matrix", asks="function", hints=(
    "a class's accuracy is the fraction of its test images that the model got right. In cm, row i holds the "
    "test images whose true class is i, spread over the predicted classes.",
    "the right answers of class i sit where the true and the predicted class agree, on the diagonal; the "
    "number of test images of class i is its whole row.",
    "worked step: take the diagonal (cm.diag()) as floats and divide it element by element by the sums along "
    "the right dimension of cm; the result has one value per class."))
def per_class_from_confusion(answer) -> str | None:
    if not callable(answer) or isinstance(answer, nn.Module):
        raise NotYet(tr("give a function per_class(cm), written with def, returning one accuracy per class."))
    if is_stub(answer):
        raise NotYet(tr("the body of your function is not written yet (it is still ...)."))
    for cm in _random_confusion_matrices():
        problem = _per_class_problem(call(answer, cm.clone()), cm)
        if problem:
            return problem
    return None


def _bundled_classes() -> list[str]:
    return sorted(p.name for p in (bundled_dataset_dir() / "test").iterdir() if p.is_dir())


@lru_cache(maxsize=1)
def _test_images_per_class() -> torch.Tensor:
    """How many test images each class has, counted in the dataset's folders by the checker itself."""
    test = bundled_dataset_dir() / "test"
    return torch.tensor([sum(1 for f in (test / c).iterdir() if f.is_file()) for c in _bundled_classes()])


def _model_confusion(model: nn.Module) -> torch.Tensor:
    """The confusion matrix of ``model`` on the bundled test set, computed by the checker."""
    from ..experiments import load_task         # the notebook's task: the same test images and transforms
    task = load_task("bundled", verbose=False)
    with torch.no_grad():
        preds, _, targets = predict(model, make_loader(task.test_ds, 250))
    return confusion_matrix(preds, targets, len(task.classes))


def _confusion(cm) -> torch.Tensor:
    """``cm`` as a confusion matrix of the bundled test set, checked against the test set itself."""
    if isinstance(cm, nn.Module):
        return _model_confusion(cm)
    n = len(_bundled_classes())
    try:
        cm = torch.as_tensor(cm)
    except (TypeError, ValueError, RuntimeError):
        raise NotYet(tr("the second item is not a matrix: pass (class name, cm) with the notebook's cm.")) from None
    if cm.shape != (n, n):
        raise NotYet(tr("cm should be {n}x{n}, one row per class: pass the notebook's cm.", n=n))
    if cm.is_floating_point() or cm.dtype == torch.bool or (cm < 0).any():
        raise NotYet(tr("cm should hold counts of test images (whole numbers), as tl.confusion_matrix gives them."))
    if not torch.equal(cm.sum(1).cpu(), _test_images_per_class()):
        raise NotYet(tr("cm's rows do not add up to the test images of each class: pass the confusion matrix of the "
                        "whole test set (the notebook's cm), or the model itself (baseline.model)."))
    return cm


@exercise("08.2", "the class the test shirts are most often mistaken for (read from the matrix you pass)", hints=(
    "in a confusion matrix, row i holds the test images whose true class is i; a mistake is any cell off the "
    "diagonal.",
    "find the row of shirt (its index in task.classes) and ignore its diagonal cell, the right answers.",
    "worked step: copy the shirt row, set its own (diagonal) cell aside, e.g. to -1, and find the column of the "
    "largest remaining count; that column's name in task.classes is the class the shirts are taken for."))
def most_confused_with_shirt(answer) -> str | None:
    if not (isinstance(answer, (tuple, list)) and len(answer) == 2):
        raise NotYet(tr('pass a pair (class name, cm): tl.check("08.2", (most_confused, cm)).'))
    name, cm = answer
    cm, classes = _confusion(cm), _bundled_classes()
    given = folder_name(text(name))
    shirt = classes.index("shirt")
    row, col = cm[shirt].clone(), cm[:, shirt].clone()
    row[shirt] = col[shirt] = -1
    if given == classes[int(row.argmax())]:
        return None
    if given == "shirt":
        return tr("that is the diagonal: shirts taken for shirts are right answers.")
    if given not in classes:
        return tr("{name!r} is not one of the classes in task.classes.", name=name)
    if given == classes[int(col.argmax())]:
        return tr("that class is most often mistaken *for* a shirt (the shirt column), not the other way round.")
    return tr("the shirt row has more mistakes elsewhere than in {given!r}.", given=given)


#: 08.3: the names a learner may give each schedule (case, spaces and hyphens do not count), with the notebook's.
SCHEDULE_NAMES = {"two-stage": "two-stage", "two stages": "two-stage", "2-stage": "two-stage",
                  "head first": "two-stage", "head first, then layer4": "two-stage",
                  "two-stage (baseline)": "two-stage", "one-stage": "one-stage", "1-stage": "one-stage",
                  "single stage": "one-stage", "together": "one-stage", "layer4 and head together": "one-stage",
                  "one stage, discriminative lrs": "one-stage",
                  # the names the Korean edition (notebooks/ko/) gives them
                  "2단계": "two-stage", "두 단계": "two-stage", "헤드 먼저": "two-stage",
                  "1단계": "one-stage", "한 단계": "one-stage", "함께": "one-stage"}


@lru_cache(maxsize=1)
def measure_schedules() -> dict[str, tuple[float, ...]]:
    """Validation accuracy per schedule and seed: notebook 08's two arms, trained by the checker itself, once.

    Both fine-tune layer4 and the head (at ``HEAD_LR``) with the same number of optimiser steps, each run at its
    best validation epoch: two-stage trains the head alone first (``HEAD_EPOCHS``), then both for
    ``2 * NET_EPOCHS``; one stage trains both from the start for ``HEAD_EPOCHS + 2 * NET_EPOCHS``.
    """
    from ..experiments import load_task, train_seeds
    from ..recipe import HEAD_EPOCHS, HEAD_LR, NET_EPOCHS
    task = load_task("bundled", verbose=False)
    recipe = {"unfreeze_from": "layer4", "head_lr": HEAD_LR, "select": "val", "progress": False}
    return judgement.measure(lambda: {
        "two-stage": train_seeds(task, "finetune", judgement.SEEDS, num_epochs=2 * NET_EPOCHS, **recipe),
        "one-stage": train_seeds(task, "finetune", judgement.SEEDS, head_first=False,
                                 num_epochs=HEAD_EPOCHS + 2 * NET_EPOCHS, **recipe)})


@exercise("08.3", "head first or all together for layer4 + head, judged on validation accuracy", hints=(
    "both schedules get the same number of optimiser steps, so the question is only which one validation "
    "prefers beyond the noise between seeds: a schedule is a good pick when the other is not detectably better, "
    "seed by seed (a 95 % interval of the difference that stays above 0). The test images decide nothing here.",
    "in the comparison table, the row 'layer4 waits: validation at the best epoch' is the seed-by-seed change of "
    "validation accuracy from training both together to training the head first, with its 95 % interval.",
    "worked step: if that interval contains 0, validation cannot tell the schedules apart and either is "
    "defensible; if it lies wholly above 0, pick the schedule whose accuracy comes first in the difference; if "
    "wholly below, the other one. The checker trains both arms itself (the first check takes a while)."))
def schedule_choice(answer) -> str | None:
    schedule = choice(answer, SCHEDULE_NAMES, N_("'two-stage' (head first) or 'one-stage' (together)"))
    if judgement.detectably_worse(schedule, measure_schedules()):
        return tr("on validation, that schedule is detectably below the other one: the seed-by-seed 95 % interval "
                  "of the other's validation accuracy minus its lies above 0.")
    return None
