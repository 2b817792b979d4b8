"""Korean claim lines of notebooks/00_start_here.ipynb: English text of each ``tl.claim`` -> Korean."""
MESSAGES: dict[str, str] = {
    "the bundled backbone has about a sixteenth of the parameters (full / bundled)":
        "번들 백본의 매개변수는 약 16분의 1이다 (전체 / 번들)",
}
