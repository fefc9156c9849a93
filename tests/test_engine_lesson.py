"""Issue 21, point 1: engine.py reads as the lesson.

Structure tests: the file's size, where the chain rule and the graph walk live, the one hook
for micrograd's hand-made nodes, the op lookups taken from the table by name, grad mode in its
own module (and still importable from engine).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import micrograd_kr
from micrograd_kr import Value, grad
from micrograd_kr.ops import OPS, Op

PACKAGE = Path(micrograd_kr.__file__).parent
ENGINE = (PACKAGE / "engine.py").read_text(encoding="utf-8")


def _function_source(name: str) -> str:
    """The source of the function or method ``name`` in engine.py."""
    for node in ast.walk(ast.parse(ENGINE)):
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return ast.get_source_segment(ENGINE, node) or ""
    raise AssertionError(f"engine.py has no function {name}")


def test_engine_py_is_at_most_350_lines() -> None:
    assert len(ENGINE.splitlines()) <= 350


def test_the_chain_rule_line_is_in_backward_step_and_the_general_loop_comes_first() -> None:
    step = _function_source("_backward")
    assert "x.grad += local * g" in step
    general = step.index("x.grad += local * g")
    copies = step.index("speed copies")
    assert general < copies < step.index("elif n == 2")


def test_backward_walks_the_graph_in_engine_py_itself() -> None:
    # a*b -> _apply -> backward -> topological_order -> _backward: engine.py and ops.py only
    assert "def topological_order" in ENGINE
    imported = {
        node.module
        for node in ast.walk(ast.parse(ENGINE))
        if isinstance(node, ast.ImportFrom) and node.level == 1
    }
    assert "graph" not in imported
    from micrograd_kr import engine, graph

    assert graph.topological_order is engine.topological_order


def test_backward_has_no_message_text() -> None:
    # messages are built in checks.py: backward reads as the algorithm
    source = _function_source("backward")
    body = source[source.index('"""', source.index('"""') + 3) + 3 :]  # after the docstring
    assert not re.search("[\uac00-\ud7a3]", body)
    assert 'f"' not in body and "raise checks." in body


@pytest.mark.parametrize("module", ["autodiff.py", "viz/view.py", "engine.py"])
def test_only_lecture_py_knows_hand_made_nodes(module: str) -> None:
    source = (PACKAGE / module).read_text(encoding="utf-8")
    assert "HandMade" not in source and "hand_made" not in source


def test_value_methods_look_their_rows_up_by_name_in_the_table() -> None:
    names = set(re.findall(r'OPS\["(\w+)"\]', ENGINE))
    assert names <= set(OPS), names - set(OPS)
    # no second hand-written list of rows (``_MUL = OPS["mul"]``) to keep in step
    assert not re.search(r"^_[A-Z_]+\s*[,=].*OPS\[", ENGINE, re.MULTILINE)


def test_grad_mode_lives_in_mode_py_and_is_still_importable_from_engine() -> None:
    from micrograd_kr import engine, mode

    for name in ("no_grad", "enable_grad", "is_grad_enabled", "tracing"):
        assert getattr(engine, name) is getattr(mode, name)
        assert name in engine.__all__
    assert micrograd_kr.no_grad is mode.no_grad


def test_the_table_rows_have_no_dead_backward_alias() -> None:
    assert not hasattr(Op, "backward")


def test_a_hand_made_node_row_refuses_rules_on_values_and_reads_floats_off_the_closure() -> None:
    from micrograd_kr.lecture import HandMadeRow
    from micrograd_kr.ops import FLOAT
    from micrograd_kr.viz.view import local_derivatives

    a, b = Value(2.0), Value(3.0)
    out = Value(6.0, (a, b), "*")

    def _backward() -> None:  # d(ab)/da = b, d(ab)/db = a
        a.grad += b.data * out.grad
        b.grad += a.data * out.grad

    out._backward = _backward  # type: ignore[method-assign]
    assert isinstance(out._row, HandMadeRow)
    assert out._row.derivatives[0](FLOAT, out.data, 2.0, 3.0) == 3.0
    assert local_derivatives(out) == (3.0, 2.0)
    assert (a.grad, b.grad) == (0.0, 0.0)  # reading them changed nothing

    def f(x: Value) -> Value:
        node = Value(x.data * 3.0, (x,), "x3")
        node._backward = lambda: None  # type: ignore[method-assign]
        return node

    with pytest.raises(micrograd_kr.GraphError, match="hand-made"):
        grad(f)(1.0)
