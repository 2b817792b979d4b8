"""The helpers speak Korean: every English text of ``tl_helpers`` has a Korean translation with the same fields,
every claim the notebooks make is in the catalogue, and the exercise system and the claim lines speak Korean after
``tl.set_language("ko")``.

The texts are found by reading the source (``ast``): the first argument of every ``tr(...)`` and ``N_(...)`` call
(a string literal, implicit concatenation included), the title and the ``hints=`` of every ``@exercise(...)``, and
the words (and ``note=``) of every ``tl.claim(...)`` in ``notebooks/*.ipynb``. A ``tr`` of something other than a
literal must look up texts marked with ``N_`` in the same file: a name bound to ``N_("...")`` (or to a tuple, dict or
conditional of such), or a loop over one; or else be one of ``LOOKUPS`` below (each says where its texts are written,
and those places are scanned too).
"""
from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

import tl_helpers as tl
from tl_helpers import i18n

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tl_helpers"
HANGUL = re.compile(r"[\uac00-\ud7a3]")

#: ``tr(<expression>)`` lookups of texts written elsewhere: (file, expression) -> where the texts come from.
LOOKUPS = {
    ("claims.py", "text"): "a claim's words, from the notebooks (test_every_notebook_claim_is_in_the_catalogue)",
    ("claims.py", "note"): "a claim's note=, from the notebooks (the same test)",
    ("exercises/__init__.py", "self.title"): "an @exercise(...) title (scanned with the hints)",
    ("exercises/__init__.py", "hint"): "an @exercise(..., hints=(...)) tier",
    ("exercises/answers.py", "listing"): "choice()'s listing, an N_(...) literal at each call (the judgement checkers)",
    ("exercises/nb02.py", "kind"): "a test block's kind, an N_(...) literal in _test_blocks",
    ("controls.py", "v"): "labelled(values): the values are N_(...) literals at each caller",
}

#: English texts whose Korean is the same text, with no Hangul: names. English -> why.
SAME_IN_KOREAN = {
    "Kaiming (He)": "a person's name (an initialisation, He et al. 2015), a widget label",
}

#: Notebook claims whose words are computed (an f-string): their texts must be in the catalogue as the notebook
#: builds them (``locales/ko/claims_NN.py``); this test cannot read them. (notebook, cell id) -> why.
COMPUTED_CLAIMS = {
    ("02_residual_blocks.ipynb", "c71a0bf3"): "above(a, b, text): f'{text} (gap of the means; ...)', four calls",
}


def _name(func: ast.expr) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _literal(node: ast.expr | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


class _Bindings:
    """What each name is bound to in one scope: ``name = value`` and ``for name in iterable`` (comprehensions too;
    ``for key, text in D.items()`` binds ``text`` to D's values). A name counts as marked only if every binding of
    it in its scope is: the enclosing function's (nested code included), else the module's top level."""

    def __init__(self, scope: ast.AST, outer: "_Bindings | None" = None):
        self.outer, self.sources = outer, {}
        nodes = ast.walk(scope) if outer else (n for stmt in scope.body if not isinstance(
            stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) for n in ast.walk(stmt))
        for node in nodes:
            if isinstance(node, (ast.Assign, ast.AnnAssign)) and node.value is not None:
                for target in node.targets if isinstance(node, ast.Assign) else [node.target]:
                    self._bind(target, "value", node.value)
            elif isinstance(node, (ast.For, ast.comprehension)):
                self._bind(node.target, "item", node.iter)

    def _bind(self, target: ast.expr, how: str, value: ast.expr) -> None:
        if isinstance(target, ast.Name):
            self.sources.setdefault(target.id, []).append((how, value))
        elif isinstance(target, ast.Tuple) and how == "item":
            items = isinstance(value, ast.Call) and _name(value.func) == "items"
            for i, element in enumerate(target.elts):
                if isinstance(element, ast.Name):
                    self.sources.setdefault(element.id, []).append(
                        ("item" if items and i == 1 else "other", value.func.value if items else value))

    def marked(self, node: ast.expr | None, seen: frozenset = frozenset()) -> bool:
        """Is every text ``node`` can be an ``N_("...")`` literal?"""
        if isinstance(node, ast.Call) and _name(node.func) == "N_":
            return _literal(node.args[0] if node.args else None) is not None
        if isinstance(node, ast.Call) and _name(node.func) == "values" and isinstance(node.func, ast.Attribute):
            return self.marked(node.func.value, seen)
        if isinstance(node, ast.IfExp):
            return self.marked(node.body, seen) and self.marked(node.orelse, seen)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            return bool(node.elts) and all(self.marked(e, seen) for e in node.elts)
        if isinstance(node, ast.Dict):
            return bool(node.values) and all(self.marked(v, seen) for v in node.values)
        if isinstance(node, ast.Name) and node.id not in seen:
            if node.id in self.sources:
                return all(how != "other" and self.marked(value, seen | {node.id})
                           for how, value in self.sources[node.id])
            return self.outer is not None and self.outer.marked(node, seen)
        return False


def _calls_by_scope(tree: ast.Module):
    """Every call of the module with the innermost function around it (None at the top level)."""
    def visit(node: ast.AST, function):
        for child in ast.iter_child_nodes(node):
            inner = child if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) else function
            if isinstance(child, ast.Call):
                yield child, function
            yield from visit(child, inner)
    yield from visit(tree, None)


