"""`import micrograd_kr` loads the engine core only; the rest loads on first use (issue 21).

The visualiser, the compiler, the training loop, plotting, fonts and NumPy load when a name
that needs them is first touched (PEP 562 module ``__getattr__``), and the core runs on a
Python that has neither NumPy nor matplotlib: a throwaway venv proves it for real.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import textwrap
import venv
from pathlib import Path

import micrograd_kr

PACKAGE = Path(micrograd_kr.__file__).resolve().parent  # the code this suite tests

# the public names before the imports turned lazy (issue 21 keeps them unchanged)
# fmt: off
PUBLIC = {
    "animate_backward", "compile", "data", "define_op", "Diagram", "DomainError", "draw_dot",
    "enable_grad", "functional", "grad", "gradcheck", "GradcheckError", "gradients",
    "GraphError", "hessian", "hvp", "is_grad_enabled", "maximum", "minimum", "nn", "no_grad",
    "numerical_grad", "optim", "Parameter", "TraceError", "train", "Value", "value_and_grad",
    "zero_grad",
    "jvp", "vjp", "jacfwd", "jacrev", "jacobian",  # issue 23: forward mode and Jacobians
}
# fmt: on
CORE = ["engine", "ops", "graph", "autodiff", "forward", "nn", "functional", "optim", "data"]
LATER = ["viz", "compiler", "lift", "plot", "fonts", "train"]
HEAVY = ["numpy", "matplotlib", "pygraphviz", "fontTools", "tqdm", "torch"]


def _run(python: str, source: str, env: dict[str, str], cwd: Path) -> dict[str, object]:
    """Run ``source`` in a fresh interpreter; it prints one JSON object as its last line."""
    done = subprocess.run(
        [python, "-c", textwrap.dedent(source)],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def test_import_loads_the_core_and_the_rest_on_first_use(tmp_path: Path) -> None:
    path = [str(PACKAGE.parent), *filter(None, [os.environ.get("PYTHONPATH")])]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(path))
    seen = _run(
        sys.executable,
        """
        import json, sys
        import micrograd_kr

        def loaded():
            return sorted(sys.modules)

        after_import = loaded()
        draw_dot = micrograd_kr.draw_dot
        after_draw_dot = loaded()
        compile_ = micrograd_kr.compile
        after_compile = loaded()
        from micrograd_kr import Diagram, animate_backward, compile, draw_dot as again, train
        print(json.dumps({
            "file": micrograd_kr.__file__,
            "after_import": after_import,
            "after_draw_dot": after_draw_dot,
            "after_compile": after_compile,
            "draw_dot_module": draw_dot.__module__,
            "compile_module": compile_.__module__,
            "same": [again is draw_dot, compile is compile_,
                     draw_dot is micrograd_kr.viz.draw_dot,
                     Diagram is micrograd_kr.viz.Diagram,
                     animate_backward is micrograd_kr.viz.animate_backward,
                     train is sys.modules["micrograd_kr.train"]],
        }))
        """,
        env,
        tmp_path,
    )
    assert Path(str(seen["file"])).resolve().parent == PACKAGE
    after_import = set(seen["after_import"])  # type: ignore[call-overload]
    for name in CORE:
        assert f"micrograd_kr.{name}" in after_import, name
    for name in LATER:
        assert f"micrograd_kr.{name}" not in after_import, name
    assert not [m for m in after_import if m.startswith("micrograd_kr.viz")]
    for name in HEAVY:
        assert name not in after_import, name

    # first use of draw_dot loads the visualiser and the fonts, and nothing of the compiler
    after_draw_dot = set(seen["after_draw_dot"])  # type: ignore[call-overload]
    assert seen["draw_dot_module"] not in after_import
    assert {seen["draw_dot_module"], "micrograd_kr.viz", "micrograd_kr.fonts"} <= after_draw_dot
    assert "micrograd_kr.compiler" not in after_draw_dot
    # first use of compile loads the compiler (whatever module it lives in now)
    assert seen["compile_module"] not in after_draw_dot
    assert seen["compile_module"] in set(seen["after_compile"])  # type: ignore[call-overload]
    assert seen["same"] == [True] * 6


def test_public_names_all_and_dir_are_unchanged() -> None:
    assert set(micrograd_kr.__all__) == PUBLIC
    assert len(micrograd_kr.__all__) == len(PUBLIC)
    listed = dir(micrograd_kr)
    assert set(listed) >= PUBLIC
    assert listed == sorted(listed)
    # submodules that an eager import used to bind are still attributes of the package
    assert {"viz", "compiler", "fonts", "train", *CORE} <= set(listed)
    for name in PUBLIC:
        assert hasattr(micrograd_kr, name), name
    # the function, not the submodule of the same name, even after the submodule is imported
    importlib.import_module("micrograd_kr.gradcheck")
    assert callable(micrograd_kr.gradcheck)


def test_unknown_attribute_is_an_attribute_error() -> None:
    try:
        micrograd_kr.no_such_name  # type: ignore[attr-defined]  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("micrograd_kr.no_such_name did not raise AttributeError")
    assert not hasattr(micrograd_kr, "plot_everything")


# The core on a Python without NumPy and matplotlib. Expected numbers are worked by hand:
#   L = (x*y + x)^2 at x = 3, y = -2: xy + x = -3, dL/dx = 2(-3)(y + 1) = 6, dL/dy = 2(-3)x = -18
#   d/da a^3 at a = 2 is 3 * 4 = 12
#   mse_loss([1, 2], [0, 0]) = (1 + 4) / 2 = 2.5; cross_entropy([0, 0], 0) = log 2
#   softmax([0, log 3]) = [1/4, 3/4]; hinge on score 0.25 with label 1: 1 - 0.25 = 0.75
#   one SGD step without momentum: p <- p - lr * p.grad
CORE_SNIPPET = """
import importlib.util, json, math, sys

