"""The message catalog: every message a user sees comes from micrograd_kr/messages.py.

These tests read the package's source (ast): every key has both languages with
the same fields, every key is used, and no Hangul string literal is left outside the catalog.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from micrograd_kr import messages
from micrograd_kr.messages import CATALOG, Message, fields_of, say

PACKAGE = Path(messages.__file__).resolve().parent
HANGUL = re.compile("[\uac00-\ud7a3\u3131-\u318e]")
CATALOG_FILE = PACKAGE / "messages.py"


def _sources() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != CATALOG_FILE)


def _strings(path: Path) -> list[tuple[int, str]]:
    """Every string constant in the file with its line, including the pieces of f-strings
    (``ast`` sees inside them; a tokenizer on Python 3.11 does not)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return [
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]


def test_every_entry_has_both_languages_with_the_same_fields() -> None:
    for key, entry in CATALOG.items():
        assert isinstance(entry, Message), key
        assert re.fullmatch(r"[a-z0-9_]+(\.[a-z0-9_]+)+", key), f"key {key!r}: use area.what"
        assert entry.en.strip(), f"{key}: no English text"
        assert not HANGUL.search(entry.en), f"{key}: Hangul in the English text {entry.en!r}"
        if entry.ko:
            assert HANGUL.search(entry.ko), f"{key}: the Korean text has no Hangul: {entry.ko!r}"
        if entry.ko:
            assert fields_of(entry.ko) <= fields_of(entry.en), (
                f"{key}: a field of the Korean text is missing in English (English-only mode "
                f"would drop it): {fields_of(entry.ko) - fields_of(entry.en)}"
            )


def test_every_key_is_used_in_the_package() -> None:
    used: set[str] = set()
    for path in _sources():
        used.update(text for _, text in _strings(path) if text in CATALOG)
    unused = sorted(set(CATALOG) - used)
    assert not unused, f"keys no module uses: {unused}"


def test_no_hangul_string_literal_outside_the_catalog() -> None:
    found: list[str] = []
    for path in _sources():
        name = path.relative_to(PACKAGE).as_posix()
        for line, text in _strings(path):
            if HANGUL.search(text):
                found.append(f"{name}:{line}: {text[:60]!r}")
    assert not found, "Hangul text outside messages.py:\n" + "\n".join(found)


def test_say_puts_korean_first_and_english_in_parentheses(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(messages.LANG_VARIABLE, raising=False)
    text = say("shared.must_be_finite", what="w")
    assert text == "w는 유한한 수여야 합니다 (w must be a finite number)"


def test_english_only_mode_gives_the_english_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(messages.LANG_VARIABLE, "en")
    assert say("shared.must_be_finite", what="w") == "w must be a finite number"


def test_an_unknown_key_is_a_clear_error() -> None:
    with pytest.raises(KeyError, match=r"no message with key 'no\.such_key'"):
        say("no.such_key")


def test_english_only_mode_reaches_errors_and_the_command_line() -> None:
    """With MICROGRAD_KR_LANG=en, an error raised by the engine and the command line's
    output carry no Hangul."""
    env = {**os.environ, messages.LANG_VARIABLE: "en"}
    code = (
        "from micrograd_kr import Value\n"
        "try:\n"
        "    Value(-1.0).log()\n"
        "except ValueError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert "log" in out and not HANGUL.search(out), out
    cli = subprocess.run(
        [sys.executable, "-m", "micrograd_kr", "gradcheck", "log(x)", "x=-1"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert cli.returncode != 0
    assert cli.stderr.strip() or cli.stdout.strip()
    assert not HANGUL.search(cli.stdout + cli.stderr), cli.stdout + cli.stderr
