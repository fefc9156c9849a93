"""Render DOT from stdin with pygraphviz's bundled Graphviz; write the output to stdout.

Run as ``python -c <this file's text> FORMAT [ARGS...]`` by ``render.py``: in a process of
its own the layout can be stopped (timeout, Ctrl-C), which a C call in-process cannot.
Only the standard library and pygraphviz are imported, never micrograd_kr.
"""

import sys


def main() -> int:
    fmt, args = sys.argv[1], " ".join(sys.argv[2:])
    source = sys.stdin.buffer.read().decode("utf-8")
    try:
        import pygraphviz
    except ImportError as exc:
        sys.stderr.write(f"pygraphviz is not installed: {exc}\n")
        return 3
    try:
        data = pygraphviz.AGraph(string=source).draw(format=fmt, prog="dot", args=args)
    except Exception as exc:  # pygraphviz raises ValueError/OSError/TypeError variously
        sys.stderr.write(f"pygraphviz could not render {fmt}: {exc}\n")
        return 1
    sys.stdout.buffer.write(bytes(data or b""))
    return 0


if __name__ == "__main__":
    # with -c, sys.path[0] is the working directory: a user's file there must not shadow
    # pygraphviz or the standard library
    if sys.path and sys.path[0] in ("", "."):
        del sys.path[0]
    sys.exit(main())
