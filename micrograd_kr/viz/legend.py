"""The legend under a diagram: what the arrows mean and which colour is which kind of node."""

from __future__ import annotations

from collections.abc import Sequence

from .style import BACKWARD_COLOR, FORWARD_COLOR, ROLES
from .view import Show


def legend_table(roles: Sequence[str], show: Show) -> str:
    """The legend: what the arrows mean and which colour is which kind of node."""
    arrows = []
    if show != "backward":
        arrows.append(
            f'<TD><FONT COLOR="{FORWARD_COLOR}" POINT-SIZE="13">⟶</FONT></TD>'
            '<TD ALIGN="LEFT">순전파 forward: data</TD>'
        )
    if show != "forward":
        arrows.append(
            f'<TD><FONT COLOR="{BACKWARD_COLOR}" POINT-SIZE="13">⟵</FONT></TD>'
            '<TD ALIGN="LEFT">역전파 backward: 국소 미분 × 출력의 grad</TD>'
        )
    swatches = "".join(
        f'<TD BORDER="{ROLES[r][2]}" COLOR="{ROLES[r][1]}" BGCOLOR="{ROLES[r][0]}" '
        f'STYLE="{ROLES[r][3]}">{ROLES[r][4]}</TD>'
        for r in roles
    )
    # one row: in two rows Graphviz stretches the narrower one to the width of the other
    return (
        '<TABLE BORDER="0" CELLSPACING="0" CELLPADDING="0"><TR>'
        f'<TD><TABLE BORDER="0" CELLSPACING="3" CELLPADDING="1"><TR>{"".join(arrows)}</TR>'
        "</TABLE></TD>"
        f'<TD><TABLE BORDER="0" CELLSPACING="6" CELLPADDING="3"><TR>{swatches}</TR></TABLE></TD>'
        "</TR></TABLE>"
    )
