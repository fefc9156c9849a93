"""The ``micrograd-kr`` command: ``demo``, ``graph``, ``gradcheck`` and ``train``.

Exit status: 0 on success, 1 when ``gradcheck`` finds a disagreement, a point where the
derivative is undefined (a kink) or a step too large or too small for an input (it names an
``--eps`` that works), 2 on a usage or input error. Errors are one line on
stderr (``오류: ...``), never a Python traceback; set ``MICROGRAD_KR_DEBUG=1`` to see the
traceback of an unexpected error.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import math
import os
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, NoReturn

from . import __version__
from .engine import DomainError, Parameter, Value
from .expr import (
    ExprError,
    backward,
    bind,
    describe_limits,
    function_names,
    parse_assignments,
    parse_expression,
)
from .nn import ACTIVATIONS

__all__ = ["main", "CliError"]

EXIT_OK, EXIT_MISMATCH, EXIT_USAGE = 0, 1, 2

DIAGRAM_SUFFIXES = (".svg", ".png", ".pdf", ".dot", ".html")
DEMO_FOLDER = "micrograd-kr-demo"
MAX_DRAW_VALUES = 150  # values in a rendered diagram (see _diagram)
LAYOUT_TIMEOUT = 10.0  # seconds of Graphviz layout: any `graph` command ends within ~15 s
PLOT_HINT = 'pip install "micrograd_kr[plot]"'
FORCE_HELP = "이미 있는 파일을 덮어씁니다 (기본: 덮어쓰지 않고 멈춤)"


class CliError(Exception):
    """A usage or input problem: printed as one line, exit status 2."""


class _UsageError(CliError):
    def __init__(self, message: str, prog: str) -> None:
        super().__init__(f"{message} ('{prog} --help' 참고)")


# -- argparse, in Korean -------------------------------------------------------------------

# argparse's own messages (its gettext msgids), Korean first with the English term kept
_ARGPARSE_KO = {
    "the following arguments are required: %s": "필요한 인자가 빠졌습니다 (required): %s",
    "unrecognized arguments: %s": "알 수 없는 인자입니다 (unrecognized arguments): %s",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "expected one argument": "값이 하나 필요합니다 (expected one argument)",
    "expected at most one argument": "값은 하나까지입니다 (expected at most one argument)",
    "expected at least one argument": "값이 하나 이상 필요합니다 (expected at least one argument)",
    "ambiguous option: %(option)s could match %(matches)s": (
        "옵션 %(option)s 이(가) 모호합니다 (ambiguous option): %(matches)s"
    ),
    "invalid %(type)s value: %(value)r": "잘못된 값입니다 (invalid %(type)s value): %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "알 수 없는 값 %(value)r (invalid choice); 고를 수 있는 값: %(choices)s"
    ),
    "not allowed with argument %s": "%s 와(과) 함께 쓸 수 없습니다 (not allowed with)",
    "one of the arguments %s is required": "다음 중 하나가 필요합니다 (required): %s",
    "ignored explicit argument %r": "값을 받지 않는 옵션입니다 (ignored explicit argument %r)",
    "%(prog)s: error: %(message)s\n": "%(prog)s: 오류: %(message)s\n",
    "usage: ": "사용법: ",
    "options": "옵션",
    "positional arguments": "인자",
}


@contextlib.contextmanager
def _korean_argparse() -> Iterator[None]:
    """argparse speaks Korean while the command line is parsed (its gettext hooks)."""
    module = vars(argparse)  # argparse looks up _ and ngettext as module globals
    saved = module["_"], module["ngettext"]

    def gettext(message: str) -> str:
        return _ARGPARSE_KO.get(message, message)

    def ngettext(singular: str, plural: str, n: int) -> str:
        if singular == "expected %s argument":
            return "값이 %s개 필요합니다 (expected %s arguments)".replace("%s", str(n), 1)
        return singular if n == 1 else plural

    module["_"], module["ngettext"] = gettext, ngettext
    try:
        yield
    finally:
        module["_"], module["ngettext"] = saved


def _width(text: str) -> int:
    """Display width in a terminal: Hangul and other wide characters take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` columns, broken at spaces only.

    textwrap counts a Hangul syllable as one column although a terminal gives it two, and
    breaks words at hyphens ("micrograd-kr-demo"); this counts display width and keeps words
    whole unless a single word is wider than the line.
    """
    width = max(width, 10)
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _width(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        while _width(word) > width:  # a word wider than the line: cut it by columns
            cut = 0
            while _width(word[: cut + 1]) <= width:
                cut += 1
            lines.append(word[:cut])
            word = word[cut:]
        current = word
    if current:
        lines.append(current)
    return lines


class _Formatter(argparse.HelpFormatter):
    """Help text wrapped by display width; lines indented by two spaces are kept as written."""

    def __init__(self, prog: str, **kwargs: Any) -> None:
        super().__init__(prog, **kwargs)
        # room for the indented command names ("    gradcheck") before the help column
        self._action_max_length = 14

    def _split_lines(self, text: str, width: int) -> list[str]:
        return _wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        out = []
        for line in text.splitlines():
            if not line.strip() or line.startswith("  "):
                out.append(indent + line if line.strip() else "")
            else:
                out.extend(indent + piece for piece in _wrap(line, width - len(indent)))
        return "\n".join(out)


def _suggest(word: str, candidates: Sequence[str]) -> str:
    """ " 혹시 'graph'? (did you mean)" for the closest candidate, or ""."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" 혹시 '{close[0]}'? (did you mean)" if close else ""


class _Parser(argparse.ArgumentParser):
    """argparse with Korean titles and messages, and errors raised instead of printed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "인자"
        self._optionals.title = "옵션"
        self.add_argument("-h", "--help", action="help", help="이 도움말을 보여 주고 끝냅니다")

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        choices = action.choices
        if choices is not None and value not in choices:
            names = [str(c) for c in choices]
            what = "명령" if isinstance(action, argparse._SubParsersAction) else "값"
            raise argparse.ArgumentError(
                action,
                f"알 수 없는 {what} '{value}' (invalid choice).{_suggest(str(value), names)} "
                f"고를 수 있는 {what}: {', '.join(names)}",
            )

    def error(self, message: str) -> NoReturn:
        required = _ARGPARSE_KO["the following arguments are required: %s"] % "COMMAND"
        if message.strip() == required:
            message = "명령이 없습니다 (missing command): demo, graph, gradcheck, train 중 하나"
        raise _UsageError(message, self.prog)


def _all_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    found = [parser]
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in action.choices.values():
                found += _all_parsers(sub)
    return found


def _positive_float(text: str) -> float:
    value = _finite_float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError(f"양수여야 합니다 (must be > 0): {text!r}")
    return value


def _nonnegative_float(text: str) -> float:
    value = _finite_float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"0 이상이어야 합니다 (must be >= 0): {text!r}")
    return value


def _finite_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"숫자가 아닙니다 (not a number): {text!r}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"유한한 수여야 합니다 (must be finite): {text!r}")
    return value


def _int_range(low: int, high: int) -> Callable[[str], int]:
    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"정수가 아닙니다 (not an integer): {text!r}"
            ) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{low}~{high} 사이여야 합니다 (must be in {low}..{high}): {text!r}"
            )
        return value

    return convert


def _hidden_sizes(text: str) -> list[int]:
    parts = [p.strip() for p in text.split(",")]
    size = _int_range(1, 256)
    sizes = [size(p) for p in parts if p] if text.strip() else []
    if len(sizes) > 8:
        raise argparse.ArgumentTypeError("은닉층은 최대 8개입니다 (at most 8 hidden layers)")
    return sizes


EXPR_HELP = (
    "식 (expression): 숫자, 변수, + - * / **, 괄호, 함수 "
    + " ".join(function_names())
    + f". 안전 제한: {describe_limits()}. 식은 '-'로 시작해도 됩니다 (예: \"-x**2\")."
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``micrograd-kr`` (exposed for documentation and tests)."""
    parser = _Parser(
        prog="micrograd-kr",
        description=(
            "micrograd_kr: 스칼라 자동 미분(역전파)을 배우는 도구. "
            "계산 그래프 그림, 기울기 표, 작은 신경망 학습을 명령 하나로 만듭니다."
        ),
        epilog=(
            "예:\n"
            "  micrograd-kr demo\n"
            '  micrograd-kr graph "tanh(w*x + b)" x=2 w=-3 b=6.88 -o g.svg\n'
            '  micrograd-kr gradcheck "log(x) * 가중치" x=2 가중치=0.5\n'
            "  micrograd-kr train --dataset moons --epochs 50 --save model.json\n"
            "\n종료 상태: 0 성공, 1 gradcheck 불일치 또는 미분 불가, 2 사용법/입력 오류."
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}", help="버전을 보여 줍니다"
    )
    commands = parser.add_subparsers(title="명령", dest="command", metavar="COMMAND")
    commands.required = True

    demo = commands.add_parser(
        "demo",
        help="뉴런 그림, 역전파 애니메이션, moons 학습을 한 번에 만듭니다",
        description=(
            "뉴런 하나 tanh(w1*x1 + w2*x2 + b)의 계산 그래프(순전파 파랑, 역전파 빨강)와 "
            "역전파 애니메이션을 그리고, moons 데이터로 작은 MLP를 학습해 손실과 결정 경계를 "
            "그립니다. 쓴 파일의 경로를 모두 출력합니다."
        ),
    )
    demo.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        help=f"결과 폴더 (기본: 현재 폴더에 새 폴더 {DEMO_FOLDER}, {DEMO_FOLDER}-2, ...)",
    )
    demo.add_argument("--force", action="store_true", help=FORCE_HELP)
    demo.add_argument(
        "--epochs", type=_int_range(1, 1000), default=60, help="학습 에폭 수 (기본: 60)"
    )
    demo.add_argument("--seed", type=_int_range(0, 2**32 - 1), default=0, help="난수 시드")
    demo.add_argument("--no-progress", action="store_true", help="진행 막대를 숨깁니다")
    demo.set_defaults(func=cmd_demo)

    graph = commands.add_parser(
        "graph",
        help="식의 값, 변수별 기울기 표, 계산 그래프 그림",
        description=(
            "식을 계산하고 역전파해서 값과 d(식)/d(변수) 표를 출력합니다. -o를 주면 "
            "계산 그래프를 그립니다 (형식은 확장자: "
            + " ".join(DIAGRAM_SUFFIXES)
            + "; .html은 역전파 애니메이션). 변수 이름은 한글도 됩니다: 가중치=0.5"
        ),
    )
    graph.add_argument("expr", metavar="EXPR", help=EXPR_HELP)
    graph.add_argument("values", metavar="NAME=VALUE", nargs="*", help="변수 값, 예: x=2 w=-3")
    graph.add_argument("-o", "--out", metavar="FILE", type=Path, help="그림 파일 (예: g.svg)")
    graph.add_argument("--force", action="store_true", help=FORCE_HELP)
    graph.set_defaults(func=cmd_graph)

    check = commands.add_parser(
        "gradcheck",
        help="역전파 기울기와 수치 미분(중앙 차분)을 비교합니다",
        description=(
            "역전파로 구한 기울기와 중앙 차분 (f(x+eps) - f(x-eps)) / (2 eps)를 나란히 "
            "출력합니다. |해석 - 수치| <= atol + rtol*|수치| 이면 일치. 꺾인 점(relu, abs의 "
            "0 등)에서는 미분이 정의되지 않는다고, 간격이 입력에 비해 너무 크거나 작으면 맞는 "
            "--eps를 알려 줍니다. 불일치, 꺾인 점, 맞지 않는 간격이 있으면 종료 상태 1."
        ),
    )
    check.add_argument("expr", metavar="EXPR", help=EXPR_HELP)
    check.add_argument("values", metavar="NAME=VALUE", nargs="*", help="변수 값, 예: x=2")
    check.add_argument("--eps", type=_positive_float, default=1e-6, help="차분 간격 (기본 1e-6)")
    check.add_argument(
        "--atol", type=_nonnegative_float, default=1e-5, help="절대 허용 오차 (기본 1e-5)"
    )
    check.add_argument(
        "--rtol", type=_nonnegative_float, default=1e-3, help="상대 허용 오차 (기본 1e-3)"
    )
    check.set_defaults(func=cmd_gradcheck)

    train = commands.add_parser(
        "train",
        help="작은 데이터셋으로 MLP를 학습합니다",
        description="토이 데이터셋으로 MLP를 학습하고 에폭별 손실과 최종 지표를 출력합니다.",
    )
    train.add_argument(
        "--dataset",
        choices=DATASETS,
        default="moons",
        metavar="NAME",
        help=f"데이터셋: {', '.join(DATASETS)} (기본: moons). linear, parabola는 회귀",
    )
    train.add_argument(
        "--samples", type=_int_range(4, 2000), default=100, help="표본 수 (기본 100)"
    )
    train.add_argument(
        "--hidden",
        type=_hidden_sizes,
        default=[16, 16],
        metavar="N,N,...",
        help="은닉층 크기, 쉼표로 구분 (기본: 16,16)",
    )
    train.add_argument(
        "--activation",
        choices=ACTIVATIONS,
        default="relu",
        metavar="NAME",
        help=f"은닉층 활성화 함수: {', '.join(ACTIVATIONS)} (기본: relu)",
    )
    train.add_argument(
        "--loss",
        choices=("hinge", "bce", "cross_entropy", "mse"),
        metavar="NAME",
        help=(
            "손실 함수: hinge, bce, cross_entropy, mse "
            "(기본: 분류 moons/circles는 hinge, spiral은 cross_entropy, 회귀는 mse)"
        ),
    )
    train.add_argument(
        "--optimizer",
        choices=("sgd", "adam"),
        default="adam",
        metavar="NAME",
        help="최적화 방법: sgd, adam (기본: adam)",
    )
    train.add_argument("--lr", type=_positive_float, help="학습률 (기본: adam 0.01, sgd 0.1)")
    train.add_argument("--epochs", type=_int_range(1, 10000), default=50, help="에폭 수 (기본 50)")
    train.add_argument("--seed", type=_int_range(0, 2**32 - 1), default=0, help="난수 시드")
    train.add_argument("--save", metavar="FILE", type=Path, help="학습한 모델을 JSON으로 저장")
    train.add_argument(
        "--plot", metavar="DIR", type=Path, help="손실 곡선과 결정 경계/적합 곡선 PNG를 저장할 폴더"
    )
    train.add_argument("--force", action="store_true", help=FORCE_HELP)
    train.add_argument("--no-progress", action="store_true", help="진행 막대를 숨깁니다")
    train.add_argument(
        "--compiled",
        action="store_true",
        help="샘플 하나의 손실을 한 번 추적해 행렬 코드로 컴파일해서 학습합니다 (빠름, NumPy 필요)",
    )
    train.set_defaults(func=cmd_train)
    return parser


# -- output helpers ---------------------------------------------------------------------------


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max(_width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [cell + " " * (w - _width(cell)) for cell, w in zip(row, widths)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)


def _num(x: float, digits: int = 6) -> str:
    return f"{x:.{digits}g}"


def _loss_text(x: float) -> str:
    """Four decimals, like 0.3638; a diverging loss as 7.835e+307, not 300 digits."""
    from .train import short_number  # the progress bar's format too

    return short_number(x)


def _wrote(path: Path) -> None:
    print(f"저장: {path}")


# -- expressions --------------------------------------------------------------------------


# a number written right before a name or "(": 3x, 2(x+1) (but not 1e5 or 1.5)
_IMPLICIT_PRODUCT = re.compile(r"(?<![\w.])(\d+(?:\.\d*)?)(?![eE][+-]?\d)([^\W\d]|\()")


def _expression_hint(source: str, error: ExprError) -> ExprError:
    """``error`` with a hint a learner can act on: did-you-mean, or ``3*x`` for ``3x``."""
    hint = ""
    unknown = re.match(r"알 수 없는 함수 '([^']+)'", error.message)
    if unknown:
        hint = _suggest(unknown.group(1), list(function_names()))
    elif "(syntax error)" in error.message or "only named functions" in error.message:
        product = _IMPLICIT_PRODUCT.search(source)
        if product:
            number, after = product.groups()
            hint = (
                f" 곱셈은 *를 씁니다: '{number}{after}' 대신 '{number}*{after}' "
                "(write multiplication with *)"
            )
    if not hint:
        return error
    return ExprError(error.message + hint, error.column, error.where)


def _prepare(expr_text: str, value_args: Sequence[str]) -> tuple[Any, list[str], dict[str, float]]:
    try:
        expression = parse_expression(expr_text)
    except ExprError as exc:
        raise _expression_hint(expr_text, exc) from None
    values = parse_assignments(value_args)
    names = bind(expression, values)
    return expression, names, values


def _evaluate(
    expression: Any, names: Sequence[str], values: dict[str, float]
) -> tuple[Value, dict[str, Value]]:
    leaves = {name: Value(values[name], label=name) for name in names}
    columns: dict[Value, int] = {}
    root = expression.evaluate(leaves, columns)
    backward(root, columns)
    return root, leaves


def _check_diagram_path(path: Path) -> None:
    if path.is_dir():
        raise CliError(f"'{path}'은(는) 폴더입니다 (is a directory; give a file name)")
    if path.suffix.lower() not in DIAGRAM_SUFFIXES:
        raise CliError(
            f"그림 형식을 모릅니다: '{path.suffix or path.name}' "
            f"(unknown diagram format; use {' '.join(DIAGRAM_SUFFIXES)})"
        )
    parent = path.parent
    if not parent.is_dir():
        raise CliError(f"폴더가 없습니다: '{parent}' (directory does not exist)")


@contextlib.contextmanager
def _drawing_errors() -> Iterator[None]:
    """Turn the visualizer's errors into one-line CLI errors."""
    from . import viz

    try:
        yield
    except viz.RendererNotFoundError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "no renderer"
        raise CliError(
            f"그림을 그릴 수 없습니다: {first} (pip install pygraphviz, 또는 Graphviz 설치)"
        ) from None
    except viz.GraphTooLargeError as exc:
        raise CliError(
            f"그래프가 너무 커서 그리지 않습니다: {str(exc).split(';')[0]} "
            "(graph too large to draw; -o FILE.dot writes the DOT text only)"
        ) from None
    except viz.RenderError as exc:
        raise CliError(f"그림을 그릴 수 없습니다: {exc}") from None


ROOT_LABEL_MAX = 40  # characters of the expression shown in the output box


def _root_label(source: str) -> str:
    text = " ".join(source.split())
    if len(text) > ROOT_LABEL_MAX:
        text = text[: ROOT_LABEL_MAX - 1] + "…"
    return f"결과 = {text}"


def _diagram(root: Value, path: Path) -> Any:
    """The diagram (or animation, for .html) of ``root``, not yet rendered.

    Layout time grows steeply with size (a 180-value graph takes seconds), so the command
    line draws at most MAX_DRAW_VALUES values; the .dot text has no layout step.
    """
    from . import viz

    with _drawing_errors():
        if path.suffix.lower() == ".html":
            return viz.animate_backward(root, timeout=LAYOUT_TIMEOUT)
        limit = viz.DEFAULT_MAX_NODES if path.suffix.lower() == ".dot" else MAX_DRAW_VALUES
        return viz.draw_dot(root, max_nodes=limit, timeout=LAYOUT_TIMEOUT)


@contextlib.contextmanager
def _writing(path: Path) -> Iterator[None]:
    """Name ``path`` in a write error, not the temporary file the atomic write used."""
    try:
        yield
    except OSError as exc:
        raise CliError(f"저장할 수 없습니다: '{path}' ({exc.strerror or exc})") from None


def _save(diagram: Any, path: Path) -> None:
    with _drawing_errors(), _writing(path):
        diagram.save(path)
    _wrote(path)


def cmd_graph(args: argparse.Namespace) -> int:
    """``micrograd-kr graph``: value, gradient table, optional diagram."""
    if args.out is not None:
        _check_diagram_path(args.out)
        _refuse_overwrite([args.out], args.force)
    expression, names, values = _prepare(args.expr, args.values)
    root, leaves = _evaluate(expression, names, values)
    if not root.label:
        root.label = _root_label(expression.source)  # the diagram's output box says what it is
    diagram = None if args.out is None else _diagram(root, args.out)  # size checked first
    print(f"식: {expression.source.strip()}")
    print(f"값: {_num(root.data, 10)}")
    if names:
        rows = [[n, _num(values[n]), _num(float(leaves[n].grad), 10)] for n in names]
        print(_table(["변수", "값", "d(식)/d(변수)"], rows))
    else:
        print("변수가 없습니다 (no variables)")
    if diagram is not None:
        _save(diagram, args.out)
    return EXIT_OK


def cmd_gradcheck(args: argparse.Namespace) -> int:
    """``micrograd-kr gradcheck``: analytic vs. central-difference gradients."""
    from .gradcheck import Finding, GradcheckError, difference_step, gradcheck, numerical_grad

    expression, names, values = _prepare(args.expr, args.values)
    if not names:
        raise CliError("검사할 변수가 없습니다: NAME=VALUE를 주세요 (no variables to check)")
    root, leaves = _evaluate(expression, names, values)
    order = list(expression.variables)  # the positional order of expression(...)
    inputs = [values[n] for n in order]
    for n in order:  # a step that rounds away at some input would divide by zero
        try:
            difference_step(values[n], args.eps)
        except ValueError as exc:
            raise CliError(f"--eps: 변수 {n}: {exc}") from None
    try:
        numeric = dict(zip(order, numerical_grad(expression, inputs, args.eps)))
    except ExprError as exc:
        raise ExprError(f"수치 미분 중 (x ± eps={args.eps:g}): {exc.message}", exc.column) from None
    findings: dict[str, Finding] = {}
    try:
        gradcheck(expression, inputs, eps=args.eps, atol=args.atol, rtol=args.rtol)
    except GradcheckError as exc:  # the library says why each input failed
        findings = {order[item.index]: item for item in exc.findings}
    print(f"식: {expression.source.strip()}")
    print(f"값: {_num(root.data, 10)}")
    rows = []
    for n in names:
        analytic, num = float(leaves[n].grad), numeric[n]
        verdict = findings[n].verdict if n in findings else "일치 (ok)"
        difference = f"{abs(analytic - num):.2e}"
        rows.append([n, _num(values[n]), _num(analytic, 10), _num(num, 10), difference, verdict])
    header = ["변수", "값", "역전파 (analytic)", "수치 (numeric)", "차이", "결과"]
    print(_table(header, rows))
    for n in names:
        if n in findings and findings[n].kind != "mismatch":
            print(f"결과: {findings[n].describe(n, eps_option='--eps ')}")
    others = [n for n in names if n in findings and findings[n].kind == "mismatch"]
    if others:
        print(f"결과: 기울기 불일치 (gradients disagree): {', '.join(others)}")
    if findings:
        return EXIT_MISMATCH
    print(f"결과: 모든 기울기가 일치합니다 (atol={args.atol:g}, rtol={args.rtol:g})")
    return EXIT_OK


# -- demo and train -----------------------------------------------------------------------


def _new_folder(base: Path) -> Path:
    """A folder that did not exist before: ``base``, ``base-2``, ``base-3``, ..."""
    for i in range(1, 1000):
        candidate = base if i == 1 else base.with_name(f"{base.name}-{i}")
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate
    raise CliError(f"새 폴더를 만들 수 없습니다: {base}-N이 모두 있습니다 (--out을 주세요)")


def _refuse_overwrite(paths: Sequence[Path], force: bool) -> None:
    """One rule for every output of every command: an existing file is replaced only with
    ``--force``, and what is not a regular file (a FIFO, /dev/null, also behind a symlink)
    never. Checked before any work, so a refusal costs nothing and writes nothing."""
    from .serialize import check_write_target

    for path in paths:
        if not path.is_dir():  # a directory gets each command's own message
            try:
                check_write_target(path)
            except ValueError as exc:
                raise CliError(str(exc)) from None
    if force:
        return
    for path in paths:
        if os.path.lexists(path) and not path.is_dir():
            raise CliError(
                f"이미 있는 파일을 덮어쓰지 않습니다: {path} "
                "(file exists; use --force to overwrite)"
            )


def _check_writable_folder(folder: Path) -> None:
    """``folder`` exists or can be made: its nearest existing ancestor is a writable folder."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise CliError(f"'{existing}'은(는) 폴더가 아닙니다 (not a directory)")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise CliError(f"폴더에 쓸 수 없습니다: '{existing}' (permission denied)")


def _prepare_out(out: Path | None, files: Sequence[str], force: bool) -> Path:
    """The output folder; refuses to overwrite files that exist unless ``force``."""
    if out is None:
        return _new_folder(Path.cwd() / DEMO_FOLDER)
    if out.exists() and not out.is_dir():
        raise CliError(f"'{out}'은(는) 폴더가 아닙니다 (not a directory)")
    _refuse_overwrite([out / f for f in files], force)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"폴더를 만들 수 없습니다: '{out}' ({exc.strerror})") from None
    return out


def _has_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def _single_neuron() -> Value:
    """The single neuron of the lesson: tanh(x1*w1 + x2*w2 + b); w1, w2, b are parameters."""
    x1, x2 = Value(2.0, label="x1"), Value(0.0, label="x2")
    w1, w2 = Parameter(-3.0, label="w1"), Parameter(1.0, label="w2")
    b = Parameter(6.8813735870195432, label="b")
    x1w1 = x1 * w1
    x1w1.label = "x1*w1"
    x2w2 = x2 * w2
    x2w2.label = "x2*w2"
    n = x1w1 + x2w2 + b
    n.label = "n"
    o = n.tanh()
    o.label = "o"
    o.backward()
    print("뉴런 o = tanh(x1*w1 + x2*w2 + b)")
    leaves = [x1, x2, w1, w2, b]
    rows = [[v.label, _num(v.data), _num(float(v.grad))] for v in leaves]
    print(f"  o = {_num(o.data)}")
    print("  " + _table(["변수", "값", "do/d(변수)"], rows).replace("\n", "\n  "))
    return o


DEMO_FILES = ("neuron.svg", "backprop.html", "loss.png", "decision_boundary.png")


def cmd_demo(args: argparse.Namespace) -> int:
    """``micrograd-kr demo``: the neuron diagram, the animation, and a moons MLP."""
    out = _prepare_out(args.out, DEMO_FILES, args.force)
    print(f"결과 폴더: {out}")
    neuron = _single_neuron()
    for name in ("neuron.svg", "backprop.html"):
        _save(_diagram(neuron, out / name), out / name)

    print("\nmoons 데이터로 MLP(2-8-8-1)를 학습합니다")
    run = _train(
        dataset="moons",
        samples=80,
        hidden=[8, 8],
        activation="relu",
        loss=None,
        optimizer="adam",
        lr=0.05,
        epochs=args.epochs,
        seed=args.seed,
        progress=not args.no_progress,
        summary_every=0,
    )
    _print_final(run)
    if _has_matplotlib():
        for path in _plots(run, out, resolution=30):
            _wrote(path)
    else:
        print(f"matplotlib가 없어 loss.png, decision_boundary.png는 건너뜁니다: {PLOT_HINT}")
    return EXIT_OK


class _Run:
    """What one training run produced, for printing and plotting."""

    def __init__(
        self,
        model: Any,
        X: Any,
        y: Any,
        history: Any,
        task: str,
        loss: str,
        final_loss: float,
        final_accuracy: float | None,
    ) -> None:
        self.model, self.X, self.y, self.history = model, X, y, history
        self.task, self.loss = task, loss
        self.final_loss, self.final_accuracy = final_loss, final_accuracy


CLASSIFICATION = {"moons": 2, "circles": 2, "spiral": 3}
DATASETS = ("moons", "circles", "spiral", "linear", "parabola")


def _dataset(name: str, samples: int, seed: int) -> tuple[list[list[float]], list[Any]]:
    from . import data

    if name == "moons":
        return data.make_moons(samples, noise=0.1, seed=seed)
    if name == "circles":
        return data.make_circles(samples, noise=0.05, seed=seed)
    if name == "spiral":
        return data.make_spiral(max(1, samples // 3), seed=seed)
    if name == "linear":
        return data.make_linear(samples, seed=seed)
    return data.make_parabola(samples, noise=0.02, seed=seed)


def _describe_model(model: Any) -> str:
    """The MLP's shape and only the settings that apply to its activations.

    ``maxout_k`` matters only for maxout, ``slope`` only for leaky_relu, ``alpha`` only for
    elu; a ReLU network's description does not list them.
    """
    config = model.config()
    shape = "-".join(str(n) for n in [config["nin"], *config["sizes"]])
    used = {config["activation"], config["out_activation"]}
    settings = [f"activation={config['activation']}"]
    if config["out_activation"] != "linear":
        settings.append(f"out_activation={config['out_activation']}")
    for name, setting in (("maxout", "maxout_k"), ("leaky_relu", "slope"), ("elu", "alpha")):
        if name in used:
            settings.append(f"{setting}={config[setting]}")
    return f"MLP {shape} ({', '.join(settings)})"


def _train(
    *,
    dataset: str,
    samples: int,
    hidden: list[int],
    activation: str,
    loss: str | None,
    optimizer: str,
    lr: float | None,
    epochs: int,
    seed: int,
    progress: bool,
    summary_every: int,
    compiled: bool = False,
) -> _Run:
    """Build the dataset and MLP and train it; the loop itself is ``train.fit``."""
    from tqdm import tqdm

    from . import nn, train

    classes = CLASSIFICATION.get(dataset)
    task = "regression" if classes is None else "classification"
    if loss is None:
        loss = "mse" if classes is None else ("hinge" if classes == 2 else "cross_entropy")
    if classes is None and loss != "mse":
        raise CliError(f"회귀 데이터셋 {dataset}에는 --loss mse만 쓸 수 있습니다 (regression)")
    if classes is not None and classes > 2 and loss != "cross_entropy":
        raise CliError(
            f"{dataset}은(는) 클래스가 {classes}개라 --loss cross_entropy만 쓸 수 있습니다"
        )
    if classes is not None and loss == "mse":
        raise CliError(
            f"분류 데이터셋 {dataset}에는 hinge, bce, cross_entropy를 쓰세요 (classification)"
        )
    X, y = _dataset(dataset, samples, seed)
    outputs = classes if loss == "cross_entropy" and classes else 1
    model = nn.MLP(len(X[0]), [*hidden, outputs], activation=activation, seed=seed)
    size = model.num_parameters()
    print(f"데이터: {dataset} ({len(X)}개), 모델: {_describe_model(model)}, 파라미터 {size}개")

    def summary(epoch: int, history: Any) -> None:
        done = epoch + 1
        if summary_every and (done % summary_every == 0 or done in (1, epochs)):
            line = f"에폭 {done}/{epochs}: 학습 중 평균 손실 {_loss_text(history.loss[-1])}"
            if history.accuracy and history.accuracy[-1] is not None:
                line += f", 정확도 {history.accuracy[-1] * 100:.1f}%"
            tqdm.write(line + " (이 에폭의 갱신 전)")

    try:
        history = train.fit(
            model,
            X,
            y,
            loss=loss,
            optimizer=optimizer,
            lr=lr,
            epochs=epochs,
            seed=seed,
            progress=progress,
            callback=summary,
            compiled=compiled,
        )
    except ImportError as exc:
        raise CliError(f"--compiled에는 NumPy가 필요합니다: pip install numpy ({exc})") from None
    except FloatingPointError as exc:
        raise CliError(f"학습이 발산했습니다: {exc} (diverged; try a smaller --lr)") from None
    # measured by fit once more after the last update: the numbers of the model we keep
    final_loss = history.final_loss if history.final_loss is not None else math.nan
    return _Run(model, X, y, history, task, loss, final_loss, history.final_accuracy)


def _print_final(run: _Run) -> None:
    line = f"최종 손실 (loss): {_loss_text(run.final_loss)}"
    if run.final_accuracy is not None:
        line += f", 정확도 (accuracy): {run.final_accuracy * 100:.1f}%"
    print(line + " (마지막 갱신 뒤 전체 데이터로 잰 값)")


def _mark_final(fig: Any, run: _Run) -> None:
    """Label the curves as epoch means and mark the final model's numbers after them."""
    axes = fig.axes
    epochs = len(run.history.loss)
    curves = [line for ax in axes for line in ax.get_lines()]
    for line in curves:
        line.set_label(f"{line.get_label()}: 에폭 평균, 갱신 전 (epoch mean)")
    color = curves[0].get_color()
    axes[0].plot([epochs], [run.final_loss], "o", color=color, label="최종 손실 (final loss)")
    if run.final_accuracy is not None and len(axes) > 1:
        color = curves[-1].get_color()
        label = "최종 정확도 (final accuracy)"
        axes[1].plot([epochs], [run.final_accuracy], "s", color=color, label=label)
    lines = [line for ax in axes for line in ax.get_lines()]
    # below the axes, in two columns: inside, the long labels hid the curves
    labels = [str(line.get_label()) for line in lines]
    axes[0].legend(lines, labels, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2)


def _plot_files(dataset: str) -> tuple[str, str]:
    """The PNG files ``--plot`` writes for ``dataset``."""
    second = "decision_boundary.png" if dataset in CLASSIFICATION else "fit.png"
    return ("loss.png", second)


def _plots(run: _Run, folder: Path, resolution: int = 120) -> list[Path]:
    from . import plot

    written = []
    loss_name, second = _plot_files("moons" if run.task == "classification" else "linear")
    path = folder / loss_name
    # the curve shows epoch means (before each update); the title the final model's numbers
    final = f"최종 모델 (final model): 손실 {_loss_text(run.final_loss)}"
    if run.final_accuracy is not None:
        final += f", 정확도 {run.final_accuracy * 100:.1f}%"
    fig = plot.loss_curve(run.history, title=f"학습 손실 (training loss)\n{final}")
    with plot.korean_text():  # the new legend's Hangul needs the bundled font too
        _mark_final(fig, run)
        _refuse_overwrite([path], force=True)  # only the not-a-regular-file rule, again
        fig.savefig(path, bbox_inches="tight")
    written.append(path)
    path = folder / second
    if run.task == "classification":
        plot.decision_boundary(run.model, run.X, run.y, path=path, resolution=resolution)
    else:
        plot.fit_curve(run.model, run.X, run.y, path=path)
    written.append(path)
    return written


def cmd_train(args: argparse.Namespace) -> int:
    """``micrograd-kr train``: fit an MLP to a toy dataset."""
    if args.save is not None and args.save.is_dir():
        raise CliError(f"'{args.save}'은(는) 폴더입니다 (is a directory; give a file name)")
    if args.save is not None and args.save.parent and not args.save.parent.is_dir():
        raise CliError(f"폴더가 없습니다: '{args.save.parent}' (directory does not exist)")
    # every output's precondition is checked before training, so nothing fails after it
    if args.save is not None:
        _check_writable_folder(args.save.parent)
        _refuse_overwrite([args.save], args.force)
    if args.plot is not None:
        if args.plot.exists() and not args.plot.is_dir():
            raise CliError(f"'{args.plot}'은(는) 폴더가 아닙니다 (not a directory)")
        if not _has_matplotlib():
            raise CliError(f"--plot에는 matplotlib가 필요합니다: {PLOT_HINT}")
        _check_writable_folder(args.plot)
        _refuse_overwrite([args.plot / name for name in _plot_files(args.dataset)], args.force)
    run = _train(
        dataset=args.dataset,
        samples=args.samples,
        hidden=args.hidden,
        activation=args.activation,
        loss=args.loss,
        optimizer=args.optimizer,
        lr=args.lr,
        epochs=args.epochs,
        seed=args.seed,
        progress=not args.no_progress,
        summary_every=max(1, args.epochs // 10),
        compiled=args.compiled,
    )
    _print_final(run)
    if args.save is not None:
        with _writing(args.save):
            run.model.save(str(args.save))
        _wrote(args.save)
    if args.plot is not None:
        args.plot.mkdir(parents=True, exist_ok=True)
        for path in _plots(run, args.plot):
            _wrote(path)
    return EXIT_OK


# -- entry point ------------------------------------------------------------------------------


def _safe_streams() -> None:
    """Never crash on printing: a terminal that cannot show Hangul gets escapes instead."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")


def _error(message: object) -> None:
    text = " ".join(str(message).split())  # exactly one line
    print(f"오류: {text}", file=sys.stderr)


def _unrecognized(parser: argparse.ArgumentParser, command: str, unknown: list[str]) -> NoReturn:
    """Refuse words no option took, suggesting the command's closest option."""
    sub = next(p for p in _all_parsers(parser) if p.prog.endswith(" " + command))
    options = sorted(sub._option_string_actions)
    hints = "".join(_suggest(u.split("=")[0], options) for u in unknown if u.startswith("-"))
    message = _ARGPARSE_KO["unrecognized arguments: %s"] % " ".join(unknown)
    raise _UsageError(message + hints, sub.prog)


def _expressions_first(parser: argparse.ArgumentParser, argv: Sequence[str] | None) -> list[str]:
    """``argv`` with an expression that starts with '-' (``graph "-x**2" x=3``) kept as one.

    argparse takes any word that starts with '-' for an option. For ``graph`` and
    ``gradcheck``, a word like ``-x**2`` or ``-(x+1)`` that is not one of the command's
    options is an expression: a leading space (which the expression parser ignores) makes
    argparse see it as the positional EXPR. ``--long`` words stay options.
    """
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] not in ("graph", "gradcheck"):
        return args
    sub = next(p for p in _all_parsers(parser) if p.prog.endswith(" " + args[0]))
    takes_value = {o for o, a in sub._option_string_actions.items() if a.nargs != 0}
    out = [args[0]]
    previous = ""
    for i, arg in enumerate(args[1:], start=1):
        if arg == "--":
            out += args[i:]
            break
        if (
            isinstance(arg, str)
            and arg.startswith("-")
            and not arg.startswith("--")
            and arg.split("=")[0] not in sub._option_string_actions
            and previous not in takes_value
        ):
            arg = " " + arg
        out.append(arg)
        previous = arg
    return out


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``micrograd-kr`` with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    _safe_streams()
    try:
        with _korean_argparse():
            parser = build_parser()
            args, unknown = parser.parse_known_args(_expressions_first(parser, argv))
            if unknown:
                _unrecognized(parser, args.command, unknown)
        status: int = args.func(args)
        sys.stdout.flush()
        return status
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except (CliError, ExprError) as exc:
        _error(exc)
    except DomainError as exc:
        _error(f"계산할 수 없습니다: {exc} (domain error)")
    except KeyboardInterrupt:
        _error("중단되었습니다 (interrupted)")
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `| head`); stay quiet like other shell tools
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return EXIT_OK
    except OSError as exc:
        where = f": '{exc.filename}'" if exc.filename else ""
        _error(f"파일 오류{where} ({exc.strerror or exc})")
    except Exception as exc:
        if os.environ.get("MICROGRAD_KR_DEBUG"):
            raise
        _error(f"예기치 못한 오류 (unexpected {type(exc).__name__}: {exc})")
    return EXIT_USAGE
