"""Reference answers to notebook 09's auto-checked exercises (try first: tl.check tells you at once)."""
import torch

import tl_helpers as tl


def kept_epoch(val_accs):
    """KeepBest saves only when an epoch beats every earlier one: the first epoch of the maximum, 1-based."""
    return val_accs.index(max(val_accs)) + 1


def top1(checkpoint_path, image_path, preprocess):
    model, classes = tl.load_checkpoint(checkpoint_path)
    return tl.predict_image(model, image_path, preprocess, classes, k=1)[0]


def _last_of_ties(val_accs):
    return len(val_accs) - val_accs[::-1].index(max(val_accs))


def _zero_based(val_accs):
    return val_accs.index(max(val_accs))


def _train_mode(checkpoint_path, image_path, preprocess):      # forgets model.eval()
    model, classes = tl.load_checkpoint(checkpoint_path)
    model.train()
    with torch.no_grad():
        probs = torch.softmax(model(preprocess(tl.load_image(image_path))[None]), 1)[0]
    return classes[probs.argmax().item()], probs.max().item()


def _fresh_model(checkpoint_path, image_path, preprocess):    # builds a model but never loads the file
    torch.manual_seed(0)
    model = tl.resnet18(width=8, num_classes=3)
    return tl.predict_image(model, image_path, preprocess, ["cat", "dog", "fox"], k=1)[0]


def _logits_not_probabilities(checkpoint_path, image_path, preprocess):
    model, classes = tl.load_checkpoint(checkpoint_path)
    model.eval()
    with torch.no_grad():
        logits = model(preprocess(tl.load_image(image_path))[None])[0]
    return classes[logits.argmax().item()], logits.max().item()


SOLUTIONS = {"09.1": kept_epoch, "09.2": top1}
WRONG = {
    "09.1": [_last_of_ties, _zero_based, lambda accs: len(accs), 3],
    "09.2": [_train_mode, _fresh_model, _logits_not_probabilities, "cat"],
}


# 09.4: constant or cosine, judged on validation seed by seed (section 7's comparison). The schedule with the best
# mean is always defensible; so is the other one when the 95 % interval of (best minus it) reaches 0.
from tl_helpers.exercises import judgement as _judgement
from tl_helpers.exercises import nb09 as _checks

_val = _checks.measure_schedules()     # {schedule: validation accuracy per seed}, trained by the checker itself
SOLUTIONS["09.4"] = _judgement.best_choice(_val)
WRONG["09.4"] = [s for s in _val if s not in _judgement.within_noise(_val)] + ["step", 0.5, ["cosine"]]
