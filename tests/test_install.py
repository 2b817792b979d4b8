"""Installs that stay the same: ``requirements.txt`` names what the series needs, ``constraints.txt`` pins every
version, and ``pip install -r requirements.txt`` (README) installs exactly that set, because requirements.txt reads
constraints.txt with ``-c``. ``python tools/refresh_constraints.py`` writes the pins (see there). These tests read
both files and the environment they run in (``importlib.metadata``); they need no network.
"""
from __future__ import annotations

import importlib.util
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parent.parent
PYTHONS = ["3.10", "3.11", "3.12", "3.13"]  # the Pythons the README promises (3.10+)
REFRESH = ROOT / "tools" / "refresh_constraints.py"


def read_requirements(path: Path) -> list[Requirement]:
    """The package lines of a requirements file (not comments, options such as ``-c``/``-e``, or blank lines)."""
    lines = [line.split("#")[0].strip() for line in path.read_text().splitlines()]
    return [Requirement(line) for line in lines if line and not line.startswith("-")]


REQUIREMENTS = read_requirements(ROOT / "requirements.txt")
PINS = read_requirements(ROOT / "constraints.txt")


def pins_for(name: str, env: dict[str, str]) -> list[Requirement]:
    """The pins of a package that apply in a marker environment."""
    return [p for p in PINS if canonicalize_name(p.name) == canonicalize_name(name)
            and (p.marker is None or p.marker.evaluate(env))]


def python_env(python: str) -> dict[str, str]:
    """This machine's marker environment with another Python (its first release: what every later one has)."""
    return {**default_environment(), "python_version": python, "python_full_version": f"{python}.0"}


def test_requirements_read_the_constraints_file():
    options = [line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()
               if line.strip().startswith("-")]
    assert "-c constraints.txt" in options and "-e ." in options, options
    assert (ROOT / "constraints.txt").is_file() and len(PINS) >= len(REQUIREMENTS)


def test_every_pin_is_one_exact_version():
    for pin in PINS:
        (spec,) = pin.specifier
        assert spec.operator == "==" and "*" not in spec.version and not pin.extras and not pin.url, str(pin)
    for env in [python_env(py) for py in PYTHONS] + [default_environment()]:
        doubled = sorted({p.name for p in PINS if len(pins_for(p.name, env)) > 1})
        assert doubled == [], f"more than one pin applies on Python {env['python_full_version']}: {doubled}"


@pytest.mark.parametrize("python", PYTHONS)
def test_every_requirement_is_pinned_on_every_supported_python(python):
    """On each Python, every package of requirements.txt has exactly one pin, inside the range it asks for."""
    env = python_env(python)
    for req in REQUIREMENTS:
        if req.marker is not None and not req.marker.evaluate(env):
            continue
        pins = pins_for(req.name, env)
        assert len(pins) == 1, f"{req.name} has {len(pins)} pins on Python {python}: refresh constraints.txt"
        version = next(iter(pins[0].specifier)).version
        assert req.specifier.contains(version, prereleases=True), f"pin {pins[0]} is outside {req}"


def test_the_installed_versions_are_the_pins():
    """This environment holds exactly the pinned versions (a stale one: ``pip install -r requirements.txt``; a
    requirement changed on purpose: ``python tools/refresh_constraints.py``, see README)."""
    env, wrong, missing = default_environment(), [], []
    needed = {canonicalize_name(r.name) for r in REQUIREMENTS if r.marker is None or r.marker.evaluate(env)}
    for pin in PINS:
        if pin.marker is not None and not pin.marker.evaluate(env):
            continue
        try:
            installed = metadata.version(pin.name)
        except metadata.PackageNotFoundError:
            missing += [pin.name] if canonicalize_name(pin.name) in needed else []
            continue
        if not pin.specifier.contains(installed, prereleases=True):  # ==2.14.1 also matches a local 2.14.1+cpu
            wrong.append(f"{pin.name} {installed} installed, pinned {pin.specifier}")
    assert missing == [] and wrong == [], f"missing {missing}; {wrong}"


def _refresh_module():
    spec = importlib.util.spec_from_file_location("refresh_constraints", REFRESH)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_refresh_puts_markers_only_where_versions_differ():
    """The refresh script's merge of what pip resolves per Python and platform (synthetic versions)."""
    refresh = _refresh_module()
    pythons = ["3.10.0", "3.11.0", "3.11.7", "3.12.0", "3.13.0"]
    pins = {(py, pl): {} for py in pythons for pl in ("linux", "win32")}
    for (py, pl), found in pins.items():
        found["same"] = "1.0"
        found["numpy"] = "2.2.6" if py == "3.10.0" else "2.4.6"             # dropped Python 3.10
        found["soupsieve"] = "4.1.4" if refresh.version_key(py) >= (3, 11, 7) else "2.10"   # >=3.11.5
        found["wheels"] = "2.0" if pl == "linux" else "1.9"                 # no Windows wheel of 2.0 yet
        if pl == "win32":
            found["colorama"] = "0.4.6"                                     # only Windows installs it
    assert refresh.merge(pins) == [
        "colorama==0.4.6",
        'numpy==2.2.6; python_version < "3.11"', 'numpy==2.4.6; python_version >= "3.11"',
        "same==1.0",
        'soupsieve==2.10; python_full_version < "3.11.7"', 'soupsieve==4.1.4; python_full_version >= "3.11.7"',
        'wheels==2.0; sys_platform == "linux"', 'wheels==1.9; sys_platform == "win32"',
    ]
    assert refresh.canonical("typing_extensions") == "typing-extensions" and refresh.canonical("Jinja2") == "jinja2"
