"""The ``micrograd-kr`` command: ``demo``, ``graph``, ``gradcheck`` and ``train``.

Exit status: 0 on success, 1 when ``gradcheck`` finds a disagreement, a point where the
derivative is undefined (a kink) or a step too large or too small for an input (it names an
``--eps`` that works), 2 on a usage or input error. Errors are one line on stderr (the
catalog's ``cli.error_line``), never a Python traceback; set ``MICROGRAD_KR_DEBUG=1`` to see
the traceback of an unexpected error. Every text comes from micrograd_kr/messages.py: help
and labels in Korean (in English with ``MICROGRAD_KR_LANG=en``), errors and results in both.
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
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
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
from .messages import one_language, say
from .nn import ACTIVATIONS

__all__ = ["main", "CliError"]

EXIT_OK, EXIT_MISMATCH, EXIT_USAGE = 0, 1, 2

DIAGRAM_SUFFIXES = (".svg", ".png", ".pdf", ".dot", ".html")
DEMO_FOLDER = "micrograd-kr-demo"
MAX_DRAW_VALUES = 150  # values in a rendered diagram (see _diagram)
LAYOUT_TIMEOUT = 10.0  # seconds of Graphviz layout: any `graph` command ends within ~15 s
PLOT_HINT = 'pip install "micrograd_kr[plot]"'
LOSSES = ("hinge", "bce", "cross_entropy", "mse")
OPTIMIZERS = ("sgd", "adam")


def _then(key: str, detail: object, /, **fields: object) -> str:
    """The message ``key``, a colon, then ``detail`` (a text from elsewhere, e.g. an error)."""
    return f"{say(key, **fields)}: {detail}"


class CliError(Exception):
    """A usage or input problem: printed as one line, exit status 2."""


class _UsageError(CliError):
    def __init__(self, message: str, prog: str) -> None:
        super().__init__(one_language("cli.see_help", message=message, prog=prog))


# -- argparse's texts from the catalog ----------------------------------------------------
#
# Why argparse's module-level `_` and `ngettext` are swapped while a command line is parsed
# (checked in the argparse and gettext of CPython 3.10 to 3.13):
# - argparse does `from gettext import gettext as _, ngettext` and looks both names up as
#   module globals each time it reports an error. The error texts are made inside private
#   methods: _parse_known_args (missing arguments, mutually exclusive options, an option given
#   a value it does not take), _match_argument ("expected one argument"), _parse_optional
#   (ambiguous option), _get_value, and ArgumentError.__str__ (3.11+). No public method can be
#   overridden to reword them, and the private ones change between versions (_parse_optional
#   returns 3-tuples in 3.11 and 4-tuples in 3.13; 3.13 raises where 3.11 calls error()).
# - The standard hook is gettext's (see "How to translate the argparse output" in the
#   argparse howto): gettext.gettext() looks the text up in a compiled .mo file of the current
#   text domain, set by gettext.textdomain()/bindtextdomain() for the whole process (every
#   library calling gettext.gettext() would look in our catalog), in the language named by
#   the LANGUAGE/LC_ALL/LC_MESSAGES/LANG environment variables (process-wide again, and
#   inherited by child processes). Using it would mean compiling this catalog into a .mo file
#   and changing the process's gettext domain and environment for as long as it runs.
# - So the two names are replaced only for the parse, and restored after it (the same two
#   names i18nparse, a package that translates argparse, replaces). Everything argparse lets
#   a subclass change is changed by overriding instead: the "usage:" prefix
#   (_Formatter.add_usage), the group titles and the -h help (_Parser.__init__), the error
#   line (_Parser.error) and invalid choices with a did-you-mean (_Parser._check_value).

# argparse's text (its gettext msgid) -> our catalog key, with the fields filled by argparse's
# own % placeholders, which argparse fills in after the lookup (so no catalog text used here
# may contain a literal "%"). A text not listed is one a user cannot meet (argparse's errors
# in a program's own setup) and is left as it is.
_ARGPARSE_TEXTS: dict[str, tuple[str, dict[str, str]]] = {
    "the following arguments are required: %s": ("cli.argparse.required", {"names": "%s"}),
    "unrecognized arguments: %s": ("cli.unrecognized", {"words": "%s"}),
    "argument %(argument_name)s: %(message)s": (
        "cli.argparse.argument",
        {"name": "%(argument_name)s", "message": "%(message)s"},
    ),
    "expected one argument": ("cli.argparse.expected_one", {}),
    "expected at most one argument": ("cli.argparse.expected_at_most_one", {}),
    "expected at least one argument": ("cli.argparse.expected_at_least_one", {}),
    "ambiguous option: %(option)s could match %(matches)s": (
        "cli.argparse.ambiguous",
        {"option": "%(option)s", "matches": "%(matches)s"},
    ),
    "invalid %(type)s value: %(value)r": (
        "cli.argparse.invalid_type",
        {"type": "%(type)s", "value": "%(value)r"},
    ),
    "not allowed with argument %s": ("cli.argparse.not_allowed_with", {"other": "%s"}),
    "one of the arguments %s is required": ("cli.argparse.one_required", {"names": "%s"}),
    "ignored explicit argument %r": ("cli.argparse.explicit_value", {"value": "%r"}),
}
_ARGPARSE_PLURALS: dict[str, tuple[str, dict[str, str]]] = {
    "expected %s argument": ("cli.argparse.expected_n", {"n": "%s"}),
}


def _argparse_gettext(message: str) -> str:
    """argparse's ``_``: its text from the catalog, still with argparse's placeholders."""
    if message not in _ARGPARSE_TEXTS:
        return message
    key, placeholders = _ARGPARSE_TEXTS[message]
    return say(key, **placeholders)


def _argparse_ngettext(singular: str, plural: str, n: int) -> str:
    """argparse's ``ngettext``, from the catalog like ``_argparse_gettext``."""
    if singular not in _ARGPARSE_PLURALS:
        return singular if n == 1 else plural
    key, placeholders = _ARGPARSE_PLURALS[singular]
    return say(key, **placeholders)


