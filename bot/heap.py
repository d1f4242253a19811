"""Keeping a long-running bot's collector off the objects that live as long as its index."""

from __future__ import annotations

import gc


def settle() -> None:
    """Hide what is alive now (the corpus, its index, the warmed caches) from the cyclic collector.

    Those objects live until the next reload, yet every full collection walks them all: tens of
    milliseconds at a time, which a burst of questions waits for. Call it after start-up and after
    each reload: it first hands the previous index back to the collector, so its cycles are freed."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
