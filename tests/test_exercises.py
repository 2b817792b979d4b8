"""Every auto-checked exercise: its checker accepts the reference solution, rejects each plausible wrong
answer with a hint, and treats a blank answer as "not attempted yet" (so notebooks run with blanks)."""
import importlib
import re
from pathlib import Path

import pytest

import tl_helpers as tl

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = tl.exercises()


def _solutions(exercise_id: str):
    module = importlib.import_module(f"solutions.nb{exercise_id.split('.')[0]}")
    return module.SOLUTIONS[exercise_id], module.WRONG[exercise_id]


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_checker_accepts_solution_and_rejects_wrong_answers(exercise_id, capsys):
    solution, wrong = _solutions(exercise_id)
    assert tl.check(exercise_id, solution).passed is True
    assert wrong, f"{exercise_id}: no wrong answer to test the checker with"
    for answer in wrong:
        result = tl.check(exercise_id, answer)
        assert result.passed is False and "hint" in result.message.lower(), (exercise_id, answer, result.message)
    blank = tl.check(exercise_id, None)
    assert blank.passed is None and "not attempted yet" in blank.message
    assert "not attempted yet" in capsys.readouterr().out


def test_ids_are_stable_and_listed_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    listed = set(re.findall(r"`(\d\d\.\d+)`", readme))
    assert set(EXERCISES) <= listed, f"exercises missing from the README: {sorted(set(EXERCISES) - listed)}"
    assert all(re.fullmatch(r"\d\d\.\d+", k) for k in EXERCISES)
def test_every_notebook_has_a_try_it_yourself_section_with_checked_exercises():
    import json
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        number = nb.name[:2]
        if number == "00":
            continue
        cells = json.loads(nb.read_text())["cells"]
        text = "\n".join("".join(c["source"]) for c in cells)
        assert re.search(r"^#+ Try it yourself", text, re.M), f"{nb.name}: no 'Try it yourself' section"
        ids = {k for k in EXERCISES if k.startswith(number + ".")}
        assert len(ids) >= 2, f"{nb.name}: fewer than 2 auto-checked exercises"
        for k in ids:
            assert f'tl.check("{k}"' in text, f"{nb.name}: exercise {k} is never checked in the notebook"