@contextlib.contextmanager
def _argparse_from_catalog() -> Iterator[None]:
    """argparse takes its texts from the catalog while a command line is parsed."""
    module = vars(argparse)  # argparse looks up _ and ngettext as module globals
    saved = module["_"], module["ngettext"]
    module["_"], module["ngettext"] = _argparse_gettext, _argparse_ngettext
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

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[argparse._MutuallyExclusiveGroup],
        prefix: str | None = None,
    ) -> None:
        if prefix is None:  # argparse's own "usage: "
            prefix = one_language("cli.argparse.usage")
        super().add_usage(usage, actions, groups, prefix)

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
    """ "; did you mean 'graph'?" (from the catalog) for the closest candidate, or ""."""
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return "; " + say("cli.did_you_mean", name=close[0]) if close else ""


class _Parser(argparse.ArgumentParser):
    """argparse with the catalog's titles and messages, and errors raised instead of printed."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = one_language("cli.argparse.positionals")
        self._optionals.title = one_language("cli.argparse.options")
        self.add_argument("-h", "--help", action="help", help=one_language("cli.help.help"))

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        choices = action.choices
        if choices is not None and value not in choices:
            names = [str(c) for c in choices]
            command = isinstance(action, argparse._SubParsersAction)
            key = "cli.unknown_command" if command else "cli.unknown_value"
            message = say(key, value=value, choices=", ".join(names))
            raise argparse.ArgumentError(action, message + _suggest(str(value), names))

    def error(self, message: str) -> NoReturn:
        missing = _argparse_gettext("the following arguments are required: %s") % "COMMAND"
        if message.strip() == missing:
            message = say("cli.missing_command", commands="demo, graph, gradcheck, train")
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
        raise argparse.ArgumentTypeError(say("cli.must_be_positive", value=repr(text)))
    return value


def _nonnegative_float(text: str) -> float:
    value = _finite_float(text)
    if value < 0:
        raise argparse.ArgumentTypeError(say("cli.must_be_nonnegative", value=repr(text)))
    return value


def _finite_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(say("expr.value_not_a_number", value=repr(text))) from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(say("shared.must_be_finite", what=repr(text)))
    return value


def _int_range(low: int, high: int) -> Callable[[str], int]:
    def convert(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(say("cli.not_an_integer", value=repr(text))) from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                say("cli.out_of_range", low=low, high=high, value=repr(text))
            )
        return value

    return convert


def _any_case(names: Sequence[str]) -> Callable[[str], str]:
    """A name of ``names`` in any case: ``SGD``, ``Sgd`` and ``sgd`` all mean ``sgd``."""

    def convert(text: str) -> str:
        lower = text.lower()
        return lower if lower in names else text  # an unknown name is refused as typed

    return convert


MAX_HIDDEN_LAYERS = 8


def _hidden_sizes(text: str) -> list[int]:
    parts = [p.strip() for p in text.split(",")]
    size = _int_range(1, 256)
    sizes = [size(p) for p in parts if p] if text.strip() else []
    if len(sizes) > MAX_HIDDEN_LAYERS:
        raise argparse.ArgumentTypeError(say("cli.too_many_layers", n=MAX_HIDDEN_LAYERS))
    return sizes


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``micrograd-kr`` (exposed for documentation and tests)."""
    parser = _Parser(
        prog="micrograd-kr",
        description=one_language("cli.help.description"),
        epilog=one_language("cli.help.epilog"),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"%(prog)s {__version__}",
        help=one_language("cli.help.version"),
    )
    commands = parser.add_subparsers(
        title=one_language("cli.argparse.commands"), dest="command", metavar="COMMAND"
    )
    commands.required = True
    expr_help = one_language(
        "cli.help.expr", functions=" ".join(function_names()), limits=describe_limits()
    )
    force_help = one_language("cli.help.force")
    seed_help = one_language("cli.help.seed")
    no_progress_help = one_language("cli.help.no_progress")

    demo = commands.add_parser(
        "demo",
        help=one_language("cli.help.demo"),
        description=one_language("cli.help.demo_description"),
    )
    demo.add_argument(
        "--out",
        metavar="DIR",
        type=Path,
        help=one_language("cli.help.demo_out", folder=DEMO_FOLDER),
    )
    demo.add_argument("--force", action="store_true", help=force_help)
    demo.add_argument(
        "--epochs",
        type=_int_range(1, 1000),
        default=60,
        help=one_language("cli.help.epochs", default=60),
    )
    demo.add_argument("--seed", type=_int_range(0, 2**32 - 1), default=0, help=seed_help)
    demo.add_argument("--no-progress", action="store_true", help=no_progress_help)
    demo.set_defaults(func=cmd_demo)

    graph = commands.add_parser(
        "graph",
        help=one_language("cli.help.graph"),
        description=one_language("cli.help.graph_description", formats=" ".join(DIAGRAM_SUFFIXES)),
    )
    graph.add_argument("expr", metavar="EXPR", help=expr_help)
    graph.add_argument(
        "values",
        metavar="NAME=VALUE",
        nargs="*",
        help=one_language("cli.help.values", example="x=2 w=-3"),
    )
    graph.add_argument(
        "-o", "--out", metavar="FILE", type=Path, help=one_language("cli.help.graph_out")
    )
    graph.add_argument("--force", action="store_true", help=force_help)
    graph.set_defaults(func=cmd_graph)

    check = commands.add_parser(
        "gradcheck",
        help=one_language("cli.help.gradcheck"),
        description=one_language("cli.help.gradcheck_description"),
    )
    check.add_argument("expr", metavar="EXPR", help=expr_help)
    check.add_argument(
        "values",
        metavar="NAME=VALUE",
        nargs="*",
        help=one_language("cli.help.values", example="x=2"),
    )
    check.add_argument(
        "--eps", type=_positive_float, default=1e-6, help=one_language("cli.help.eps")
    )
    check.add_argument(
        "--atol", type=_nonnegative_float, default=1e-5, help=one_language("cli.help.atol")
    )
    check.add_argument(
        "--rtol", type=_nonnegative_float, default=1e-3, help=one_language("cli.help.rtol")
    )
    check.set_defaults(func=cmd_gradcheck)

    train = commands.add_parser(
        "train",
        help=one_language("cli.help.train"),
        description=one_language("cli.help.train_description"),
    )
    train.add_argument(
        "--dataset",
        choices=DATASETS,
        type=_any_case(DATASETS),
        default="moons",
        metavar="NAME",
        help=one_language("cli.help.dataset", names=", ".join(DATASETS)),
    )
    train.add_argument(
        "--samples", type=_int_range(4, 2000), default=100, help=one_language("cli.help.samples")
    )
    train.add_argument(
        "--hidden",
        type=_hidden_sizes,
        default=[16, 16],
        metavar="N,N,...",
        help=one_language("cli.help.hidden"),
    )
    train.add_argument(
        "--activation",
        choices=ACTIVATIONS,
        type=_any_case(ACTIVATIONS),
        default="relu",
        metavar="NAME",
        help=one_language("cli.help.activation", names=", ".join(ACTIVATIONS)),
    )
    train.add_argument(
        "--loss",
        choices=LOSSES,
        type=_any_case(LOSSES),
        metavar="NAME",
        help=one_language("cli.help.loss"),
    )
    train.add_argument(
        "--optimizer",
        choices=OPTIMIZERS,
        type=_any_case(OPTIMIZERS),
        default="adam",
        metavar="NAME",
        help=one_language("cli.help.optimizer"),
    )
    train.add_argument("--lr", type=_positive_float, help=one_language("cli.help.lr"))
    train.add_argument(
        "--epochs",
        type=_int_range(1, 10000),
        default=50,
        help=one_language("cli.help.epochs", default=50),
    )
    train.add_argument("--seed", type=_int_range(0, 2**32 - 1), default=0, help=seed_help)
    train.add_argument("--save", metavar="FILE", type=Path, help=one_language("cli.help.save"))
    train.add_argument("--plot", metavar="DIR", type=Path, help=one_language("cli.help.plot"))
    train.add_argument("--force", action="store_true", help=force_help)
    train.add_argument("--no-progress", action="store_true", help=no_progress_help)
    train.add_argument("--compiled", action="store_true", help=one_language("cli.help.compiled"))
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
    print(one_language("cli.wrote", path=path))


