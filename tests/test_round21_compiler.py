"""Issue 21, points 3 and 4: the op surface from the table; the compiler, a package on an IR.

* A new math function touches its row, its entry in ``ops.FUNCTIONS`` and (if it is one) a
  ``Value`` method: floats, Values (grad of grad), compile (scalar and NumPy batch, lifted) and
  expressions then all know it. Shown with sinh and cosh (each one's derivative calls the
  other, so the interpreters must know both) added to a temporary table.
* ``micrograd_kr.compiler`` is a package: trace -> IR -> codegen / lift -> runtime, without an
  import cycle, without a module importing another's private names, and the lifting pass
  never edits text (no regular expressions).
"""

from __future__ import annotations

import ast
import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from micrograd_kr import Value, compile, grad, ops
from micrograd_kr.autodiff import VALUE_MATH
from micrograd_kr.compiler import SYM, NumpyMath, lower, trace
from micrograd_kr.compiler.ir import Assign, Var
from micrograd_kr.engine import apply_op
from micrograd_kr.expr import FUNCTIONS as EXPRESSION_FUNCTIONS
from micrograd_kr.expr import parse_expression

PACKAGE = Path(__file__).resolve().parent.parent / "micrograd_kr"

SINH = ops.Op("sinh", "sinh", lambda m, x: m.sinh(x), (lambda m, out, x: m.cosh(x),))
COSH = ops.Op("cosh", "cosh", lambda m, x: m.cosh(x), (lambda m, out, x: m.sinh(x),))


