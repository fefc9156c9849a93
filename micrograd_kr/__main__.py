"""``python -m micrograd_kr``: the same as the ``micrograd-kr`` command."""

from .cli import main

raise SystemExit(main())
