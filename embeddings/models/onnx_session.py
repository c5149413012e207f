"""An ONNX Runtime session and its tokenizer for one verified export: token-length runs, padding, the graph."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .encoder import normalise
from .onnx_files import OnnxExport

# What one model run costs beyond its tokens, in padded token rows (measured on the 2-core CPU of the
# benchmarks: a run of two 11-token questions costs about 1.4 runs of one).
RUN_COST_TOKENS = 16


def length_groups(lengths: Sequence[int], run_cost: float = RUN_COST_TOKENS) -> list[np.ndarray]:
    """Split texts of token ``lengths`` (n,) into model runs, each padded to its longest text, so that
    ``sum(run_cost + rows * longest)`` over the runs is least (texts of similar length run together).

    Returns the runs as index arrays into ``lengths``, shortest texts first; one run when splitting
    saves less than a run costs (e.g. a question and its shorter unmatched words).
    """
    order = np.argsort(np.asarray(lengths), kind="stable")
    ordered = np.asarray(lengths)[order]
    ends = [*np.flatnonzero(np.diff(ordered)).tolist(), len(ordered) - 1]  # last index of each length
    # best[j]: least cost of the texts up to the end of distinct length j; cut[j]: where its last run starts
    best, cut = [], []
    for j, end in enumerate(ends):
        options = [
            ((best[i - 1] if i else 0.0) + run_cost + (end + 1 - (ends[i - 1] + 1 if i else 0)) * ordered[end], i)
            for i in range(j + 1)
        ]
        cost, start = min(options)
        best.append(cost)
        cut.append(start)
    runs, j = [], len(ends) - 1
    while j >= 0:
        i = cut[j]
        low = ends[i - 1] + 1 if i else 0
        runs.append(order[low : ends[j] + 1])
        j = i - 1
    return runs[::-1]


class OnnxSession:
    """An ONNX Runtime session and its tokenizer for one verified export (thread-safe)."""

    def __init__(self, export: OnnxExport, *, threads: int | None = None, batch_size: int = 64) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        self.dimension = export.dimension
        self.batch_size = batch_size
        self.pad_id = export.pad_id
        self.tokenizer = Tokenizer.from_str(export.tokenizer_json)
        self.tokenizer.enable_truncation(max_length=export.max_seq_length)
        self.tokenizer.no_padding()  # runs are padded in numpy, each to its own longest text
        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        options.intra_op_num_threads = threads or 0
        # No busy-waiting between runs: the CPU is shared with the event loop and other askers.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self.session = onnxruntime.InferenceSession(
            str(export.model_file), options, providers=["CPUExecutionProvider"]
        )
        self.inputs = [spec.name for spec in self.session.get_inputs()]

    def _run(self, ids: list[list[int]]) -> np.ndarray:
        """The graph's (n, d) output for token id rows, padded to the longest (as the tokenizer pads)."""
        width = max(map(len, ids))
        input_ids = np.full((len(ids), width), self.pad_id, dtype=np.int64)
        mask = np.zeros((len(ids), width), dtype=np.int64)
        for row, tokens in enumerate(ids):
            input_ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        columns = {"input_ids": input_ids, "attention_mask": mask, "token_type_ids": np.zeros_like(mask)}
        return np.asarray(self.session.run(None, {name: columns[name] for name in self.inputs})[0])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Embed texts as (n, d) unit float32 rows.

        Up to ``batch_size`` texts run in as few runs as pay (:func:`length_groups`: similar token
        lengths together, so short texts are not padded to long ones); more run in chunks of
        ``batch_size``, sorted by length.
        """
        texts = list(texts)
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        ids = [encoding.ids for encoding in self.tokenizer.encode_batch(texts, add_special_tokens=True)]
        if len(texts) == 1:
            return normalise(self._run(ids))
        if len(texts) <= self.batch_size:
            runs = length_groups([len(row) for row in ids])
        else:
            order = np.argsort([-len(text) for text in texts], kind="stable")  # similar lengths pad less
            runs = [order[lo : lo + self.batch_size] for lo in range(0, len(texts), self.batch_size)]
        if len(runs) == 1:
            return normalise(self._run(ids))
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        for run in runs:
            out[run] = self._run([ids[i] for i in run])
        return normalise(out)
