"""House rules of the series: names, clean notebooks, README in step with the files."""
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
README = (ROOT / "README.md").read_text()


def test_notebook_names_are_numbered_snake_case_and_contiguous():
    assert NOTEBOOKS, "no notebooks"
    for nb in NOTEBOOKS:
        assert re.fullmatch(r"\d\d_[a-z0-9]+(_[a-z0-9]+)*\.ipynb", nb.name), nb.name
    numbers = [int(nb.name[:2]) for nb in NOTEBOOKS]
    assert numbers == list(range(len(NOTEBOOKS))), f"numbering not contiguous: {numbers}"


def test_notebooks_are_stored_without_outputs_and_with_a_kernelspec():
    for nb in NOTEBOOKS:
        data = json.loads(nb.read_text())
        for cell in data["cells"]:
            if cell["cell_type"] == "code":
                assert cell.get("outputs") == [] and cell.get("execution_count") is None, \
                    f"{nb.name} has stored outputs: strip them"
        assert data["metadata"]["kernelspec"]["name"] == "python3", nb.name


def test_notebooks_open_with_learning_goals():
    for nb in NOTEBOOKS:
        first = json.loads(nb.read_text())["cells"][0]
        text = "".join(first["source"])
        assert first["cell_type"] == "markdown" and "learning goals" in text.lower(), nb.name


def test_readme_lists_exactly_the_notebooks():
    listed = re.findall(r"`(\d\d_[a-z0-9_]+\.ipynb)`", README)
    assert sorted(set(listed)) == [nb.name for nb in NOTEBOOKS]


def test_ci_runs_the_readme_test_command_verbatim():
    cmd = re.search(r"```bash\n\s*(TL_QUICK=1 [^\n]+)\n\s*```", README).group(1)
    assert f"TEST_CMD='{cmd}'" in (ROOT / ".ci" / "run").read_text()


def test_no_registry_host_names_in_the_repo():
    hosts = ("pypi" + ".org", "files.python" + "hosted", "deb.debian" + ".org", "registry.npm" + "js.org")
    for path in ROOT.rglob("*"):
        if path.is_file() and ".git" not in path.parts and ".venv" not in path.parts \
                and path.suffix in (".py", ".md", ".txt", ".toml", ".ipynb", ".json", "") and path.stat().st_size < 2e6:
            text = path.read_text(errors="ignore")
            assert not any(h in text for h in hosts), path
