"""Run the command line as ``python -m sqresearch``."""

from sqresearch.cli import main

raise SystemExit(main())
