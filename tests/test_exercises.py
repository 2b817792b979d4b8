"""Every auto-checked exercise: its checker accepts the reference solution, rejects each plausible wrong
answer with a hint, and treats a blank answer as "not attempted yet" (so notebooks run with blanks)."""
import importlib
import re
import sys
from pathlib import Path

import pytest
import torch

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


# --------------------------------------------------------------------------- the cases of issue 21

from tl_helpers.exercises import _EXERCISES  # noqa: E402
from tl_helpers.exercises import passes as progress_module  # noqa: E402


@pytest.fixture
def progress_file(tmp_path, monkeypatch):
    path = tmp_path / "runs" / "progress.json"
    monkeypatch.setenv("TL_PROGRESS_FILE", str(path))
    return path


@pytest.mark.parametrize("exercise_id, answer, says", [
    ("05.1", [0, 1.33], "correct"), ("01.1", "Layer3", "correct"), ("06.2", "conv5_x", "correct"),
    ("10.2", "b ", "correct"), ("10.2", "B", "correct"), ("04.3", "80px", "correct"), ("03.1", "1,114,112", "correct"),
    ("07.1", "452618.0", "correct"), ("03.2", 1.0276e8, "correct"),
    ("07.1", 5130.4, "a count is a whole number"), ("04.3", 65, "not a slider value"), ("04.3", 64, "too small"),
    ("03.1", [1], "give a number"), ("03.1", "text", "give a number"), ("03.1", True, "give a number"),
    ("03.2", 1e8, "0.5%"), ("02.1", lambda block, x: block(x), "calls the block itself"),
])
def test_issue_21_cases(exercise_id, answer, says):
    result = tl.check(exercise_id, answer, verbose=False)
    assert says in result.message and result.passed is (says == "correct"), result.message


def test_01_2_accepts_the_head_notebook_05_builds():
    def head(model):
        model.fc = torch.nn.Sequential(torch.nn.Dropout(0.3), torch.nn.Linear(model.fc.in_features, 7))
        return model
    assert tl.check("01.2", head, verbose=False).passed


def test_05_2_rejects_an_answer_that_calls_dropout_and_restores_it():
    original = torch.nn.functional.dropout
    result = tl.check("05.2", lambda x, p, training=True: torch.nn.functional.dropout(x, p, training), verbose=False)
    assert not result.passed and "calls PyTorch's dropout" in result.message
    assert torch.nn.functional.dropout is original and "dropout" not in vars(torch._VF)


def test_checks_leave_global_state_and_the_answer_module_as_they_were():
    import random
    import numpy as np
    shortcut = torch.nn.Sequential(tl.conv1x1(512, 1024, stride=2), torch.nn.BatchNorm2d(1024)).train()
    torch.manual_seed(123), random.seed(1), np.random.seed(2)
    states = torch.random.get_rng_state(), random.getstate(), np.random.get_state()[1].copy()
    for exercise_id, answer in (("05.1", [0, 4 / 3]), ("05.2", lambda x, p, training=True: x), ("04.2", shortcut),
                                ("02.1", lambda block, x: x)):
        tl.check(exercise_id, answer, verbose=False)
    assert torch.equal(torch.random.get_rng_state(), states[0]) and random.getstate() == states[1]
    assert (np.random.get_state()[1] == states[2]).all() and shortcut.training and torch.is_grad_enabled()


def test_07_2_accepts_a_frozen_model_and_keeps_its_flags():
    model = tl.replace_head(tl.load_backbone("bundled", verbose=False)[0], 10)
    for name, p in model.named_parameters():
        p.requires_grad = name.startswith("fc.")
    assert tl.check("07.2", model, verbose=False).passed
    assert [p.requires_grad for p in model.fc.parameters()] == [True, True]


def test_07_2_says_when_the_answer_is_what_the_function_returned(tmp_path, capsys):
    script = tmp_path / "cell.py"
    script.write_text("import tl_helpers as tl\n"
                      "def freeze(model):\n    pass\n"
                      "answer_07_2 = freeze(object())\n"
                      "result = tl.check('07.2', answer_07_2)\n"
                      "blank = tl.check('07.2', None)\n")
    import runpy
    ns = runpy.run_path(str(script))
    assert ns["result"].passed is False and "returned None" in ns["result"].message
    assert "freeze, without parentheses" in ns["result"].message
    assert ns["blank"].passed is None and "not attempted yet" in ns["blank"].message


