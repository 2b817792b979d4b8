"""Checkers of notebook 10's "Try it yourself": repair a broken dataset folder; read a layout error."""
from __future__ import annotations

import tempfile
from pathlib import Path

from PIL import Image

from functools import lru_cache
from types import SimpleNamespace

from . import exercise, judgement
from ..i18n import N_, language, set_language, tr
from .answers import NotYet, count, text
from .guard import call, is_stub
from ..data import DatasetLayoutError, scan_image_folder
from ..experiments import load_task, train_seeds


def broken_dataset(root: str | Path) -> Path:
    """Write exercise 10.1's broken folder: images loose in ``train/``, an empty class folder, a note file.

    ``test/`` is fine (``cat/`` and ``dog/``); each image's file name starts with its class.
    """
    root = Path(root)
    for split, names in (("train", ()), ("test", ("cat", "dog"))):
        for name in names:
            (root / split / name).mkdir(parents=True, exist_ok=True)
    (root / "train" / "bird").mkdir(parents=True)                     # a class folder without images
    for name, gray in (("cat", 60), ("dog", 200)):
        for i in range(3):
            Image.new("L", (8, 8), gray).save(root / "train" / f"{name}_{i}.png")   # loose, no class folder
        Image.new("L", (8, 8), gray).save(root / "test" / name / f"{name}_9.png")
    (root / "train" / "notes.txt").write_text("labels: cat, dog")
    return root


def _problems(root: Path, names: set[str]) -> str | None:
    """What is still wrong with the repaired folder ``root`` that held the images ``names`` (None when fine)."""
    try:
        scans = {split: scan_image_folder(root / split, verbose=False) for split in ("train", "test")}
    except DatasetLayoutError as err:
        return tr("the folder is not a valid dataset yet: {error} (the message says what to change).", error=err)
    if scans["train"].classes != scans["test"].classes:
        return tr("train/ has classes {train}, test/ has {test}: every split needs the same class folders.",
                  train=scans["train"].classes, test=scans["test"].classes)
    found = {p.name: scans["train"].classes[c] for p, c in scans["train"].samples}
    if set(found) != names:
        return tr("train/ should still hold all {n} images; missing {missing}: the images are to be moved, not "
                  "deleted.", n=len(names), missing=sorted(names - set(found)))
    wrong = sorted(n for n, c in found.items() if not n.startswith(c + "_"))
    if wrong:
        return tr("{wrong} are in the wrong class folder (the file names say which class each image shows).",
                  wrong=wrong)
    return None


@exercise("10.1", "make this folder a valid dataset", asks="function", hints=(
    "a dataset folder has one subfolder per class in each split, each holding at least one image; the class of "
    "an image is the folder it sits in.",
    "list the broken folder (sorted(root.rglob('*'))): which images have no class folder, which folder is empty, "
    "which file is not an image? The start of each file name says the class.",
    "worked step: for each loose image in train/, make the folder named after the start of its file name "
    "(Path.mkdir with exist_ok=True) and move the image into it (shutil.move); then remove the empty folder "
    "(Path.rmdir). Delete no image."))
def check_fix(fix) -> str | None:
    if not callable(fix):
        raise NotYet(tr("give a function fix(root), written with def, that repairs the folder in place."))
    if is_stub(fix):
        raise NotYet(tr("the body of your function is not written yet (it is still ...)."))
    with tempfile.TemporaryDirectory() as tmp:
        root = broken_dataset(Path(tmp) / "broken")
        names = {p.name for p in (root / "train").glob("*.png")}
        call(fix, root)
        return _problems(root, names)


#: Exercise 10.2's choices: what does the error for an empty class folder tell you to do? (The English words are
#: compared with the English error; a learner may also answer with their translation.)
EMPTY_CLASS_CHOICES = {
    "a": N_("rename the folder"),
    "b": N_("add images to it or delete the folder"),
    "c": N_("convert the images to RGB"),
    "d": N_("move the images into train/"),
}


