"""`python -m adapters` runs the `companion` command."""

from adapters.cli import main

raise SystemExit(main())
