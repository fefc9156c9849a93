"""The legend under a diagram: what the arrows mean and which colour is which kind of node."""

from __future__ import annotations

from collections.abc import Sequence

from ..messages import one_language, say
from .style import BACKWARD_COLOR, FORWARD_COLOR, LINK_COLOR, ROLES
from .view import Show


def legend_table(roles: Sequence[str], show: Show) -> str:
    """The legend: what the arrows and lines mean and which colour is which kind of node."""
    lines = []
    if show != "backward":
        lines.append(
            f'<FONT COLOR="{FORWARD_COLOR}" POINT-SIZE="13">→</FONT>&#160;'
            + one_language("viz.legend_forward")
        )
    if show != "forward":
        lines.append(
            f'<FONT COLOR="{BACKWARD_COLOR}" POINT-SIZE="13">←</FONT>&#160;'
            + one_language("viz.legend_backward")
        )
    lines.append(
        f'<FONT COLOR="{LINK_COLOR}" POINT-SIZE="13">━━</FONT>&#160;' + say("viz.legend_link")
    )
    swatches = "".join(
        f'<TD BORDER="{ROLES[r][2]}" COLOR="{ROLES[r][1]}" BGCOLOR="{ROLES[r][0]}" '
        f'STYLE="{ROLES[r][3]}">{one_language(ROLES[r][4])}</TD>'
        for r in roles
    )
    # &#160;: a browser drops an ordinary space at the start of an SVG text
    # One line per row, each a single left-aligned cell (Graphviz spreads the cells of a
    # row over the table's width); a single long row made the legend alone ~650 pt wide.
    rows = "".join(f'<TR><TD ALIGN="LEFT">{line}</TD></TR>' for line in lines)
    return (
        '<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="1">'
        f"{rows}"
        f'<TR><TD ALIGN="LEFT"><TABLE BORDER="0" CELLSPACING="6" CELLPADDING="3"><TR>{swatches}'
        "</TR></TABLE></TD></TR>"
        "</TABLE>"
    )


def not_yet_run_note() -> str:
    """The line a diagram drawn before ``backward()`` carries: every grad is still 0."""
    return f'<FONT COLOR="{BACKWARD_COLOR}">※ ' + say("viz.not_run") + "</FONT>"