def test_a_checker_that_fails_gives_a_verdict_not_a_traceback(monkeypatch):
    def broken(answer):
        raise ZeroDivisionError("division by zero")
    monkeypatch.setattr(_EXERCISES["11.1"], "checker", broken)
    result = tl.check("11.1", 8, verbose=False)
    assert result.passed is False
    assert "the checker could not run your answer: ZeroDivisionError: division by zero" in result.message
    assert "Hint:" in result.message


def test_hints_come_in_tiers_and_end_with_the_solution_file(monkeypatch):
    monkeypatch.setattr(sys.modules["tl_helpers.exercises"], "_HINTS_SHOWN", {})
    tiers = tl.exercise_hints("07.1")
    assert tl.hint("07.1", verbose=False).endswith(tiers[0])
    assert tl.hint("07.1", verbose=False).endswith(tiers[1])
    tl.check("04.1", 27, verbose=False)                     # a wrong answer shows tier 1 ...
    assert tl.hint("04.1", verbose=False).endswith(tl.exercise_hints("04.1")[1])   # ... so hint() goes on with 2
    for _ in tiers[2:]:
        tl.hint("07.1", verbose=False)
    last = tl.hint("07.1", verbose=False)
    assert "No more hints" in last and "solutions/nb07.py" in last


def test_progress_records_passes_by_notebook(progress_file, capsys):
    assert tl.progress() == {} and "No exercise passed yet" in capsys.readouterr().out
    tl.check("11.1", 8), tl.check("11.1", 8), tl.check("04.1", 27), tl.check("04.1", 29)
    data = tl.progress()
    out = capsys.readouterr().out
    assert set(data) == {"11.1", "04.1"} and f"2 of {len(EXERCISES)} exercises passed" in out
    assert "04: 04.1 ✔  04.2 ○" in out and "11: 11.1 ✔" in out
    assert progress_file.exists() and not list(progress_file.parent.glob("*.tmp"))


def test_a_corrupt_progress_file_is_kept_and_replaced(progress_file, capsys):
    progress_file.parent.mkdir(parents=True)
    progress_file.write_text("{not json")
    tl.check("11.1", 8)
    out = capsys.readouterr().out
    assert "could not be read" in out and "progress.json.corrupt" in out
    assert (progress_file.parent / "progress.json.corrupt").read_text() == "{not json"
    assert set(tl.progress(verbose=False)) == {"11.1"}