assert importlib.util.find_spec("numpy") is None, "numpy is visible"
assert importlib.util.find_spec("matplotlib") is None, "matplotlib is visible"

import micrograd_kr
from micrograd_kr import Value, data, grad, nn, no_grad, optim
from micrograd_kr import functional as F

x, y = Value(3.0), Value(-2.0)
L = (x * y + x) ** 2
L.backward()
assert (L.data, x.grad, y.grad) == (9.0, 6.0, -18.0), (L.data, x.grad, y.grad)
assert grad(lambda a: a**3)(2.0).data == 12.0

assert F.mse_loss([1.0, 2.0], [0.0, 0.0]).data == 2.5
assert math.isclose(F.cross_entropy([0.0, 0.0], 0).data, math.log(2), rel_tol=1e-12)
probs = [p.data for p in F.softmax([0.0, math.log(3.0)])]
assert all(math.isclose(p, q, rel_tol=1e-12) for p, q in zip(probs, [0.25, 0.75])), probs
assert math.isclose(F.hinge_loss([Value(0.25)], [1]).data, 0.75, rel_tol=1e-12)

X, labels = data.make_moons(40, noise=0.1, seed=1)
assert len(X) == 40 and sorted(set(labels)) == [0, 1]
model = nn.MLP(2, [8, 1], seed=0)
opt = optim.SGD(model.parameters(), lr=0.05)

def loss_now():
    return F.hinge_loss([model(row) for row in X], labels)

losses = []
for step in range(15):
    opt.zero_grad()
    loss = loss_now()
    loss.backward()
    before = [(p.data, p.grad) for p in model.parameters()]
    opt.step()
    for p, (d, g) in zip(model.parameters(), before):
        assert math.isclose(p.data, d - 0.05 * g, rel_tol=1e-12, abs_tol=1e-15), (p.data, d, g)
    losses.append(loss.data)
assert losses[-1] < losses[0], losses
with no_grad():
    assert model(X[0]).data == model(X[0]).data

from micrograd_kr.train import fit  # the training loop needs only tqdm, a pure-Python dependency

history = fit(nn.MLP(2, [8, 1], seed=0), X, labels, epochs=3, progress=False)
assert len(history.loss) == 3

print(json.dumps({
    "prefix": sys.prefix,
    "file": micrograd_kr.__file__,
    "numpy": "numpy" in sys.modules,
    "matplotlib": "matplotlib" in sys.modules,
}))
"""


def test_engine_core_runs_on_a_python_without_numpy_and_matplotlib(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    # no pip, so nothing is downloaded; the new venv never sees this one's site-packages
    venv.create(env_dir, with_pip=False, symlinks=os.name != "nt", system_site_packages=False)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    site = _run(
        str(python),
        "import json, sysconfig; print(json.dumps({'purelib': sysconfig.get_path('purelib')}))",
        clean,
        tmp_path,
    )["purelib"]
    # the code under test and tqdm, linked into a folder of their own: the source tree itself
    # may sit next to other packages (an installed micrograd_kr lives in site-packages)
    source = tmp_path / "source"
    source.mkdir()
    tqdm_spec = importlib.util.find_spec("tqdm")
    assert tqdm_spec is not None and tqdm_spec.origin is not None  # a declared dependency
    (source / "micrograd_kr").symlink_to(PACKAGE, target_is_directory=True)
    (source / "tqdm").symlink_to(Path(tqdm_spec.origin).parent, target_is_directory=True)
    Path(str(site), "micrograd_kr_source.pth").write_text(f"{source}\n", encoding="utf-8")

    seen = _run(str(python), CORE_SNIPPET, clean, tmp_path)
    assert Path(str(seen["prefix"])).resolve() == env_dir.resolve()
    assert Path(str(seen["file"])).resolve().parent == PACKAGE
    assert seen["numpy"] is False and seen["matplotlib"] is False
