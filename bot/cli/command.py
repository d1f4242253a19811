"""What a command module gets to declare itself: `add(name, help, description)` returns its parser."""

from __future__ import annotations

import argparse
from collections.abc import Callable

AddCommand = Callable[[str, str, str | None], argparse.ArgumentParser]
