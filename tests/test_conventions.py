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


# --------------------------------------------------------------------------- the package's layout

import ast  # noqa: E402

PACKAGE = ROOT / "tl_helpers"
MODULES = sorted(p for p in PACKAGE.glob("*.py") if p.name != "__init__.py")
#: The layers stated in ``tl_helpers/__init__.py``: a module imports only from lower layers
#: (``anatomy`` also uses ``downsampling``'s shapes, its neighbour in the topic layer).
LAYERS = {"config": 1, "i18n": 1.5, "resnet": 2, "small_cnn": 2.5, "images": 2, "fashion": 2, "plots": 2, "tables": 2, "claims": 2, "controls": 2,
          "data": 3, "transfer": 3, "checkpoints": 4, "weights": 5, "engine": 5, "recipe": 6, "task": 6.5, "experiments": 7,
          "probe": 8, "residual": 8, "downsampling": 8, "diagrams": 8, "anatomy": 8.5, "dropout": 8,
          "transfer_widget": 8, "label_efficiency": 8, "workflow": 8, "distributed": 8, "pretrain": 9}


def _tree(path: Path) -> ast.Module:
    return ast.parse(path.read_text())


def test_readme_layout_table_lists_exactly_the_modules():
    listed = set(re.findall(r"`tl_helpers/(\w+)\.py`", README)) - {"__init__"}
    assert listed == {p.stem for p in MODULES}, "README's layout table and tl_helpers/ differ"
    assert set(LAYERS) == {p.stem for p in MODULES}, "a module without a layer in this test"


def test_no_module_imports_a_higher_layer():
    for path in MODULES:
        for node in ast.walk(_tree(path)):
            if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
                below = node.module.split(".")[0]
                assert LAYERS[below] < LAYERS[path.stem], f"{path.name} imports {below}, a layer above or beside it"


def test_modules_and_functions_stay_small():
    for path in MODULES:
        assert len(path.read_text().splitlines()) <= 300, f"{path.name} is over 300 lines"
        if path.stem == "pretrain":
            continue
        for node in ast.walk(_tree(path)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                body = node.body[1:] if ast.get_docstring(node) else node.body
                if body:
                    n = body[-1].end_lineno - body[0].lineno + 1
                    assert n <= 40, f"{path.name}:{node.name} has a {n}-line body"


def test_the_stage_list_is_one_literal():
    stages = {"stem", "layer1", "layer2", "layer3", "layer4"}
    found = []
    for path in MODULES:
        for node in ast.walk(_tree(path)):
            if isinstance(node, (ast.Tuple, ast.List, ast.Set, ast.Dict)):
                items = node.keys if isinstance(node, ast.Dict) else node.elts
                names = {n.value for n in items if isinstance(n, ast.Constant) and n.value in stages}
                if len(names) >= 2:
                    found.append(f"{path.name}:{node.lineno}")
    assert found == ["resnet.py:" + found[0].split(":")[1]] and len(found) == 1, found


def test_notebooks_import_in_one_short_cell():
    """The first code cell imports, at most 6 lines, with ``import tl_helpers as tl``, and no other
    code stands between the learning goals and the first heading."""
    for nb in NOTEBOOKS:
        cells = json.loads(nb.read_text())["cells"][1:]
        code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
        lines = [ln for ln in code[0].splitlines() if ln.strip()]
        assert all(re.match(r"(import|from) \S", ln) for ln in lines), f"{nb.name}: {lines}"
        assert len(lines) <= 6 and "import tl_helpers as tl" in lines, f"{nb.name}: {lines}"
        before = []
        for cell in cells:
            if cell["cell_type"] == "markdown" and re.search(r"^#+ ", "".join(cell["source"]), re.M):
                break
            before += [cell] if cell["cell_type"] == "code" else []
        assert len(before) <= 1, f"{nb.name}: more than the import cell before the first heading"


def test_every_public_helper_is_one_attribute_away():
    """``import tl_helpers as tl`` gives every public function and class (regenerate the package's
    ``__init__.py`` with ``python tools/gen_init.py`` after adding one)."""
    import tl_helpers as tl
    for path in MODULES:
        if path.stem in ("pretrain", "distributed"):      # scripts: notebook 11 imports distributed as ddp
            continue
        for node in _tree(path).body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and not node.name.startswith("_") \
                    and node.name != "main":                         # a module's command line
                assert node.name in tl.__all__, f"tl_helpers.{path.stem}.{node.name} is not exported"