# -- expressions --------------------------------------------------------------------------


# a number written right before a name or "(": 3x, 2(x+1) (but not 1e5 or 1.5)
_IMPLICIT_PRODUCT = re.compile(r"(?<![\w.])(\d+(?:\.\d*)?)(?![eE][+-]?\d)([^\W\d]|\()")


def _expression_hint(source: str, error: ExprError) -> ExprError:
    """``error`` with a hint a learner can act on: did-you-mean, or ``3*x`` for ``3x``."""
    hint = ""
    if error.key == "expr.unknown_function":
        hint = _suggest(str(error.fields["function"]), list(function_names()))
    elif error.key in ("expr.syntax", "expr.call_not_named"):
        product = _IMPLICIT_PRODUCT.search(source)
        if product:
            number, after = product.groups()
            written, fixed = f"{number}{after}", f"{number}*{after}"
            hint = "; " + say("cli.multiply_hint", written=written, fixed=fixed)
    if not hint:
        return error
    return ExprError(error.message + hint, error.column, error.where, key=error.key)


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
        raise CliError(say("cli.is_a_folder", path=path))
    if path.suffix.lower() not in DIAGRAM_SUFFIXES:
        suffix = path.suffix or path.name
        raise CliError(say("cli.unknown_format", suffix=suffix, formats=" ".join(DIAGRAM_SUFFIXES)))
    parent = path.parent
    if not parent.is_dir():
        raise CliError(say("cli.no_folder", path=parent))