def scan_source(rel: str, source: str) -> tuple[list[tuple[str, int, str]], list[str]]:
    """The English texts of one module (``rel``: its path in ``tl_helpers/``): ``[(rel, line, text)]``, and the
    ``tr``/``N_`` calls and ``@exercise`` texts that are neither a literal nor a lookup of marked texts."""
    texts, problems = [], []
    tree = ast.parse(source)
    module, scopes = _Bindings(tree), {}
    for node, function in _calls_by_scope(tree):
        name = _name(node.func)
        if name in ("tr", "N_"):
            arg = node.args[0] if node.args else None
            text = _literal(arg)
            if text is not None:
                texts.append((rel, node.lineno, text))
                continue
            if function is not None and function not in scopes:
                scopes[function] = _Bindings(function, module)
            if name == "tr" and ((scopes[function] if function else module).marked(arg)
                                 or (rel, ast.unparse(arg) if arg else "") in LOOKUPS):
                continue
            problems.append(f"tl_helpers/{rel}:{node.lineno}: {name}({ast.unparse(arg) if arg else ''}) is not a "
                            f"string literal (write the English text in the call, fields through keyword "
                            f"arguments; or mark the texts with N_ where they are written, or list the lookup in "
                            f"LOOKUPS)")
        elif name == "exercise" and len(node.args) >= 2:
            hints = next((k.value for k in node.keywords if k.arg == "hints"), None)
            items = [node.args[1]] + (list(hints.elts) if isinstance(hints, ast.Tuple) else
                                      [] if hints is None else [hints])
            for item in items:
                text = _literal(item)
                if text is None:
                    problems.append(f"tl_helpers/{rel}:{node.lineno}: an @exercise title or hints=(...) item is not "
                                    f"a string literal: {ast.unparse(item)[:80]} (fill fields with values=)")
                else:
                    texts.append((rel, item.lineno, text))
    return texts, problems


def scan_package() -> tuple[list[tuple[str, int, str]], list[str]]:
    """Every English text of ``tl_helpers`` (``locales/`` aside), and the calls that are not lookups of one."""
    texts, problems = [], []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).as_posix()
        if not rel.startswith("locales/"):
            found = scan_source(rel, path.read_text(encoding="utf-8"))
            texts, problems = texts + found[0], problems + found[1]
    return texts, problems