@pytest.fixture
def hyperbolic(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """sinh and cosh in a temporary table: two rows, two entries of the list, two Value
    methods (what a contributor writes); everything is restored afterwards."""
    monkeypatch.setitem(ops.OPS, "sinh", SINH)
    monkeypatch.setitem(ops.OPS, "cosh", COSH)
    monkeypatch.setattr(
        ops,
        "FUNCTIONS",
        (
            *ops.FUNCTIONS,
            ops.Function("sinh", "sinh", math.sinh, "sinh"),
            ops.Function("cosh", "cosh", math.cosh, "cosh"),
        ),
    )
    monkeypatch.setattr(Value, "sinh", lambda self: apply_op("sinh", self), raising=False)
    monkeypatch.setattr(Value, "cosh", lambda self: apply_op("cosh", self), raising=False)
    for m in (ops.FLOAT, VALUE_MATH, SYM):  # what importing the edited ops.py would do
        m.learn_functions()
    yield
    for m in (ops.FLOAT, VALUE_MATH, SYM):
        for name in ("sinh", "cosh"):
            vars(m).pop(name, None)


def test_a_new_math_function_reaches_every_interpreter(hyperbolic: None) -> None:
    x = 0.7
    # floats: the eager engine's forward and backward
    assert ops.FLOAT.sinh(x) == math.sinh(x)
    v = Value(x)
    y = v.sinh()  # type: ignore[attr-defined]
    y.backward()
    assert y.data == pytest.approx(math.sinh(x), rel=1e-15)
    assert v.grad == pytest.approx(math.cosh(x), rel=1e-15)
    # Values: the derivative rules run on Values (ValueMath.cosh, then .sinh)
    f = lambda t: t.sinh()
    assert grad(f)(x).data == pytest.approx(math.cosh(x), rel=1e-15)
    assert grad(grad(f))(x).data == pytest.approx(math.sinh(x), rel=1e-15)
    assert grad(grad(grad(f)))(x).data == pytest.approx(math.cosh(x), rel=1e-15)
    # source text and NumPy
    assert SYM.cosh(SYM.sinh(1.5)).text == "cosh(sinh(1.5))"
    assert NumpyMath(np).sinh(np.array([x]))[0] == pytest.approx(math.sinh(x), rel=1e-15)


def test_a_new_math_function_compiles_scalar_batch_and_lifted(hyperbolic: None) -> None:
    g = grad(lambda t: t.sinh() * 2.0)  # d/dt = 2 cosh t; its derivative 2 sinh t
    xs = np.array([-1.0, 0.3, 2.0])
    for lift in (False, True):
        c = compile(g, [0.3], lift=lift, check="always")
        assert "cosh(" in (c.scalar_source if lift else c.source)
        out, (dx,) = c(0.3)
        assert out == pytest.approx(2 * math.cosh(0.3), rel=1e-12)
        assert dx == pytest.approx(2 * math.sinh(0.3), rel=1e-12)
        out_b, (dx_b,) = c(xs, reduce="sum")
        assert out_b == pytest.approx(sum(2 * math.cosh(t) for t in xs), rel=1e-12)
        assert np.allclose(dx_b, [2 * math.sinh(t) for t in xs], rtol=1e-12)


def test_a_new_math_function_is_known_to_expressions(hyperbolic: None) -> None:
    assert "sinh" in EXPRESSION_FUNCTIONS and "cosh" in EXPRESSION_FUNCTIONS
    expr = parse_expression("sinh(x) * cosh(x)")
    assert expr.evaluate({"x": 0.4}).data == pytest.approx(math.sinh(0.8) / 2, rel=1e-14)


def test_the_temporary_function_is_gone_afterwards() -> None:
    assert ops.function_named("sinh") is None and "sinh" not in ops.OPS
    assert "sinh" not in EXPRESSION_FUNCTIONS
    with pytest.raises(AttributeError):
        ops.FLOAT.sinh  # noqa: B018


def test_every_interpreter_knows_every_listed_function() -> None:
    for f in ops.FUNCTIONS:
        for m in (ops.FLOAT, VALUE_MATH, SYM, NumpyMath(np)):
            assert callable(getattr(m, f.name)), (m, f.name)
    # a function without a float or NumPy spelling is its row's forward rule
    assert ops.FLOAT.relu(-2.0) == 0.0 and ops.FLOAT.leaky_relu(-2.0, 0.1) == -0.2
    assert list(NumpyMath(np).relu(np.array([-1.0, 3.0]))) == [0.0, 3.0]


def test_expressions_allow_what_they_allowed_before() -> None:
    assert list(EXPRESSION_FUNCTIONS) == [
        "exp", "expm1", "log", "log1p", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu",
        "softplus", "abs", "leaky_relu", "elu", "maximum", "minimum",
    ]  # fmt: skip
    assert parse_expression("maximum(x, 2)").evaluate({"x": 1.0}).data == 2.0
    assert parse_expression("leaky_relu(x, 0.2)").evaluate({"x": -1.0}).data == -0.2


# --- the compiler package -------------------------------------------------------------------


def _imports(path: Path) -> list[tuple[str, list[str], int]]:
    """(module, names, level) of every import statement of a file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            found.append((node.module or "", [a.name for a in node.names], node.level))
        elif isinstance(node, ast.Import):
            found += [(a.name, [], 0) for a in node.names]
    return found


def test_the_compiler_is_a_package_without_cycles_or_private_imports() -> None:
    modules = {p.stem: p for p in (PACKAGE / "compiler").glob("*.py")}
    assert {"trace", "ir", "symbolic", "codegen", "lift", "runtime"} <= set(modules)
    assert not (PACKAGE / "compiler.py").exists() and not (PACKAGE / "lift.py").exists()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = set()
        for module, names, level in _imports(path):
            private = [n for n in names if n.startswith("_") and n != "__future__"]
            assert not private, (name, module, private)
            if level == 1 and module in modules:
                graph[name].add(module)
        assert ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))), name

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(
            m == goal or (m not in seen and reaches(m, goal, seen | {m})) for m in graph[start]
        )

    for name in graph:
        assert not reaches(name, name, set()), f"import cycle through {name}"
    # no module of the package (nor train.py) takes another module's private names
    for path in [*PACKAGE.glob("*.py")]:
        for module, names, _ in _imports(path):
            if "compiler" in module:
                assert not [n for n in names if n.startswith("_")], (path.name, names)


def test_lifting_never_edits_text() -> None:
    source = (PACKAGE / "compiler" / "lift.py").read_text(encoding="utf-8")
    assert all(m != "re" for m, _, _ in _imports(PACKAGE / "compiler" / "lift.py"))
    assert ".sub(" not in source and "re.compile" not in source


def test_the_ir_is_a_list_of_assignments() -> None:
    program = lower(trace(lambda x, y: (x * y).tanh() + y, [0.5, 2.0]))
    assert program.n_inputs == 2 and program.n_params == 0
    rows = [(a.target, a.row.name, a.args) for a in program.forward]
    assert rows == [
        (Var(2), "mul", (Var(0), Var(1))),
        (Var(3), "tanh", (Var(2),)),
        (Var(4), "add", (Var(3), Var(1))),
    ]
    assert program.output == Var(4)
    assert all(isinstance(a, Assign) for a in program.forward)
    # a constant stays a number in the arguments
    with_constant = lower(trace(lambda x: x * 3.0, [0.5]))
    assert with_constant.forward[0].args == (Var(0), 3.0)