def test_two_threads_checking_at_once_lose_no_pass(progress_file):
    import threading
    ids = ["11.1", "11.2", "11.3", "03.1"]
    answers = {"11.1": 8, "11.2": 0.4, "11.3": 334, "03.1": 1114112}
    threads = [threading.Thread(target=lambda k=k: [tl.check(k, answers[k], verbose=False) for _ in range(5)])
               for k in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(progress_module.read_progress(progress_file)[0]) == set(ids)


def test_the_tests_never_write_the_repositorys_progress_file():
    assert ROOT not in progress_module.progress_file().parents
    assert "runs/" in (ROOT / ".gitignore").read_text().split()


# --------------------------------------------------------------------------- judgement on validation data (issue 21)

from learner_answers import FAKE_VAL_ACCS, use_fake_measurements  # noqa: E402

_CHECKS = {k: importlib.import_module(f"tl_helpers.exercises.nb{k[:2]}") for k in ("05.3", "07.3", "08.3")}
REAL_MEASURE_DROPOUT = _CHECKS["05.3"].measure_dropout        # before any test replaces it


@pytest.fixture(autouse=True)
def fake_measurements(monkeypatch):
    """05.3, 07.3 and 08.3 train 5 seeds per choice to judge an answer: the tests use made-up numbers instead."""
    use_fake_measurements(monkeypatch)


def _verdicts(exercise_id, answers):
    return {a: tl.check(exercise_id, a, verbose=False).passed for a in answers}


def test_judgement_accepts_every_choice_within_the_noise_of_the_best():
    assert _verdicts("05.3", (0.0, 0.2, 0.5, 0.8)) == {0.0: False, 0.2: True, 0.5: True, 0.8: False}
    assert _verdicts("07.3", tl.STRATEGIES) == {"scratch": False, "frozen": True, "finetune": True}
    assert _verdicts("08.3", ("two-stage", "one-stage")) == {"two-stage": False, "one-stage": True}


def test_judgement_follows_the_measurement_not_a_fixed_answer(monkeypatch):
    noisy = {"05.3": {p: (0.80, 0.82, 0.79, 0.81, 0.80) for p in (0.0, 0.2, 0.5, 0.8)},
             "07.3": {"scratch": (0.80, 0.70, 0.90, 0.75, 0.85), "frozen": (0.81, 0.79, 0.80, 0.80, 0.80),
                      "finetune": (0.30, 0.31, 0.30, 0.29, 0.30)},
             "08.3": {"two-stage": (0.80, 0.81, 0.82, 0.80, 0.81), "one-stage": (0.82, 0.80, 0.81, 0.81, 0.80)}}
    use_fake_measurements(monkeypatch, noisy)
    assert all(_verdicts("05.3", (0.0, 0.2, 0.5, 0.8)).values())            # all tied: every p is defensible
    assert _verdicts("07.3", tl.STRATEGIES) == {"scratch": True, "frozen": True, "finetune": False}
    assert all(_verdicts("08.3", ("head first", "together")).values())      # the interval reaches 0


def test_judgement_messages_name_no_right_choice():
    worse = tl.check("05.3", 0.8, verbose=False).message
    assert "validation change" in worse and "0.5" not in worse and "0.2" not in worse
    assert "finetune" not in tl.check("07.3", "from scratch", verbose=False).message.split("): ", 1)[1]
    message = tl.check("08.3", "head first", verbose=False).message.split("): ", 1)[1]
    assert "one-stage" not in message and "one stage" not in message and "together" not in message
    unmeasured = tl.check("05.3", 0.3, verbose=False).message
    assert "choose one of the measured values 0.0, 0.2, 0.5, 0.8" in unmeasured


def test_judgement_solutions_are_computed_from_the_measurement():
    for exercise_id in FAKE_VAL_ACCS:
        solution, wrong = _solutions(exercise_id)
        val = FAKE_VAL_ACCS[exercise_id]
        assert solution == max(val, key=lambda k: sum(val[k]))
        assert all(tl.check(exercise_id, w, verbose=False).passed is False for w in wrong)


class _Run:
    def __init__(self, val_acc):
        self.val_acc = val_acc


def test_05_3_measures_once_per_process_and_restores_the_deterministic_setting(monkeypatch):
    nb05 = _CHECKS["05.3"]
    calls = []

    def train_seeds(task, strategy, seeds, **kw):
        calls.append((strategy, kw["dropout"], kw["num_epochs"], kw["select"]))
        return [_Run(0.8 - (kw["dropout"] or 0) / 10) for _ in seeds]

    monkeypatch.setattr(nb05, "measure_dropout", REAL_MEASURE_DROPOUT)
    monkeypatch.setattr(nb05, "train_seeds", train_seeds)
    monkeypatch.setattr(nb05, "load_task", lambda *a, **kw: None)
    REAL_MEASURE_DROPOUT.cache_clear()
    torch.use_deterministic_algorithms(False)
    try:
        assert tl.check("05.3", 0.0, verbose=False).passed and not tl.check("05.3", 0.8, verbose=False).passed
        assert calls == [("frozen", p or None, 3 * tl.HEAD_EPOCHS, "val") for p in (0.0, 0.2, 0.5, 0.8)]
        assert not torch.are_deterministic_algorithms_enabled()
    finally:
        REAL_MEASURE_DROPOUT.cache_clear()                  # the next caller measures for real


def test_05_3_against_the_real_measurement(monkeypatch):
    """The one real measurement the tests run: 20 cheap head-only runs on cached features, then cached."""
    import time
    from solutions.nb05 import choose_dropout, defensible
    monkeypatch.setattr(_CHECKS["05.3"], "measure_dropout", REAL_MEASURE_DROPOUT)
    val = REAL_MEASURE_DROPOUT()
    assert set(val) == {0.0, 0.2, 0.5, 0.8} and all(len(v) == 5 and all(0 < a <= 1 for a in v) for v in val.values())
    start = time.perf_counter()
    verdicts = _verdicts("05.3", tuple(val))
    assert time.perf_counter() - start < 5                  # measured once per process
    assert verdicts == {p: p in defensible(val) for p in val} and verdicts[choose_dropout(val)]