def _code(source: str) -> ast.Module:
    """A notebook code cell as Python: IPython's ``%magic`` and ``!shell`` lines left out."""
    return ast.parse("\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in source.splitlines()))


def scan_notebook_claims() -> tuple[list[tuple[str, str, str]], list[str]]:
    """Every ``tl.claim`` text and ``note=`` of the English notebooks: ``[(notebook, cell id, text)]``, and the
    claims whose words are not a literal (and not listed in ``COMPUTED_CLAIMS``)."""
    texts, problems = [], []
    for nb in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            for node in ast.walk(_code("".join(cell["source"]))):
                if not (isinstance(node, ast.Call) and _name(node.func) == "claim"):
                    continue
                note = next((k.value for k in node.keywords if k.arg == "note"), None)
                for arg in ([node.args[0]] if node.args else []) + ([note] if note is not None else []):
                    text = _literal(arg)
                    if text is not None:
                        texts.append((nb.name, cell.get("id"), text))
                    elif (nb.name, cell.get("id")) not in COMPUTED_CLAIMS:
                        problems.append(f"{nb.name} cell {cell.get('id')}: tl.claim words {ast.unparse(arg)[:80]} "
                                        f"are not a literal (list it in COMPUTED_CLAIMS, with its texts in the "
                                        f"catalogue)")
    return texts, problems


def _fields(template: str) -> set[str] | str:
    """The template's fields, or its brace groups as written when it is not a format string (code in a hint)."""
    try:
        return i18n.fields(template)
    except ValueError:
        return " ".join(re.findall(r"\{[^{}]*\}", template))


def _translation_problems(english: str, where: str, korean: dict[str, str]) -> list[str]:
    if english not in korean:
        return [f"{where}: no Korean for {english!r}"]
    translated, problems = korean[english], []
    if _fields(translated) != _fields(english):
        problems.append(f"{where}: fields differ: {_fields(english)} in {english!r}, {_fields(translated)} in "
                        f"{translated!r}")
    if not HANGUL.search(translated) and english not in SAME_IN_KOREAN:
        problems.append(f"{where}: the Korean of {english!r} has no Hangul: {translated!r}")
    return problems


@pytest.fixture
def korean(monkeypatch):
    """``set_language("ko")`` for one test, English again afterwards (strict: an untranslated text raises)."""
    monkeypatch.setenv("TL_STRICT_CLAIMS", "1")
    tl.set_language("ko")
    try:
        yield i18n.catalogue("ko")
    finally:
        tl.set_language("en")


# --------------------------------------------------------------------------- the catalogue is complete


def test_every_helper_text_is_a_literal_or_a_listed_lookup():
    texts, problems = scan_package()
    assert len(texts) > 200 and not problems, "\n".join(problems)


def test_the_scan_finds_texts_and_refuses_what_it_cannot_look_up():
    source = """
NAMES = {"a": N_("first"), "b": N_("second")}
def f(x, flag):
    which = N_("on") if flag else N_("off")
    for key, words in NAMES.items():
        tr(words)
    print(tr(which), tr("a {n} " "joined", n=1), tr(f"an {x} f-string"), tr(x), N_(x))
    label = "plain"
    return tr(label)
@exercise("99.1", "a title", hints=("one", "two " f"{x}"))
def check(answer): ...
"""
    texts, problems = scan_source("nb99.py", source)
    assert {t for _, _, t in texts} == {"first", "second", "on", "off", "a {n} joined", "a title", "one"}
    assert [p.split(":")[1] for p in problems] == ["7", "7", "7", "9", "10"], problems
    assert "tr(f'an {x} f-string')" in problems[0] and "tr(label)" in problems[3] and "hints" in problems[4]


def test_every_helper_text_has_korean_with_the_same_fields():
    korean = i18n.catalogue("ko")
    problems = [p for rel, line, text in scan_package()[0]
                for p in _translation_problems(text, f"tl_helpers/{rel}:{line}", korean)]
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_every_catalogue_entry_has_the_same_fields_and_hangul():
    problems = [p for english in i18n.catalogue("ko")
                for p in _translation_problems(english, "locales/ko", i18n.catalogue("ko"))]
    assert not problems, "\n".join(problems)


def test_every_notebook_claim_is_in_the_catalogue():
    texts, problems = scan_notebook_claims()
    korean = i18n.catalogue("ko")
    problems += [p for nb, cell, text in texts for p in _translation_problems(text, f"{nb} cell {cell}", korean)]
    assert texts and not problems, f"{len(problems)} problems:\n" + "\n".join(problems)


def test_the_computed_claims_are_still_there():
    """``COMPUTED_CLAIMS`` lists cells that exist and still compute their claim's words."""
    cells = {(nb.name, c.get("id")): "".join(c["source"]) for nb in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
             for c in json.loads(nb.read_text(encoding="utf-8"))["cells"]}
    for key in COMPUTED_CLAIMS:
        assert key in cells and "tl.claim(f" in cells[key], f"COMPUTED_CLAIMS: {key} is gone or changed"


def test_the_korean_hints_do_not_give_the_answer_away(korean, monkeypatch):
    """The English hints' test (``test_learner_answers.py``), on the Korean: the judgement exercises' solutions
    come from the made-up measurement there, as in that test (no training)."""
    from learner_answers import use_fake_measurements
    from test_learner_answers import leaked
    use_fake_measurements(monkeypatch)
    for exercise_id in tl.exercises():
        for tier in tl.exercise_hints(exercise_id):
            assert HANGUL.search(tier) and not leaked(exercise_id, tier), (exercise_id, tier)


# --------------------------------------------------------------------------- the helpers speak Korean


def _korean_hint(exercise_id: str) -> str:
    """The first hint tier as the catalogue has it (these exercises' hints take no values)."""
    from tl_helpers.exercises import _EXERCISES
    return i18n.catalogue("ko")[_EXERCISES[exercise_id].hints[0]]


@pytest.mark.parametrize("exercise_id, wrong", [("11.1", 512), ("04.1", 27), ("06.2", "stem"), ("03.1", "many"),
                                                 ("07.3", 42)])
def test_a_wrong_answer_gets_a_korean_verdict_and_hint(korean, exercise_id, wrong, capsys):
    result = tl.check(exercise_id, wrong)
    out = capsys.readouterr().out
    assert result.passed is False and out.startswith(f"✘ 연습 문제 {exercise_id} (")
    assert _korean_hint(exercise_id) in result.message and f'tl.hint("{exercise_id}")' in result.message
    words = result.message.split("): ", 1)[1].split(_korean_hint(exercise_id))[0]
    assert HANGUL.search(words) and not re.search(r"\b(the|is|not|give|that)\b", words), words


def test_a_blank_and_a_right_answer_speak_korean(korean, capsys):
    assert tl.check("11.1", None).passed is None and tl.check("11.1", 8).passed
    out = capsys.readouterr().out
    assert "○ 연습 문제 11.1 (" in out and "✔ 연습 문제 11.1 (" in out and "not attempted" not in out
    assert all(HANGUL.search(title) for title in tl.exercises().values())


def test_hints_speak_korean_tier_by_tier(korean, monkeypatch):
    import sys
    monkeypatch.setattr(sys.modules["tl_helpers.exercises"], "_HINTS_SHOWN", {})
    tiers = tl.exercise_hints("07.1")
    first = tl.hint("07.1", verbose=False)
    assert HANGUL.search(first) and first.endswith(tiers[0]) and "07.1" in first
    for _ in tiers[1:]:
        tl.hint("07.1", verbose=False)
    last = tl.hint("07.1", verbose=False)
    assert HANGUL.search(last) and "solutions/nb07.py" in last


def test_hints_with_values_are_filled_in_korean(korean):
    assert "0.5%" in tl.exercise_hints("03.2")[2] and "{" not in tl.exercise_hints("03.2")[2]
    assert "{s: [r.val_acc" in tl.exercise_hints("07.3")[1] and "{{" not in tl.exercise_hints("07.3")[1]


def test_progress_speaks_korean(korean, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("TL_PROGRESS_FILE", str(tmp_path / "progress.json"))
    tl.progress()
    tl.check("11.1", 8, verbose=False)
    tl.progress()
    out = capsys.readouterr().out
    assert "passed" not in out and HANGUL.search(out) and "11: 11.1 ✔" in out


def test_claim_lines_speak_korean_with_the_measured_value(monkeypatch, capsys):
    monkeypatch.setenv("TL_STRICT_CLAIMS", "0")
    text = "the gap is small"
    korean_text = "차이가 작습니다"
    monkeypatch.setitem(i18n.catalogue("ko"), text, korean_text)     # a notebook's claim: claims_NN.py's job
    tl.set_language("ko")
    try:
        held = tl.claim(text, 0.05, at_most=0.1)
        failed = tl.claim(text, 0.5, at_least=0.2, at_most=0.4)
    finally:
        tl.set_language("en")
    first, second = capsys.readouterr().out.splitlines()[:2]
    assert held and first.startswith(f"✔ {korean_text}: ") and "0.050" in first and "≤ 0.100" in first
    assert not failed and second.startswith(f"✘ {korean_text}: ") and "0.500" in second and "≥ 0.200" in second
    assert HANGUL.search(first.replace(korean_text, "")) and "measured" not in first + second
    assert held.text == text and HANGUL.search(failed.line.splitlines()[1]) and "not confirmed" not in failed.line


def test_an_untranslated_claim_raises_under_strict_mode(monkeypatch):
    monkeypatch.setenv("TL_STRICT_CLAIMS", "1")
    tl.set_language("ko")
    try:
        with pytest.raises(i18n.MissingTranslation, match="a claim no catalogue has"):
            tl.claim("a claim no catalogue has", 1.0, at_least=0.5)
    finally:
        tl.set_language("en")
    assert tl.claim("a claim no catalogue has", 1.0, at_least=0.5)        # English needs no catalogue


def test_a_checker_message_without_korean_fails_loudly_not_as_a_verdict(korean, monkeypatch):
    """Under strict mode a missing translation inside a checker is the helpers' bug: it raises, in CI, rather than
    turning into "the checker could not run your answer"."""
    from tl_helpers.exercises import _EXERCISES
    from tl_helpers.i18n import tr
    monkeypatch.setattr(_EXERCISES["11.1"], "checker", lambda answer: tr("a message no catalogue has"))
    with pytest.raises(i18n.MissingTranslation, match="a message no catalogue has"):
        tl.check("11.1", 3, verbose=False)


def test_an_unknown_language_is_refused_with_the_codes():
    with pytest.raises(ValueError, match="'en', 'ko'"):
        tl.set_language("fr")
    assert i18n.language() == "en"


def test_the_english_texts_are_unchanged():
    assert tl.check("11.1", 512, verbose=False).message.startswith(
        "Exercise 11.1 (per-process batch for a global batch of 64 on 8 GPUs): not yet. that is 64 per GPU")
    assert "Values rounded to 2 decimals (within 0.005) are accepted." in tl.exercise_hints("05.1")[2]
    assert "quick mode's 12 whole-network epochs" in tl.exercise_hints("07.3")[2]
    assert "{s: [r.val_acc for r in results[s]] for s in tl.STRATEGIES}" in tl.exercise_hints("07.3")[1]
