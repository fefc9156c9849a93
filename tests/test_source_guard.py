"""compile's source guard (issue 12): op names are identifiers, constants are repr(float(x)),
and the generated source is checked with Python's own tokenizer."""

from __future__ import annotations

import pytest

from micrograd_kr import Parameter, Value, compile
from micrograd_kr.compiler import TraceError
from micrograd_kr.compiler import check_source as _check_source
from micrograd_kr.engine import _apply
from micrograd_kr.ops import Op

CR_TRICK = "mul\rv0 = ().__class__.__base__.__subclasses__()"


def test_an_op_name_that_is_not_an_identifier_is_refused_when_defined() -> None:
    with pytest.raises(ValueError, match="identifier"):
        Op(CR_TRICK, "*", lambda m, a, b: a * b, (lambda m, o, a, b: b, lambda m, o, a, b: a))


def test_an_op_name_smuggling_code_after_a_carriage_return_never_runs() -> None:
    # build the row past the check, as old code allowed, and compile a graph that uses it
    row = Op("mul2", "*", lambda m, a, b: a * b, (lambda m, o, a, b: b, lambda m, o, a, b: a))
    object.__setattr__(row, "name", CR_TRICK)
    with pytest.raises(TraceError):
        compile(lambda x: _apply(row, x, x), [1.0])


@pytest.mark.parametrize(
    "line",
    [
        "    # comment\rv0 = ().__class__",  # Python ends the comment at \r
        "    v1 = v0.__class__",  # a dotted attribute
        "    v1 = 'text'",  # a string
        "    v1 = __import__",  # a name outside the allow-list
        "    v1 = 0x10",  # a number that is not a float literal
        "    v1 = 1_0.0",
        "    v1 = v0 @ v0",  # an operator the generator never writes
        "    v1 = v0; v2 = v0",
        "    v1 = lambda: v0",
        "    v1 = v0\x0c",  # a control character
    ],
)
def test_the_token_check_refuses_what_the_generator_never_writes(line: str) -> None:
    source = f"def forward_backward(v0):\n{line}\n    return v0, (1.0,)\n"
    with pytest.raises(TraceError):
        _check_source(source)


def test_the_token_check_accepts_generated_code() -> None:
    c = compile(lambda x, y: (x * y).relu() + (x / 3.0).exp() - y**2.5, [0.5, 2.0])
    _check_source(c.source)  # no error
    assert "def forward_backward(v0, v1):" in c.source


class Hostile(float):
    """A float whose repr lies about its value (or tries to inject code)."""

    def __repr__(self) -> str:
        return "9.0"


class Injecting(float):
    def __repr__(self) -> str:
        return "1.0 if v0 else ().__class__.__base__"


def test_a_float_subclass_cannot_forge_a_constant() -> None:
    w = Parameter(2.0)
    w.data = Hostile(2.0)
    c = compile(lambda x: x * w, [1.5], params=[])
    assert "9.0" not in c.source
    out, (dx,) = c(4.0)
    assert (out, dx) == (8.0, 2.0)  # 2 x, not 9 x


def test_a_float_subclass_cannot_inject_code() -> None:
    w = Value(1.0)
    w.data = Injecting(3.0)
    c = compile(lambda x: x + w, [1.0], params=[])
    assert "__class__" not in c.source
    assert c(2.0)[0] == 5.0
