"""The README's commands and example stay true."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest
from packaging.version import Version

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def bash_blocks(text: str) -> list[str]:
    return re.findall(r"```bash\n(.*?)```", text, flags=re.S)


def test_ci_runs_the_readme_test_command() -> None:
    test_commands = [b.strip() for b in bash_blocks(README) if "pytest" in b]
    assert len(test_commands) == 1
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    last_command = [line for line in ci.splitlines() if line and not line.startswith("#")][-1]
    assert last_command == test_commands[0]


def test_readme_gives_exactly_two_setup_commands() -> None:
    blocks = [b.strip() for b in bash_blocks(README.split("## 10줄 예제")[0])]
    assert len(blocks) == 2
    assert all(b.startswith("python3 -m venv .venv") for b in blocks)


def test_readme_example_prints_what_it_says() -> None:
    example = re.search(r"## 10줄 예제\n\n```python\n(.*?)```", README, flags=re.S)
    assert example is not None
    code = example.group(1)
    assert len(code.strip().splitlines()) <= 11
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README example", "exec"), {})
    expected = re.findall(r"# (\S+ = -?\d+\.\d+)$", code, flags=re.M)
    assert expected and out.getvalue().splitlines() == expected


def setup_section() -> str:
    return README.split("## 설치와 실행", 1)[1].split("## 10줄 예제", 1)[0]


def test_readme_gives_windows_lines_for_both_commands() -> None:
    windows = re.search(r"```bat\n(.*?)```", setup_section(), flags=re.S)
    assert windows is not None
    lines = windows.group(1).strip().splitlines()
    posix = [b.strip() for b in bash_blocks(setup_section())]
    # the same two commands, spelled for Windows
    assert lines == [
        b.replace("python3 -m venv", "py -m venv").replace(".venv/bin/", ".venv\\Scripts\\")
        for b in posix
    ]


def test_readme_says_how_to_open_the_notebooks() -> None:
    section = setup_section()
    assert '.venv/bin/pip install -q ".[notebook]" && .venv/bin/jupyter lab notebooks/' in section
    assert ".venv\\Scripts\\jupyter lab notebooks/" in section
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    assert any(req.startswith("jupyterlab") for req in extras["notebook"])


def test_readme_colab_cell_installs_from_the_repository_then_imports() -> None:
    cell = re.search(r"\*\*Google Colab\*\*.*?```python\n(.*?)```", setup_section(), flags=re.S)
    assert cell is not None
    lines = cell.group(1).strip().splitlines()
    install = next(i for i, line in enumerate(lines) if line.startswith("%pip install"))
    assert "git+" in lines[install] and "micrograd_kr[plot]" in lines[install]
    assert any(line.startswith("import micrograd_kr") for line in lines[install + 1 :])


def test_readme_lists_the_tests_that_skip_and_they_do_skip_on_that_tool() -> None:
    section = README.split("### 건너뛰는 테스트", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    needs = {"torch": "torch", "chromium": "chromium", "`dot`": "dot"}
    for word, marker in needs.items():
        row = next((r for r in rows if word in r.split("|")[1]), None)
        assert row is not None, f"README does not say which tests skip without {word}"
        files = re.findall(r"`(tests/test_\w+\.py)`", row)
        assert files
        for name in files:  # each named file really depends on that tool
            assert marker in (ROOT / name).read_text(encoding="utf-8"), (word, name)


def test_licence_is_an_spdx_expression_with_its_file() -> None:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = pyproject["project"]
    assert project["license"] == "MIT"
    assert project["license-files"] == ["LICENSE"] and (ROOT / "LICENSE").exists()
    assert not any(c.startswith("License ::") for c in project["classifiers"])
    # PEP 639 metadata needs setuptools 77 or newer to build
    (setuptools,) = [r for r in pyproject["build-system"]["requires"] if "setuptools" in r]
    assert Version(setuptools.split(">=")[1]) >= Version("77")


def test_lint_tools_are_pinned_and_reach_ci() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    pins = {re.split(r"==", r)[0]: r for r in extras["dev"]}
    assert set(pins) == {"ruff", "mypy"} and all("==" in r for r in pins.values())
    # .ci/run lints after installing the test extra, so test must pull in the pinned tools
    assert "micrograd_kr[dev]" in extras["test"]
    assert not any(r.startswith(("ruff", "mypy")) for r in extras["test"])
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert '.venv/bin/pip install -q ".[test]"\n.venv/bin/ruff check .' in ci


def test_ci_installs_chromium_and_requires_the_browser_tests() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert re.search(r"apt-get install -y -qq .*\bchromium\b", ci)
    assert "export MICROGRAD_KR_REQUIRE_BROWSER=1" in ci
    browser_tests = (ROOT / "tests" / "test_viz_animation.py").read_text(encoding="utf-8")
    assert 'os.environ.get("MICROGRAD_KR_REQUIRE_BROWSER")' in browser_tests


def test_readme_diagram_example_writes_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Running the README's diagram example must not overwrite the tracked docs/neuron.svg."""
    section = README.split("## 계산 그래프 그림", 1)[1].split("\n## ", 1)[0]
    example = re.search(r"```python\n(.*?)```", section, flags=re.S)
    assert example is not None
    code = example.group(1)
    targets = re.findall(r"\.save\(\"([^\"]+)\"\)", code)
    assert targets and not any("/" in t or "\\" in t for t in targets), targets
    tracked = ROOT / "docs" / "neuron.svg"
    before = tracked.read_bytes()
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README diagram example", "exec"), {})
    assert [p.name for p in tmp_path.iterdir()] == targets
    assert tracked.read_bytes() == before


def test_jupyter_checkpoints_are_not_tracked() -> None:
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ".ipynb_checkpoints/" in ignored


def test_readme_says_how_long_the_test_command_runs() -> None:
    section = setup_section()
    command = next(b for b in bash_blocks(section) if "pytest" in b)
    after = section.split(command, 1)[1].split("```", 2)[1]
    assert re.search(r"약 \d+분", after), after
    # the parallel workers the command asks for are installed by the test extra
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"][
        "optional-dependencies"
    ]
    if "-n auto" in command:
        assert any(r.startswith("pytest-xdist") for r in extras["test"])


def test_every_subpackage_is_installed() -> None:
    """A non-editable install (the README's commands) has every folder of the package:
    the notebooks' kernels and the benchmark import the installed copy."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(pyproject["tool"]["setuptools"]["packages"])
    folders = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "micrograd_kr").rglob("__init__.py")
    }
    assert folders == listed