@contextlib.contextmanager
def _drawing_errors() -> Iterator[None]:
    """Turn the visualizer's errors into one-line CLI errors."""
    from . import viz

    try:
        yield
    except viz.RendererNotFoundError as exc:
        first = str(exc).splitlines()[0] if str(exc) else "no renderer"
        install = say("cli.install_graphviz")
        raise CliError(_then("shared.cannot_render", f"{first}; {install}")) from None
    except viz.GraphTooLargeError as exc:
        raise CliError(_then("cli.graph_too_large", str(exc).split(";")[0])) from None
    except viz.RenderError as exc:
        raise CliError(_then("shared.cannot_render", exc)) from None


ROOT_LABEL_MAX = 40  # characters of the expression shown in the output box


def _root_label(source: str) -> str:
    text = " ".join(source.split())
    if len(text) > ROOT_LABEL_MAX:
        text = text[: ROOT_LABEL_MAX - 1] + "…"
    return one_language("cli.root_label", expression=text)


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
        raise CliError(_then("shared.cannot_save", f"'{path}' ({exc.strerror or exc})")) from None


def _save(diagram: Any, path: Path) -> None:
    with _drawing_errors(), _writing(path):
        diagram.save(path)
    _wrote(path)


def _print_value(source: str, root: Value) -> None:
    print(one_language("cli.expression_line", expression=source.strip()))
    print(one_language("cli.value_line", value=_num(root.data, 10)))


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
    _print_value(expression.source, root)
    if names:
        rows = [[n, _num(values[n]), _num(float(leaves[n].grad), 10)] for n in names]
        header = [one_language("cli.column.variable"), one_language("cli.column.value")]
        print(_table([*header, one_language("cli.column.gradient")], rows))
    else:
        print(say("cli.no_variables"))
    if diagram is not None:
        _save(diagram, args.out)
    return EXIT_OK


