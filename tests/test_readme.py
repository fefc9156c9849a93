"""The README's commands and example stay true."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

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