def _choice(answer) -> str:
    """A letter of ``EMPTY_CLASS_CHOICES`` from ``"b"``, ``" B"``, ``"(b)"`` or the choice's own words (English
    or the active language's)."""
    given = text(answer).rstrip(").")
    by_words = {text(shown).rstrip("."): letter for letter, words in EMPTY_CLASS_CHOICES.items()
                for shown in (words, tr(words))}
    given = by_words.get(given, given)
    if given not in EMPTY_CLASS_CHOICES:
        raise NotYet(tr("{answer!r} is not one of the choices: answer with one letter, {letters}, as a string.",
                        answer=answer, letters=", ".join(EMPTY_CLASS_CHOICES)))
    return given


def _empty_class_error() -> str:
    """The error ``scan_image_folder`` raises for a folder with an empty class, in English (the choices' words)."""
    spoken = language()
    set_language("en")
    try:
        with tempfile.TemporaryDirectory() as tmp:
            (Path(tmp) / "cat").mkdir()
            (Path(tmp) / "dog").mkdir()
            Image.new("L", (8, 8)).save(Path(tmp) / "cat" / "1.png")
            try:
                scan_image_folder(tmp, verbose=False)
            except DatasetLayoutError as err:
                return str(err).lower()
    finally:
        set_language(spoken)
    raise RuntimeError(tr("an empty class folder raised no error"))


@exercise("10.2", "what does the error say when a class folder is empty?", hints=(
    "an empty class folder would give a class without a single training example; the error says how to get "
    "out of that.",
    "run the empty-folder cell above (or tl.scan_image_folder on a folder with an empty class) and read the last "
    "sentence of the error.",
    "worked step: make a folder with two class folders, put one image in one of them, call "
    "tl.scan_image_folder on it, and compare the error's advice with the four choices word by word."))
def check_empty_class_message(answer) -> str | None:
    choice = _choice(answer)
    if EMPTY_CLASS_CHOICES[choice] not in _empty_class_error():
        return tr("that is not what the message asks for.")
    return None


#: 10.4: the head budgets (epochs, last epoch kept) the checker compares, on the bundled task as a stand-in folder.
EPOCH_CHOICES = (10, 30, 90)


@lru_cache(maxsize=1)
def measure_head_epochs() -> dict[int, tuple[float, ...]]:
    """Validation accuracy after 10, 30 and 90 epochs of a new head on the frozen bundled backbone, per seed.

    One 90-epoch run per seed: at a constant learning rate its first n epochs are the n-epoch run, bit for bit.
    """
    task = load_task("bundled", verbose=False)

    def runs():
        results = train_seeds(task, "frozen", judgement.SEEDS, progress=False, num_epochs=max(EPOCH_CHOICES),
                              select="val")
        return {n: [SimpleNamespace(val_acc=r.history["val_acc"][n - 1]) for r in results] for n in EPOCH_CHOICES}
    return judgement.measure(runs)


@exercise("10.4", "how many epochs to train the head, judged on validation", hints=(
    "more epochs cost more time and are only worth it when validation accuracy is detectably higher; a budget is "
    "a good pick when no other budget is detectably better on validation, seed by seed.",
    "train the head with tl.train(task, 'frozen', seed, num_epochs=<the largest budget>, select='val') for "
    "several seeds: its history['val_acc'] holds the validation accuracy after every epoch, so one run gives "
    "all three budgets.",
    "worked step: val = {n: [r.history['val_acc'][n - 1] for r in runs] for n in budgets}; best = the budget "
    "with the highest mean; your budget is defensible when tl.paired_interval(val[best], val[yours])[1] <= 0. "
    "The checker measures the same way (5 seeds) on the bundled images."))
def head_epochs_choice(answer) -> str | None:
    n = count(answer)
    if n not in EPOCH_CHOICES:
        return tr("{n} epochs were not measured: choose one of {choices}.", n=n,
                  choices=", ".join(map(str, EPOCH_CHOICES)))
    if judgement.detectably_worse(n, measure_head_epochs()):
        return tr("on validation, {n} epochs are detectably below another budget: the seed-by-seed 95 % interval "
                  "of that budget's validation accuracy minus yours lies above 0.", n=n)
    return None
