"""all-MiniLM-L6-v2 in plain numpy: a BERT encoder, mean pooling and L2 normalisation.

The same sentence embeddings sentence-transformers computes, without torch: the weights are read
from the model's `model.safetensors`, the text is split by the `tokenizers` package from its
`tokenizer.json`. Float32 throughout, like the reference.
"""

from __future__ import annotations

import hashlib
import json
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.special import erf
from threadpoolctl import threadpool_limits

from bot.files import hashed
from bot.semantic.errors import INSTALL_HINT, SemanticError

# sentence-transformers' max_seq_length for this model (sentence_bert_config.json): longer texts
# are cut to this many word pieces, [CLS] and [SEP] included.
MAX_TOKENS = 256
# Word pieces encoded together at most, padding included. Attention holds batch x 12 x length^2
# floats several times over: 1,024 pieces keep a batch of 256-piece abstracts near 50 MB.
BATCH_TOKENS = 1024
# BLAS threads used while encoding. Attention is hundreds of small matrix products per batch, and
# BLAS threads that wait for a busy core cost more than they save: on a shared 2-core machine, one
# thread encoded a question in 16-40 ms against 290-370 ms with the default.
THREADS = 1
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}

Floats = np.ndarray[Any, np.dtype[np.float32]]
Ints = np.ndarray[Any, np.dtype[np.int64]]


def read_safetensors(data: bytes | np.ndarray[Any, np.dtype[np.uint8]], path: Path) -> dict[str, np.ndarray[Any, Any]]:
    """Every tensor of the .safetensors file `path` holding `data`, by name (the format: an 8-byte
    little-endian header size, a JSON header giving each tensor's dtype, shape and byte range, then
    the raw bytes). The arrays are views of `data`, not copies."""
    if len(data) < 8:
        raise SemanticError(f"{path}: expected a .safetensors file, got {len(data)} bytes")
    (size,) = struct.unpack("<Q", bytes(data[:8]))
    try:
        header = json.loads(bytes(data[8 : 8 + size]))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise SemanticError(f"{path}: expected a .safetensors file: its header is not JSON ({err})") from err
    if not isinstance(header, dict):
        raise SemanticError(f"{path}: expected a .safetensors header mapping tensor names to their layout")
    start = 8 + size
    tensors: dict[str, np.ndarray[Any, Any]] = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        try:
            dtype = np.dtype(_DTYPES[spec["dtype"]]).newbyteorder("<")
            begin, end = (int(x) for x in spec["data_offsets"])
            shape = tuple(int(x) for x in spec["shape"])
        except (KeyError, TypeError, ValueError) as err:
            raise SemanticError(
                f"{path}: tensor {name!r}: expected dtype F32, F16 or I64, shape and data_offsets"
            ) from err
        if not 0 <= begin <= end <= len(data) - start or (end - begin) != dtype.itemsize * int(np.prod(shape)):
            raise SemanticError(f"{path}: tensor {name!r}: its bytes {begin}..{end} do not fit the file or its shape")
        tensors[name] = np.frombuffer(data, dtype=dtype, count=int(np.prod(shape)), offset=start + begin).reshape(shape)
    return tensors


@dataclass(frozen=True)
class BertConfig:
    """The shape of the encoder, from the model's config.json."""

    layers: int
    heads: int
    hidden: int
    eps: float

    @classmethod
    def read(cls, path: Path) -> BertConfig:
        """Read config.json; a clear error when it is not a BERT encoder this module can run."""
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
            config = cls(
                layers=int(raw["num_hidden_layers"]),
                heads=int(raw["num_attention_heads"]),
                hidden=int(raw["hidden_size"]),
                eps=float(raw.get("layer_norm_eps", 1e-12)),
            )
            act, position = raw.get("hidden_act", "gelu"), raw.get("position_embedding_type", "absolute")
        except OSError as err:
            raise SemanticError(f"{path}: cannot read the model config ({err.strerror})") from err
        except (ValueError, KeyError, TypeError) as err:
            raise SemanticError(f"{path}: expected a BERT config with num_hidden_layers, num_attention_heads, "
                                f"hidden_size ({err})") from err  # fmt: skip
        if act != "gelu" or position != "absolute" or config.hidden % config.heads:
            raise SemanticError(f"{path}: expected hidden_act gelu, absolute positions and hidden_size divisible by "
                                f"the heads; got {act}, {position}, {config.hidden}/{config.heads}")  # fmt: skip
        return config


