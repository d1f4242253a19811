"""`python -m bot ...`: the command line."""

from bot.cli import main

raise SystemExit(main())