def _smaller_eps_hint(args: argparse.Namespace, expression: Any, inputs: Sequence[float]) -> str:
    """ "; try --eps 1e-10" when x ± eps left the domain (sqrt(x) at x=1e-8): the largest
    smaller step at which backward and the difference agree, else the largest that stays in
    the domain, else "" (no step helps)."""
    from .gradcheck import GradcheckError, gradcheck

    inside = None
    for power in range(1, 10):
        smaller = float(f"{args.eps / 10**power:.0e}")
        try:
            gradcheck(expression, inputs, eps=smaller, atol=args.atol, rtol=args.rtol)
        except GradcheckError:  # computable there, but they disagree
            inside = smaller if inside is None else inside
            continue
        except ValueError:  # still outside the domain, or the step vanishes in rounding
            continue
        inside = smaller
        break
    if inside is None:
        return ""
    return "; " + say("cli.smaller_eps", option=f"--eps {inside:g}")


def cmd_gradcheck(args: argparse.Namespace) -> int:
    """``micrograd-kr gradcheck``: analytic vs. central-difference gradients."""
    from .gradcheck import Finding, GradcheckError, difference_step, gradcheck, numerical_grad

    expression, names, values = _prepare(args.expr, args.values)
    if not names:
        raise CliError(say("cli.nothing_to_check"))
    root, leaves = _evaluate(expression, names, values)
    order = list(expression.variables)  # the positional order of expression(...)
    inputs = [values[n] for n in order]
    for n in order:  # a step that rounds away at some input would divide by zero
        try:
            difference_step(values[n], args.eps)
        except ValueError as exc:
            variable = one_language("cli.variable", name=n)
            raise CliError(f"--eps: {variable}: {exc}") from None
    try:
        numeric = dict(zip(order, numerical_grad(expression, inputs, args.eps)))
    except ExprError as exc:
        where = one_language("cli.in_numeric_derivative", eps=args.eps)
        hint = _smaller_eps_hint(args, expression, inputs)
        raise ExprError(f"{where}: {exc.message}{hint}", exc.column, key=exc.key) from None
    findings: dict[str, Finding] = {}
    try:
        gradcheck(expression, inputs, eps=args.eps, atol=args.atol, rtol=args.rtol)
    except GradcheckError as exc:  # the library says why each input failed
        findings = {order[item.index]: item for item in exc.findings}
    _print_value(expression.source, root)
    rows = []
    for n in names:
        analytic, num = float(leaves[n].grad), numeric[n]
        verdict = findings[n].verdict if n in findings else say("cli.agrees")
        difference = f"{abs(analytic - num):.2e}"
        rows.append([n, _num(values[n]), _num(analytic, 10), _num(num, 10), difference, verdict])
    header = [
        one_language("cli.column.variable"),
        one_language("cli.column.value"),
        say("gradcheck.analytic"),
        say("cli.column.numeric"),
        one_language("cli.column.difference"),
        one_language("cli.column.verdict"),
    ]
    print(_table(header, rows))
    for n in names:
        if n in findings and findings[n].kind != "mismatch":
            print(
                one_language("cli.result_line", text=findings[n].describe(n, eps_option="--eps "))
            )
    others = [n for n in names if n in findings and findings[n].kind == "mismatch"]
    if others:
        disagree = _then("cli.gradients_disagree", ", ".join(others))
        print(one_language("cli.result_line", text=disagree))
    if findings:
        return EXIT_MISMATCH
    agree = say("cli.all_agree", atol=args.atol, rtol=args.rtol)
    print(one_language("cli.result_line", text=agree))
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
    raise CliError(say("cli.no_new_folder", base=base))


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
            raise CliError(say("cli.file_exists", path=path))