def _layer_norm(x: Floats, weight: Floats, bias: Floats, eps: float) -> Floats:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    out: Floats = (x - mean) / np.sqrt(var + eps) * weight + bias
    return out


def _gelu(x: Floats) -> Floats:
    # BERT's exact GELU (erf), not the tanh approximation: the weights were trained with it.
    out: Floats = (0.5 * x * (1.0 + erf(x / np.float32(np.sqrt(2.0))))).astype(np.float32)
    return out


@dataclass(frozen=True)
class Layer:
    """One transformer layer's weights: (weight, bias) of each linear map, (scale, shift) of each norm."""

    query: tuple[Floats, Floats]
    key: tuple[Floats, Floats]
    value: tuple[Floats, Floats]
    out: tuple[Floats, Floats]
    norm1: tuple[Floats, Floats]
    up: tuple[Floats, Floats]
    down: tuple[Floats, Floats]
    norm2: tuple[Floats, Floats]


class Encoder:
    """BERT's forward pass over token ids, mean-pooled over real tokens and L2-normalised."""

    def __init__(self, weights: dict[str, np.ndarray[Any, Any]], config: BertConfig) -> None:
        self.config = config
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in weights else ""

        def get(name: str) -> Floats:
            key = prefix + name
            if key not in weights:
                raise SemanticError(f"the model weights have no tensor {key!r}: not a BERT encoder of this shape")
            # A view of the mapped file when it is float32 already: only the rows used are read.
            return np.asarray(weights[key], dtype=np.float32)

        def norm(name: str) -> tuple[Floats, Floats]:
            return get(name + ".weight"), get(name + ".bias")

        def linear(name: str) -> tuple[Floats, Floats]:
            # Stored (out, in); the transposed view is multiplied as it is (BLAS reads it transposed).
            return get(name + ".weight").T, get(name + ".bias")

        self.words = get("embeddings.word_embeddings.weight")
        self.positions = get("embeddings.position_embeddings.weight")
        self.token_type = get("embeddings.token_type_embeddings.weight")[0]
        self.norm = norm("embeddings.LayerNorm")
        self.layers = [
            Layer(
                query=linear(f"encoder.layer.{i}.attention.self.query"),
                key=linear(f"encoder.layer.{i}.attention.self.key"),
                value=linear(f"encoder.layer.{i}.attention.self.value"),
                out=linear(f"encoder.layer.{i}.attention.output.dense"),
                norm1=norm(f"encoder.layer.{i}.attention.output.LayerNorm"),
                up=linear(f"encoder.layer.{i}.intermediate.dense"),
                down=linear(f"encoder.layer.{i}.output.dense"),
                norm2=norm(f"encoder.layer.{i}.output.LayerNorm"),
            )
            for i in range(config.layers)
        ]

    @property
    def max_positions(self) -> int:
        return int(self.positions.shape[0])

    def __call__(self, ids: Ints, mask: Ints) -> Floats:
        """Sentence embeddings, one unit row per row of `ids` (batch, length); `mask` is 1 on real tokens."""
        batch, length = ids.shape
        if length > self.max_positions:
            raise SemanticError(f"{length} tokens: the model reads at most {self.max_positions}")
        eps, heads = self.config.eps, self.config.heads
        size = self.config.hidden // heads
        x = self.words[ids] + self.positions[:length] + self.token_type
        # Linear layers run on a 2-D (tokens, hidden) matrix: numpy multiplies a 3-D array by a matrix
        # one slice at a time without BLAS, ten times slower.
        x = _layer_norm(x.reshape(batch * length, -1), *self.norm, eps)
        # Padding gets a large negative score before the softmax, so real tokens never attend to it.
        blocked = ((1.0 - mask[:, None, None, :].astype(np.float32)) * np.float32(-1e9)).astype(np.float32)
        scale = np.float32(1.0 / np.sqrt(size))
        for layer in self.layers:
            # (batch, heads, length, size) copies: a batched matmul of transposed views skips BLAS too.
            q, k, v = (
                np.ascontiguousarray((x @ w + b).reshape(batch, length, heads, size).transpose(0, 2, 1, 3))
                for w, b in (layer.query, layer.key, layer.value)
            )
            scores = (q @ k.transpose(0, 1, 3, 2).copy()) * scale + blocked
            scores -= scores.max(-1, keepdims=True)
            weights = np.exp(scores)
            weights /= weights.sum(-1, keepdims=True)
            context = np.ascontiguousarray((weights @ v).transpose(0, 2, 1, 3)).reshape(batch * length, -1)
            x = _layer_norm(context @ layer.out[0] + layer.out[1] + x, *layer.norm1, eps)
            up = _gelu(x @ layer.up[0] + layer.up[1])
            x = _layer_norm(up @ layer.down[0] + layer.down[1] + x, *layer.norm2, eps)
        x = x.reshape(batch, length, -1)
        real = mask[:, :, None].astype(np.float32)
        pooled = (x * real).sum(1) / np.maximum(real.sum(1), 1e-9)
        norms = np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        out: Floats = (pooled / norms).astype(np.float32)
        return out


