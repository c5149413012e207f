"""The ONNX Runtime backend: same embeddings and answers as torch, verified export, no torch at run time."""

from __future__ import annotations

import hashlib
import itertools
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from embeddings.answers import ArticleService
from embeddings.errors import ModelLoadError
from embeddings.models import onnx_export, onnx_files
from embeddings.models.backends import make_encoder
from embeddings.models.onnx_encoder import OnnxEncoder
from embeddings.models.onnx_export import load_or_export
from embeddings.models.onnx_files import MANIFEST_FILE, MODEL_FILE, TOKENIZER_FILE, export_directory, read_export
from embeddings.models.onnx_session import length_groups
from embeddings.ranking import sentence_texts
from embeddings.vectors import EmbeddingCache
from tests.conftest import copy_export

ROOT = Path(__file__).resolve().parents[3]

QUESTIONS = (
    "Who commands the Azov Regiment?",
    "How many people were evacuated?",
    "What did Zelensky accuse Moscow of?",
    "Where is the Azovstal steel plant?",
    "What support will the evacuees receive?",
    "Were civilians evacuated from the plant on Wednesday?",
    "Which towns were people rescued from?",
    "What is the capital of France?",
    "Who won the 2018 World Cup?",
)


def test_embeddings_match_torch(encoder, onnx_encoder, seed_article):
    """Every paragraph, sentence and question embeds with cosine >= 0.9999 to sentence-transformers."""
    texts = [p.text for p in seed_article.paragraphs] + sentence_texts(seed_article) + list(QUESTIONS)
    texts += ["", "x", "word " * 600]  # empty, one letter, truncated at 256 tokens
    ours, theirs = onnx_encoder.encode(texts), encoder.encode(texts)
    assert ours.shape == theirs.shape and ours.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert np.min(np.sum(ours * theirs, axis=1)) >= 0.9999


def test_batched_and_single_encodes_agree(onnx_encoder, seed_article):
    """Padding a text inside a batch (and length-sorted chunks) does not change its embedding."""
    texts = [p.text for p in seed_article.paragraphs] + sentence_texts(seed_article)
    small = OnnxEncoder(None, onnx_encoder.cache_dir, batch_size=4)
    batched = small.encode(texts)
    alone = np.stack([onnx_encoder.encode([text])[0] for text in texts])
    np.testing.assert_allclose(batched, alone, atol=1e-5)


def test_length_groups_run_similar_lengths_together():
    """Texts split into runs of similar token length only where a run's cost is saved in padding:
    a question and its shorter unmatched words stay one run; 5- and 40-token texts do not."""
    assert [sorted(run.tolist()) for run in length_groups([11, 7])] == [[0, 1]]
    runs = length_groups([40, 5, 40, 5, 5, 40])
    assert [sorted(run.tolist()) for run in runs] == [[1, 3, 4], [0, 2, 5]]
    lengths = [9, 13, 8, 12, 11, 10] * 10
    runs = length_groups(lengths)
    assert sorted(i for run in runs for i in run.tolist()) == list(range(60))
    assert 1 < len(runs) < 6
    assert all(max(lengths[i] for i in a) <= min(lengths[i] for i in b) for a, b in itertools.pairwise(runs))


def test_grouped_encodes_agree_with_single_encodes(onnx_encoder):
    """Up to 64 texts of mixed lengths, encoded in length-grouped runs, embed as each does alone."""
    texts = [f"{'Why ' * (i % 9)}did the convoy leave Mariupol on day {i}?" for i in range(64)]
    grouped = onnx_encoder.encode(texts)
    alone = np.stack([onnx_encoder.encode([text])[0] for text in texts])
    np.testing.assert_allclose(grouped, alone, atol=1e-5)


def test_identity_is_the_models_so_caches_are_shared(encoder, onnx_encoder):
    """Both backends key the embedding cache by the model, so switching re-encodes nothing."""
    assert onnx_encoder.identity == encoder.identity


def test_same_answers_as_torch_on_the_seed_article(seed_service, onnx_encoder, tmp_path):
    """Both backends answer every question with the same paragraphs and quotes."""
    onnx_service = ArticleService(onnx_encoder, EmbeddingCache(tmp_path), seed_service.source)
    onnx_service.reload()
    for question in QUESTIONS:
        ours, theirs = onnx_service.answer(question), seed_service.answer(question)
        assert ours.answered == theirs.answered, question
        assert [(c.paragraph, c.quote) for c in ours.citations] == [
            (c.paragraph, c.quote) for c in theirs.citations
        ], question
        assert [s.paragraph for s in ours.suggestions] == [s.paragraph for s in theirs.suggestions], question
        assert ours.confidence == pytest.approx(theirs.confidence, abs=1e-3)


