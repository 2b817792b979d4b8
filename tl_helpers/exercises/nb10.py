"""Checkers of notebook 10's "Try it yourself": repair a broken dataset folder; read a layout error."""
from __future__ import annotations

import tempfile
from pathlib import Path

from PIL import Image

from . import exercise
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
    try:
        scans = {split: scan_image_folder(root / split, verbose=False) for split in ("train", "test")}
    except DatasetLayoutError as err:
        return f"the folder is not a valid dataset yet: {err} Hint: read the message, it says what to change."
    if scans["train"].classes != scans["test"].classes:
        return (f"train/ has classes {scans['train'].classes}, test/ has {scans['test'].classes}. Hint: every "
                "split needs the same class folders.")
    found = {p.name: scans["train"].classes[c] for p, c in scans["train"].samples}
    if set(found) != names:
        return (f"train/ should still hold all {len(names)} images; missing {sorted(names - set(found))}. Hint: move "
                "the images, do not delete them.")
    wrong = sorted(n for n, c in found.items() if not n.startswith(c + "_"))
    if wrong:
        return f"{wrong} are in the wrong class folder. Hint: the file names say which class each image shows."
    return None


@exercise("10.1", "make this folder a valid dataset")
def check_fix(fix) -> str | None:
    if not callable(fix):
        return "give a function fix(root) that repairs the folder in place. Hint: def fix(root): ..."
    with tempfile.TemporaryDirectory() as tmp:
        root = broken_dataset(Path(tmp) / "broken")
        names = {p.name for p in (root / "train").glob("*.png")}
        try:
            fix(root)
        except Exception as err:
            return (f"your fix raised {type(err).__name__}: {err}. Hint: Path.mkdir, shutil.move and Path.rmdir "
                    "are all you need; list the folder with sorted(root.rglob('*')) to see it.")
        return _problems(root, names)


#: Exercise 10.2's choices: what does the error for an empty class folder tell you to do?
EMPTY_CLASS_CHOICES = {
    "a": "rename the folder",
    "b": "add images to it or delete the folder",
    "c": "convert the images to RGB",
    "d": "move the images into train/",
}


@exercise("10.2", "what does the error say when a class folder is empty?")
def check_empty_class_message(choice) -> str | None:
    if choice not in EMPTY_CLASS_CHOICES:
        return f"answer with one letter of {sorted(EMPTY_CLASS_CHOICES)}. Hint: choice = \"a\""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "cat").mkdir()
        (Path(tmp) / "dog").mkdir()
        Image.new("L", (8, 8)).save(Path(tmp) / "cat" / "1.png")
        try:
            scan_image_folder(tmp, verbose=False)
            return "the checker found no error; please report this. Hint: none"
        except DatasetLayoutError as err:
            message = str(err).lower()
    if EMPTY_CLASS_CHOICES[choice] not in message:
        return ("that is not what the message asks for. Hint: run the empty-folder cell above "
                "(or tl.scan_image_folder on such a folder) and read the last sentence of the error.")
    return None
