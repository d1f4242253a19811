"""paperbot: answers questions about one researcher's papers, on Discord or in a terminal."""

__version__ = "0.1.0"
