"""Checkers of notebook 10's "Try it yourself": repair a broken dataset folder; read a layout error."""
from __future__ import annotations

import tempfile
from pathlib import Path

from PIL import Image

from . import exercise
from .answers import NotYet, text
from .guard import call, is_stub
from ..data import DatasetLayoutError, scan_image_folder


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
        return f"the folder is not a valid dataset yet: {err} (the message says what to change)."
    if scans["train"].classes != scans["test"].classes:
        return (f"train/ has classes {scans['train'].classes}, test/ has {scans['test'].classes}: every split "
                "needs the same class folders.")
    found = {p.name: scans["train"].classes[c] for p, c in scans["train"].samples}
    if set(found) != names:
        return (f"train/ should still hold all {len(names)} images; missing {sorted(names - set(found))}: the "
                "images are to be moved, not deleted.")
    wrong = sorted(n for n, c in found.items() if not n.startswith(c + "_"))
    if wrong:
        return f"{wrong} are in the wrong class folder (the file names say which class each image shows)."
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
        raise NotYet("give a function fix(root), written with def, that repairs the folder in place.")
    if is_stub(fix):
        raise NotYet("the body of your function is not written yet (it is still ...).")
    with tempfile.TemporaryDirectory() as tmp:
        root = broken_dataset(Path(tmp) / "broken")
        names = {p.name for p in (root / "train").glob("*.png")}
        call(fix, root)
        return _problems(root, names)


#: Exercise 10.2's choices: what does the error for an empty class folder tell you to do?
EMPTY_CLASS_CHOICES = {
    "a": "rename the folder",
    "b": "add images to it or delete the folder",
    "c": "convert the images to RGB",
    "d": "move the images into train/",
}


def _choice(answer) -> str:
    """A letter of ``EMPTY_CLASS_CHOICES`` from ``"b"``, ``" B"``, ``"(b)"`` or the choice's own words."""
    given = text(answer).rstrip(").")
    by_words = {text(words).rstrip("."): letter for letter, words in EMPTY_CLASS_CHOICES.items()}
    given = by_words.get(given, given)
    if given not in EMPTY_CLASS_CHOICES:
        raise NotYet(f"{answer!r} is not one of the choices: answer with one letter, "
                     f"{', '.join(EMPTY_CLASS_CHOICES)}, as a string.")
    return given


@exercise("10.2", "what does the error say when a class folder is empty?", hints=(
    "an empty class folder would give a class without a single training example; the error says how to get "
    "out of that.",
    "run the empty-folder cell above (or tl.scan_image_folder on a folder with an empty class) and read the last "
    "sentence of the error.",
    "worked step: make a folder with two class folders, put one image in one of them, call "
    "tl.scan_image_folder on it, and compare the error's advice with the four choices word by word."))
def check_empty_class_message(answer) -> str | None:
    choice = _choice(answer)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "cat").mkdir()
        (Path(tmp) / "dog").mkdir()
        Image.new("L", (8, 8)).save(Path(tmp) / "cat" / "1.png")
        try:
            scan_image_folder(tmp, verbose=False)
            raise RuntimeError("an empty class folder raised no error")
        except DatasetLayoutError as err:
            message = str(err).lower()
    if EMPTY_CLASS_CHOICES[choice] not in message:
        return "that is not what the message asks for."
    return None
