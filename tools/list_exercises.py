"""Write the README's list of auto-checked exercises from the registered checkers.

    python tools/list_exercises.py      # from the project root, after adding an exercise
"""
from __future__ import annotations

import pathlib
import re

import tl_helpers as tl


def main() -> None:
    readme = pathlib.Path("README.md")
    rows = "\n".join(f"- `{k}` {title}" for k, title in tl.exercises().items())
    text = re.sub(r"(<!-- exercises:start -->\n).*?(<!-- exercises:end -->)", lambda m: m.group(1) + rows + "\n" + m.group(2),
                  readme.read_text(), flags=re.S)
    readme.write_text(text)
    print(f"{len(tl.exercises())} exercises listed")


if __name__ == "__main__":
    main()