def _check_writable_folder(folder: Path) -> None:
    """``folder`` exists or can be made: its nearest existing ancestor is a writable folder."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise CliError(say("cli.not_a_folder", path=existing))
    if not os.access(existing, os.W_OK | os.X_OK):
        raise CliError(say("cli.folder_not_writable", path=existing))


def _prepare_out(out: Path | None, files: Sequence[str], force: bool) -> Path:
    """The output folder; refuses to overwrite files that exist unless ``force``."""
    if out is None:
        return _new_folder(Path.cwd() / DEMO_FOLDER)
    if out.exists() and not out.is_dir():
        raise CliError(say("cli.not_a_folder", path=out))
    _refuse_overwrite([out / f for f in files], force)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(say("cli.cannot_make_folder", path=out, reason=exc.strerror)) from None
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
    print(one_language("cli.demo.neuron"))
    leaves = [x1, x2, w1, w2, b]
    rows = [[v.label, _num(v.data), _num(float(v.grad))] for v in leaves]
    print(f"  o = {_num(o.data)}")
    header = [
        one_language("cli.column.variable"),
        one_language("cli.column.value"),
        one_language("cli.column.neuron_gradient"),
    ]
    print("  " + _table(header, rows).replace("\n", "\n  "))
    return o


DEMO_FILES = ("neuron.svg", "backprop.html", "loss.png", "decision_boundary.png")


def cmd_demo(args: argparse.Namespace) -> int:
    """``micrograd-kr demo``: the neuron diagram, the animation, and a moons MLP."""
    out = _prepare_out(args.out, DEMO_FILES, args.force)
    print(one_language("cli.demo.folder", path=out))
    neuron = _single_neuron()
    for name in ("neuron.svg", "backprop.html"):
        _save(_diagram(neuron, out / name), out / name)

    print("\n" + one_language("cli.demo.training"))
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
        print(say("cli.demo.no_plots", files=", ".join(DEMO_FILES[2:]), hint=PLOT_HINT))
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
        exploded: Any = None,
    ) -> None:
        self.model, self.X, self.y, self.history = model, X, y, history
        self.task, self.loss = task, loss
        self.final_loss, self.final_accuracy = final_loss, final_accuracy
        self.exploded = exploded  # fit's LossExplosionWarning, if the loss exploded


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
        raise CliError(say("cli.train.regression_loss", dataset=dataset))
    if classes is not None and classes > 2 and loss != "cross_entropy":
        raise CliError(say("cli.train.classes_loss", dataset=dataset, classes=classes))
    if classes is not None and loss == "mse":
        raise CliError(say("cli.train.classification_loss", dataset=dataset))
    X, y = _dataset(dataset, samples, seed)
    outputs = classes if loss == "cross_entropy" and classes else 1
    model = nn.MLP(len(X[0]), [*hidden, outputs], activation=activation, seed=seed)
    size = model.num_parameters()
    model_text = _describe_model(model)
    print(
        one_language(
            "cli.train.setup", dataset=dataset, samples=len(X), model=model_text, parameters=size
        )
    )

    def summary(epoch: int, history: Any) -> None:
        done = epoch + 1
        if summary_every and (done % summary_every == 0 or done in (1, epochs)):
            accuracy = ""
            if history.accuracy and history.accuracy[-1] is not None:
                accuracy = one_language("cli.train.accuracy", percent=history.accuracy[-1] * 100)
            loss = _loss_text(history.loss[-1])
            line = one_language(
                "cli.train.epoch", done=done, epochs=epochs, loss=loss, accuracy=accuracy
            )
            tqdm.write(line)

    shown: list[Warning] = []
    original = warnings.showwarning

    def show(message: Any, category: Any, *where: Any, **more: Any) -> None:
        """fit's warnings as one line each on stderr, between the epoch lines."""
        if not issubclass(category, train.TrainingWarning):
            return original(message, category, *where, **more)
        shown.append(message)
        tqdm.write(one_language("train.warning_line", message=message), file=sys.stderr)

    try:
        with warnings.catch_warnings():  # restores showwarning and the filters afterwards
            warnings.simplefilter("always", train.TrainingWarning)
            warnings.showwarning = show
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
        raise CliError(_then("shared.needs_numpy", exc, what="--compiled")) from None
    except FloatingPointError as exc:
        diverged, smaller = say("shared.diverged"), say("shared.smaller_lr")
        raise CliError(f"{diverged}: {exc}; {smaller}") from None
    # measured by fit once more after the last update: the numbers of the model we keep
    final_loss = history.final_loss if history.final_loss is not None else math.nan
    exploded = next((w for w in shown if isinstance(w, train.LossExplosionWarning)), None)
    return _Run(model, X, y, history, task, loss, final_loss, history.final_accuracy, exploded)


