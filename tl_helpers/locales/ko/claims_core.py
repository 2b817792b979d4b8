"""Korean of the claim lines' own words (``tl_helpers/claims.py``): "measured", "needs", the default note.

The claims themselves (the words a notebook passes to ``tl.claim``) are in ``claims_NN.py``, one module per notebook.
"""

MESSAGES: dict[str, str] = {
    # tl_helpers/claims.py
    "The text above claims this, and on this run it did not hold. A number close to its bound can move with "
    "the seed or the machine; a large miss means something changed: re-run the notebook from the top, and if "
    "it persists, please report it.":
        "위의 본문은 이것을 주장하지만, 이번 실행에서는 성립하지 않았습니다. 경계값에 가까운 수치는 시드나 머신에 따라 달라질 수 있습니다. 크게 벗어났다면 무언가 바뀐 것이니 "
        "노트북을 처음부터 다시 실행해 보고, 그래도 계속되면 알려 주세요.",
    "claim({text!r}): give a bound (at_least=, at_most=) or holds=True/False.":
        "claim({text!r}): 경계(at_least=, at_most=)나 holds=True/False를 주세요.",
    "claim({text!r}): the value {value!r} is not a number; a bound needs one.":
        "claim({text!r}): 값 {value!r}은(는) 숫자가 아닙니다. 경계와 비교하려면 숫자가 필요합니다.",
    "measured {value}":
        "측정값 {value}",
    "needs {bound}":
        "기준 {bound}",
    "needs {low} and {high}":
        "기준 {low}, {high}",
    "not confirmed on this run.":
        "이번 실행에서는 확인되지 않았습니다.",
}
