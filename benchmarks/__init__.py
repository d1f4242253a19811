"""Benchmarks that need more than the bot itself (the Discord emulator from tests/)."""