def _print_final(run: _Run) -> None:
    line = _then("cli.train.final_loss", _loss_text(run.final_loss))
    if run.final_accuracy is not None:
        line += ", " + _then("plot.accuracy", f"{run.final_accuracy * 100:.1f}%")
    measured = one_language("cli.train.measured_after")
    print(f"{line} ({measured})")


def _mark_final(fig: Any, run: _Run) -> None:
    """Label the curves as epoch means and mark the final model's numbers after them."""
    axes = fig.axes
    epochs = len(run.history.loss)
    curves = [line for ax in axes for line in ax.get_lines()]
    epoch_mean = say("cli.plot.epoch_mean")
    for line in curves:
        line.set_label(f"{line.get_label()}: {epoch_mean}")
    color = curves[0].get_color()
    label = say("cli.plot.final_loss")
    axes[0].plot([epochs], [run.final_loss], "o", color=color, label=label)
    if run.final_accuracy is not None and len(axes) > 1:
        color = curves[-1].get_color()
        label = say("cli.plot.final_accuracy")
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
    final = _then(
        "cli.plot.final_model", one_language("cli.plot.loss", loss=_loss_text(run.final_loss))
    )
    if run.final_accuracy is not None:
        final += one_language("cli.train.accuracy", percent=run.final_accuracy * 100)
    title = say("plot.loss_title")
    fig = plot.loss_curve(run.history, title=f"{title}\n{final}")
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
        raise CliError(say("cli.is_a_folder", path=args.save))
    if args.save is not None and args.save.parent and not args.save.parent.is_dir():
        raise CliError(say("cli.no_folder", path=args.save.parent))
    # every output's precondition is checked before training, so nothing fails after it
    if args.save is not None:
        _check_writable_folder(args.save.parent)
        _refuse_overwrite([args.save], args.force)
    if args.plot is not None:
        if args.plot.exists() and not args.plot.is_dir():
            raise CliError(say("cli.not_a_folder", path=args.plot))
        if not _has_matplotlib():
            raise CliError(say("cli.needs_matplotlib", what="--plot", hint=PLOT_HINT))
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
    if run.exploded is not None:
        # the run finished but its result is not to be trusted: a failed check, as gradcheck's
        # mismatch (the files above stay: the loss plot shows the explosion)
        _error(say("train.cli_exploded", factor=run.exploded.factor, smaller=run.exploded.lr / 10))
        return EXIT_MISMATCH
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
    print(one_language("cli.error_line", message=text), file=sys.stderr)