def test_export_records_its_sha256(onnx_encoder):
    """The export directory holds the model, the tokenizer and a manifest with both hashes."""
    directory = export_directory(onnx_encoder.cache_dir, onnx_encoder.identity)
    assert directory.parent.name == "onnx" and directory.parent.parent == onnx_encoder.cache_dir
    manifest = json.loads((directory / MANIFEST_FILE).read_text())
    assert manifest["max_seq_length"] == 256 and manifest["dimension"] == 384
    assert manifest["sha256"] == hashlib.sha256((directory / MODEL_FILE).read_bytes()).hexdigest()
    assert manifest["tokenizer_sha256"] == hashlib.sha256((directory / TOKENIZER_FILE).read_bytes()).hexdigest()
    assert read_export(directory).model_file == directory / MODEL_FILE


@pytest.mark.parametrize("damage", ["truncate", "flip", "manifest", "null", "missing"])
def test_corrupt_export_is_exported_again(onnx_encoder, tmp_path, monkeypatch, damage):
    """A truncated, altered, unreadable (or null) manifest or half-deleted export is replaced, never fatal."""
    directory = copy_export(onnx_encoder, tmp_path)
    model = directory / MODEL_FILE
    if damage == "truncate":
        model.write_bytes(model.read_bytes()[: model.stat().st_size // 2])
    elif damage == "flip":
        data = bytearray(model.read_bytes())
        data[len(data) // 2] ^= 0xFF
        model.write_bytes(bytes(data))
    elif damage == "manifest":
        (directory / MANIFEST_FILE).write_text("{not json")
    elif damage == "null":
        (directory / MANIFEST_FILE).write_text("null")
    else:
        model.unlink()
    exports = []

    def fake_export(model_path: str, target: Path) -> None:  # stands in for the slow torch export
        exports.append(target)
        shutil.rmtree(target)
        shutil.copytree(export_directory(onnx_encoder.cache_dir, onnx_encoder.identity), target)

    monkeypatch.setattr(onnx_export, "export_model", fake_export)
    with pytest.raises((ValueError, OSError)):
        read_export(directory)
    export = load_or_export(onnx_encoder.model_path, onnx_encoder.identity, tmp_path)
    assert exports == [directory]
    assert export.max_seq_length == 256
    reloaded = OnnxEncoder(None, tmp_path)
    np.testing.assert_allclose(reloaded.encode(["steel plant"]), onnx_encoder.encode(["steel plant"]), atol=1e-6)


def test_unwritable_cache_without_an_export_is_a_model_load_error(onnx_encoder, tmp_path):
    """With no export and a CACHE_DIR that cannot be written (here a file stands where the directory
    should be: as root, permissions would not stop the write), loading is one clear ModelLoadError."""
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")
    with pytest.raises(ModelLoadError, match="CACHE_DIR"):
        load_or_export(onnx_encoder.model_path, onnx_encoder.identity, blocker / "cache")


def test_make_encoder_picks_the_backend(tmp_path):
    """make_encoder builds (without loading) the encoder an EMBEDDING_BACKEND value names."""
    assert type(make_encoder("onnx", None, tmp_path)).__name__ == "OnnxEncoder"
    assert type(make_encoder("torch", None, tmp_path)).__name__ == "SentenceTransformerEncoder"
    with pytest.raises(ValueError, match="onnx, torch"):
        make_encoder("tensorflow")


def test_cli_fast_path_never_imports_torch(onnx_encoder, tmp_path):
    """`article-bot ask` with an existing export (cold and warm embedding cache) imports no torch."""
    copy_export(onnx_encoder, tmp_path / "cache")
    environment = {k: v for k, v in os.environ.items() if k not in {"DISCORD_TOKEN", "ARTICLE_PATH", "MODEL"}}
    environment.update(CACHE_DIR=str(tmp_path / "cache"), EMBEDDING_BACKEND="onnx", HF_HUB_OFFLINE="1")
    for _ in range(2):  # first run embeds the article (with ONNX), second finds it cached
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "bot.cli", "ask", "Who commands the Azov Regiment?", "--json"],
            capture_output=True, text=True, cwd=ROOT, env=environment, timeout=120,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        assert "Prokopenko" in json.loads(result.stdout)["citations"][0]["quote"]
        modules = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line}
        assert "onnxruntime" in modules
        assert not {m for m in modules if m.split(".")[0] in {"torch", "sentence_transformers", "transformers"}}


def test_an_export_finished_by_another_process_is_kept(onnx_encoder, tmp_path, monkeypatch):
    """When a valid export appeared while we exported, ours is dropped and theirs stays; stale temp dirs go."""
    theirs = copy_export(onnx_encoder, tmp_path)
    marker = (theirs / MANIFEST_FILE).stat().st_mtime_ns
    stale = theirs.parent / f".{theirs.name}-leftover"
    stale.mkdir()
    os.utime(stale, (0, 0))
    source = export_directory(onnx_encoder.cache_dir, onnx_encoder.identity)

    def fake_export_into(model_path: str, staging: Path) -> None:
        for child in source.iterdir():
            shutil.copy(child, staging / child.name)

    monkeypatch.setattr(onnx_export, "_export_into", fake_export_into)
    onnx_export.export_model(onnx_encoder.model_path, theirs)
    assert (theirs / MANIFEST_FILE).stat().st_mtime_ns == marker
    assert not stale.exists()
    assert [p.name for p in theirs.parent.iterdir()] == [theirs.name]


def _count_model_hashes(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = onnx_files.hashlib.file_digest

    def counting(handle, digest):
        calls.append(1)
        return real(handle, digest)

    monkeypatch.setattr(onnx_files.hashlib, "file_digest", counting)
    return calls


def test_a_verified_unchanged_model_is_not_hashed_again(onnx_encoder, tmp_path, monkeypatch):
    """The first read hashes the model and records its stamp; later reads of the untouched file skip the hash."""
    directory = copy_export(onnx_encoder, tmp_path)
    calls = _count_model_hashes(monkeypatch)
    read_export(directory)
    read_export(directory)
    assert len(calls) == 1 and (directory / onnx_files.VERIFIED_FILE).exists()


def test_a_model_rewritten_after_verification_is_hashed_and_refused(onnx_encoder, tmp_path, monkeypatch):
    """A byte flipped in place after verification, same size and modification time restored, is still caught."""
    directory = copy_export(onnx_encoder, tmp_path)
    read_export(directory)
    model = directory / MODEL_FILE
    before = model.stat()
    with model.open("r+b") as handle:
        handle.seek(before.st_size // 2)
        byte = handle.read(1)
        handle.seek(before.st_size // 2)
        handle.write(bytes([byte[0] ^ 0xFF]))
    os.utime(model, ns=(before.st_atime_ns, before.st_mtime_ns))
    calls = _count_model_hashes(monkeypatch)
    with pytest.raises(ValueError, match="SHA-256"):
        read_export(directory)
    assert len(calls) == 1


def test_live_answers_equal_bulk_encoded_answers_on_squad_and_seed(onnx_encoder, seed_article):
    """Answers as the bot computes them (behind the micro-batcher: the question and its unmatched
    words in one length-grouped call, a repeated text encoded once) equal answers from vectors encoded
    in bulk (as `article-bot eval squad` encodes them): same paragraphs, quotes and abstentions."""
    from embeddings.answers import Answerer
    from embeddings.evaluation import load_squad, prepare, unmatched_text
    from embeddings.models.batching import BatchingEncoder
    from embeddings.ranking import build_index
    from tests.conftest import SHARED_DATA

    squad = SHARED_DATA / "squad-dev-v1.1-part-a.json"
    if not squad.exists():
        pytest.skip(f"{squad} is not present")
    live, bulk = Answerer(BatchingEncoder(onnx_encoder)), Answerer(onnx_encoder)
    cases = []
    for article in prepare(load_squad(squad, limit=3)[1:], onnx_encoder, EmbeddingCache(None)):
        for i, question in enumerate(article.item.questions):
            cases.append((article.index, question.text, article.question_vectors[i], article.unmatched[i]))
    seed = build_index(seed_article, onnx_encoder, EmbeddingCache(None))
    for question in ("What is the capital of France?", "What did Zelensky accuse Moscow of?",
                     "Which towns were people rescued from?", "How tall is the steel plant's chimney?",
                     "Who commands the Azov Regiment?", "How many people were evacuated?"):
        unmatched = unmatched_text(seed, question)
        texts = [question, *([unmatched] if unmatched else [])]
        vectors = onnx_encoder.encode(texts * 20)  # in bulk, among other texts
        cases.append((seed, question, vectors[0], vectors[1] if unmatched else None))
    assert len(cases) > 300 and sum(case[3] is not None for case in cases) > 20
    for index, question, vector, unmatched in cases:
        scores = bulk.score(index, question, query_vector=vector, unmatched_vector=unmatched)
        expected = bulk.answer_from_scores(index, " ".join(question.split()), scores).to_json()
        got = live.answer(index, question).to_json()
        for answer in (expected, got):
            for item in answer["citations"] + answer["suggestions"]:
                item["score"] = round(item["score"], 3)  # vectors agree to ~1e-7: the 4th decimal may move
        assert got == expected, question
