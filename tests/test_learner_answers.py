"""Every checker against the answers learners actually type (``learner_answers.py``): the right verdict, no
traceback, a hint with every "not yet", and never the answer in a message or a hint."""
import importlib
import inspect
import re

import pytest

import tl_helpers as tl
from learner_answers import ANSWERS, LEAKS, use_fake_measurements

EXERCISES = tl.exercises()
#: Lists of choices: a message that lists every choice gives none away.
CHOICES = {"01.1": tl.PROBE_STAGES, "06.2": tl.STAGES, "10.2": ("a", "b", "c", "d"),
           "05.3": ("0.0", "0.2", "0.5", "0.8"), "07.3": tl.STRATEGIES, "08.3": ("two-stage", "one-stage"),
           "06.4": ("layer2", "layer3", "layer4"), "09.4": ("constant", "cosine"), "10.4": ("10", "30", "90"),
           "11.6": ("same", "scaled")}


@pytest.fixture(autouse=True)
def fake_measurements(monkeypatch):
    """The judgement exercises' cases assume ``FAKE_VAL_ACCS``, not minutes of training (``learner_answers.py``)."""
    use_fake_measurements(monkeypatch)


def _solution(exercise_id: str):
    return importlib.import_module(f"solutions.nb{exercise_id[:2]}").SOLUTIONS[exercise_id]


def _number_forms(value: float) -> list[str]:
    """The ways a number is commonly written: 1114112, 1,114,112, 1_114_112, 1 114 112, 1.114e+06 ..."""
    if float(value).is_integer():
        n = int(value)
        return [str(n), f"{n:,}", f"{n:_}", f"{n:,}".replace(",", " ")] + ([f"{n:.4g}", f"{n:.3e}"] if n > 1e5 else [])
    return [f"{value:.{d}f}".rstrip("0") for d in (2, 3, 4)] + [repr(value)]


def leak_patterns(exercise_id: str) -> list[str]:
    """Text giving ``exercise_id``'s answer away: the number in any form, the name, the solution's code lines."""
    answer = _solution(exercise_id)
    if isinstance(answer, tuple):                          # 08.2: (class name, matrix)
        answer = answer[0]
    texts = list(LEAKS.get(exercise_id, []))
    if isinstance(answer, (int, float)):
        texts += _number_forms(answer)
    elif isinstance(answer, str):
        texts.append(answer)
    elif inspect.isfunction(answer):
        body = inspect.getsource(answer).splitlines()[1:]
        texts += [ln.strip() for ln in body if len(ln.strip()) > 15 and not ln.strip().startswith(('"""', "#"))]
    return texts


def leaked(exercise_id: str, text: str) -> list[str]:
    """The leak patterns found in ``text`` (a number or name only as a whole word, not inside another)."""
    if exercise_id in CHOICES and all(re.search(rf"\b{c}\b", text) for c in CHOICES[exercise_id]):
        return []
    text = text.lower()
    return [p for p in leak_patterns(exercise_id)
            if re.search(rf"(?<![\w.,-]){re.escape(p.lower())}(?![\w]|[.,]\d)", text)]


def _own_words(message: str, answer) -> str:
    """What the checker says by itself: without ``Exercise NN.k (title):`` (the question) and the learner's answer."""
    text = message.split("): ", 1)[-1]
    for echo in {repr(answer), str(answer), f"{answer!r:.40}"}:
        text = text.replace(echo, "<answer>")
    return text


def test_every_exercise_has_learner_answers_of_each_kind():
    assert set(ANSWERS) == set(EXERCISES)
    for k, answers in ANSWERS.items():
        verdicts = {c.verdict for c in answers}
        assert verdicts == {True, False}, (k, verdicts)


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_learner_answers_get_the_right_verdict_and_never_the_answer(exercise_id, capsys):
    for case in ANSWERS[exercise_id] + [ANSWERS[exercise_id][0].__class__(a, None) for a in (None, ...)]:
        result = tl.check(exercise_id, case.answer)           # never raises: that is the "no traceback" check
        message = result.message
        where = (exercise_id, repr(case.answer)[:60], message)
        assert result.passed is case.verdict, where
        assert "traceback" not in message.lower(), where
        assert case.says.lower() in message.lower(), where
        if case.verdict is False:
            assert "Hint:" in message and f'tl.hint("{exercise_id}")' in message, where
            own = _own_words(message, case.answer)
            assert not leaked(exercise_id, own), (leaked(exercise_id, own), where)
    capsys.readouterr()


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_hint_tiers_never_contain_the_answer(exercise_id):
    hints = tl.exercise_hints(exercise_id)
    assert len(hints) >= 3, exercise_id
    for tier in hints:
        assert not leaked(exercise_id, tier), (exercise_id, leaked(exercise_id, tier), tier)


def test_the_leak_finder_finds_answers_in_any_common_form():
    assert leaked("03.1", "it is 1,114,112 weights") and leaked("03.1", "1114112") and leaked("03.1", "1 114 112")
    assert leaked("11.1", "the answer is 8.") and not leaked("11.1", "512 or 64 or 1e-8")
    assert leaked("01.1", "try layer3") and not leaked("01.1", "one of stem, layer1, layer2, layer3, layer4")
    assert leaked("07.2", 'p.requires_grad = name.startswith("fc.")')