def _hidden_hint(argv: Sequence[str], unknown: Sequence[str]) -> str:
    """ "; --hidden 16,16" when the sizes came as separate words: ``--hidden 16 16``."""
    for i, word in enumerate(argv):
        option, equals, value = word.partition("=")
        if len(option) < 4 or not "--hidden".startswith(option):  # argparse takes --hid
            continue
        first, start = (
            (value, i + 1) if equals else (argv[i + 1] if i + 1 < len(argv) else "", i + 2)
        )
        rest = []
        for later in argv[start:]:
            if not (later in unknown and later.strip(",").isdigit()):
                break
            rest.append(later)
        if rest:
            sizes = [p.strip() for p in ",".join([first, *rest]).split(",") if p.strip()]
            return "; " + say("cli.hidden_commas", fixed=",".join(sizes))
    return ""


def _unrecognized(
    parser: argparse.ArgumentParser, command: str, unknown: list[str], argv: Sequence[str]
) -> NoReturn:
    """Refuse words no option took, suggesting the command's closest option."""
    sub = next(p for p in _all_parsers(parser) if p.prog.endswith(" " + command))
    options = sorted(sub._option_string_actions)
    hints = "".join(_suggest(u.split("=")[0], options) for u in unknown if u.startswith("-"))
    if command == "train":
        hints += _hidden_hint(argv, unknown)
    message = say("cli.unrecognized", words=" ".join(unknown))
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
        with _argparse_from_catalog():
            parser = build_parser()
            words = _expressions_first(parser, argv)
            args, unknown = parser.parse_known_args(words)
            if unknown:
                _unrecognized(parser, args.command, unknown, words)
        status: int = args.func(args)
        sys.stdout.flush()
        return status
    except SystemExit as exc:  # --help and --version
        return exc.code if isinstance(exc.code, int) else EXIT_OK
    except (CliError, ExprError) as exc:
        _error(exc)
    except DomainError as exc:
        _error(_then("shared.cannot_compute", exc))
    except KeyboardInterrupt:
        _error(say("cli.interrupted"))
        return 130
    except BrokenPipeError:
        # the reader went away (e.g. `| head`); stay quiet like other shell tools
        with contextlib.suppress(OSError):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115
        return EXIT_OK
    except OSError as exc:
        where = f": '{exc.filename}'" if exc.filename else ""
        _error(say("cli.file_error", where=where, reason=exc.strerror or exc))
    except Exception as exc:
        if os.environ.get("MICROGRAD_KR_DEBUG"):
            raise
        _error(say("cli.unexpected", kind=type(exc).__name__, error=exc))
    return EXIT_USAGE