class MiniLM:
    """A sentence-transformers BERT model folder (all-MiniLM-L6-v2) as `encode(texts) -> unit rows`."""

    def __init__(self, folder: Path, max_tokens: int = MAX_TOKENS) -> None:
        try:
            from tokenizers import Tokenizer
        except ImportError as err:
            raise SemanticError(f"the semantic extra is not installed: {INSTALL_HINT}") from err
        self.folder = folder
        weights_path = folder / "model.safetensors"
        try:
            # What the embedding cache is keyed on: other weights under the same name give other vectors.
            self.fingerprint = hashed(weights_path, hashlib.sha256()).hexdigest()
            # Mapped, not read: the weights are views of the file, and the pages of the 30,522-word
            # embedding table that no text uses are never loaded.
            data = np.memmap(weights_path, dtype=np.uint8, mode="r")
        except (OSError, ValueError) as err:
            raise SemanticError(f"{weights_path}: cannot read the model weights ({err})") from err
        self.encoder = Encoder(read_safetensors(data, weights_path), BertConfig.read(folder / "config.json"))
        try:
            self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        except Exception as err:  # the tokenizers package raises a bare Exception for a bad file
            raise SemanticError(f"{folder / 'tokenizer.json'}: cannot read the tokenizer ({err})") from err
        # tokenizer.json pads and cuts every text to 128 pieces; sentence-transformers cuts at 256 and
        # pads each batch to its longest text, and so does this.
        self.max_tokens = min(max_tokens, self.encoder.max_positions)
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(self.max_tokens)

    def token_ids(self, texts: Sequence[str]) -> tuple[Ints, Ints]:
        """Token ids and attention mask of `texts`, padded with 0 ([PAD]) to the longest."""
        return _padded([e.ids for e in self.tokenizer.encode_batch(list(texts))])

    def encode(self, texts: Sequence[str], threads: int = THREADS) -> Floats:
        """One unit-length embedding per text (rows of a float32 array of shape (len(texts), 384))."""
        out = np.zeros((len(texts), self.encoder.config.hidden), dtype=np.float32)
        pieces = [e.ids for e in self.tokenizer.encode_batch(list(texts))]
        # Texts of similar length batched together waste less on padding; the order is restored after.
        order = sorted(range(len(texts)), key=lambda i: len(pieces[i]))
        with threadpool_limits(threads):
            for chosen in token_batches(order, [len(p) for p in pieces]):
                out[chosen] = self.encoder(*_padded([pieces[i] for i in chosen]))
        return out


def token_batches(order: Sequence[int], lengths: Sequence[int]) -> list[list[int]]:
    """`order` (shortest text first) cut into batches of at most BATCH_TOKENS pieces once padded."""
    out: list[list[int]] = [[]]
    for i in order:
        if out[-1] and (len(out[-1]) + 1) * lengths[i] > BATCH_TOKENS:
            out.append([])
        out[-1].append(i)
    return [b for b in out if b]


def _padded(pieces: Sequence[Sequence[int]]) -> tuple[Ints, Ints]:
    """Token ids padded with 0 ([PAD]) to the longest, and the mask of the real ones."""
    length = max((len(p) for p in pieces), default=0)
    ids = np.zeros((len(pieces), length), dtype=np.int64)
    mask = np.zeros((len(pieces), length), dtype=np.int64)
    for row, p in enumerate(pieces):
        ids[row, : len(p)] = p
        mask[row, : len(p)] = 1
    return ids, mask
