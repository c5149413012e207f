"""Large articles: the paragraph shortlist found from an int8 copy of the paragraph vectors, exactly.

At 100k paragraphs the float32 product ``paragraph_vectors (P, d) @ query (d,)`` reads 147 MB per
question (memory bound, ~3.7 ms). :class:`Int8Vectors` keeps each row as ``scale_i * q_i`` with
``q_i`` int8 (d,), prepacked once in an ONNX Runtime ``MatMulInteger`` session (~0.65 ms at 100k;
both sides stored as uint8 with zero point 128: ONNX Runtime's uint8 x int8 kernel on CPUs without
VNNI (AVX2) adds pairs of products in saturating int16 and returned scores off by up to 10^5,
while uint8 x uint8 is exact everywhere), and per row the norms that bound its error:

    |v_i . x - scale_i * t * (q_i . r)| <= ||scale_i q_i|| * ||x - t r|| + ||v_i - scale_i q_i|| * ||x||

for the query ``x ~ t r`` (``r`` int8). :func:`approximate_shortlist` ranks every paragraph by
estimate and bound, keeps the candidates whose upper bound reaches the ``size``-th best lower
bound, scores only those exactly in float32 (:func:`exact_rows`, bit-identical to the full
product), and takes the shortlist from the exact scores: the same paragraphs, with the same
scores, as the full product would give. Paragraphs outside the candidates get lower bounds.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import numpy as np

log = logging.getLogger(__name__)

APPROXIMATE_ABOVE = 20_000  # paragraphs: from this many on, an index keeps an int8 copy
SLACK = 1e-4  # added to every bound: float32 rounding of the exact scores and of the fusion
ROW_BLOCK = 16  # BLAS matrix-vector kernels work in blocks of rows; gathers are padded to a multiple


def _session(int8_columns: np.ndarray) -> Any:
    """An ONNX Runtime session computing ``uint8 query (n, d) @ int8_columns (d, P)`` -> int32 (n, P)
    exactly: the query's zero point 128; the columns held as uint8 (+128) with zero point 128 too (the
    uint8 x uint8 kernel never saturates, unlike uint8 x int8 on AVX2), prepacked as an in-memory
    initializer (one thread)."""
    import onnxruntime
    from onnx import TensorProto, helper

    d, count = int8_columns.shape
    columns = TensorProto()
    columns.name, columns.data_type = "columns", TensorProto.UINT8
    columns.dims.extend([d, count])
    columns.data_location = TensorProto.EXTERNAL  # handed over below, never serialised
    location = columns.external_data.add()
    location.key, location.value = "location", "in-memory"
    zero = helper.make_tensor("zero", TensorProto.UINT8, [], [128])
    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", ["query", "columns", "zero", "zero"], ["scores"])],
        "int8_scores",
        [helper.make_tensor_value_info("query", TensorProto.UINT8, [None, d])],
        [helper.make_tensor_value_info("scores", TensorProto.INT32, [None, count])],
        initializer=[columns, zero],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = options.inter_op_num_threads = 1
    uint8_columns = (int8_columns.view(np.uint8) ^ np.uint8(128))  # r + 128, in place of a copy through int16
    options.add_external_initializers(["columns"], [onnxruntime.OrtValue.ortvalue_from_numpy(uint8_columns)])
    return onnxruntime.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])


def quantize_rows(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row of ``vectors`` (N, d) as ``scale (N,) float64 * int8 row (N, d)``, the largest
    component of each row at +-127 (an all-zero row gets scale 1)."""
    peak = np.abs(vectors).max(axis=1).astype(np.float64)
    scale = np.where(peak > 0, peak / 127.0, 1.0)
    rows = np.rint(vectors / scale[:, None]).clip(-127, 127).astype(np.int8)
    return scale, rows


@dataclass(frozen=True, slots=True, eq=False)
class Int8Vectors:
    """The int8 copy of ``P`` paragraph vectors (inside ``session``) with each row's scale (P,) and the
    norm of its rounding error (P,), float32, the largest norm of a row's int8 reconstruction, and d."""

    session: Any
    scale: np.ndarray
    error_norm: np.ndarray
    quantized_norm: float
    dimension: int

    @classmethod
    def of(cls, vectors: np.ndarray) -> Int8Vectors:
        """Quantize ``vectors`` (P, d) float32, in blocks of 8,192 rows to bound the temporaries."""
        count, d = vectors.shape
        columns = np.empty((d, count), dtype=np.int8)
        scale = np.empty(count, dtype=np.float32)
        error_norm = np.empty(count, dtype=np.float32)
        quantized_norm = 0.0
        for start in range(0, count, 8192):
            block = vectors[start : start + 8192].astype(np.float64)
            block_scale, rows = quantize_rows(block)
            scale[start : start + len(block)] = block_scale  # float32: the scale the estimates use
            rebuilt = rows * scale[start : start + len(block), None].astype(np.float64)
            end = start + len(block)
            columns[:, start:end] = rows.T
            error_norm[start:end] = np.linalg.norm(block - rebuilt, axis=1) * (1 + 1e-6)  # rounded up
            quantized_norm = max(quantized_norm, float(np.linalg.norm(rebuilt, axis=1).max(initial=0.0)))
        return cls(_session(columns), scale, error_norm, quantized_norm, d)

    @property
    def nbytes(self) -> int:
        """Resident bytes: the prepacked int8 copy (P * d) and the two per-row arrays."""
        return len(self.scale) * self.dimension + self.scale.nbytes + self.error_norm.nbytes

    def estimate(self, queries: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For ``queries`` (n, d): each paragraph's estimated cosine (n, P) float32 and a bound (n, P)
        float32 on its distance from the exact one (up to float32 rounding: :data:`SLACK` not included).

        ``|v.x - s t (q.r)| <= ||s q|| ||x - t r|| + ||v - s q|| ||x||`` for a row ``v ~ s q`` and the
        query ``x ~ t r``, ``||s q||`` taken at its largest over the rows."""
        exact = queries.astype(np.float64)
        query_scale, query_rows = quantize_rows(exact)
        residual = np.linalg.norm(exact - query_rows * query_scale[:, None], axis=1)
        uint8 = (query_rows.astype(np.int16) + 128).astype(np.uint8)
        estimate = self.session.run(None, {"query": uint8})[0].astype(np.float32)  # (n, P) int32 first
        estimate *= self.scale
        estimate *= query_scale.astype(np.float32)[:, None]
        error = np.multiply.outer(np.linalg.norm(exact, axis=1).astype(np.float32), self.error_norm)
        error += (self.quantized_norm * residual).astype(np.float32)[:, None]
        return estimate, error


def exact_rows(vectors: np.ndarray, query: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``(vectors (N, d) @ query (d,))[rows]`` (k,) float32, bit for bit, reading only those rows.

    BLAS computes a matrix-vector product in blocks of rows and the last few rows with another
    kernel, which rounds differently: the gathered rows are padded to a multiple of ROW_BLOCK, and
    rows in the last block of ``vectors`` are taken from a product over its aligned end.
    """
    count = len(vectors)
    tail = max(0, (count // ROW_BLOCK - 1) * ROW_BLOCK)  # an aligned start ROW_BLOCK..2*ROW_BLOCK from the end
    out = np.empty(len(rows), dtype=np.float32)
    body = rows < tail
    gathered = rows[body]
    padded = np.resize(gathered, -(-len(gathered) // ROW_BLOCK) * ROW_BLOCK) if len(gathered) else gathered
    out[body] = (vectors[padded] @ query)[: len(gathered)]
    if not body.all():
        out[~body] = (vectors[tail:] @ query)[rows[~body] - tail]
    return out


@dataclass(frozen=True, slots=True)
class ApproximateShortlist:
    """The exact top ``size`` paragraphs (sorted) and the paragraph cosines (P,) float32 of the
    question (and of its unmatched words, or None): exact at ``candidates``, lower bounds elsewhere."""

    paragraphs: np.ndarray
    dense: np.ndarray
    unmatched: np.ndarray | None
    candidates: np.ndarray


def approximate_shortlist(
    vectors: np.ndarray,
    int8: Int8Vectors,
    query: np.ndarray,
    unmatched: np.ndarray | None,
    lexical: tuple[np.ndarray, np.ndarray],
    weights: tuple[float, float, float, float],
    size: int,
) -> ApproximateShortlist | None:
    """The ``size`` paragraphs scoring best on ``alone = w_dense * cosine + w_bm25_p * bm25_p +
    w_bm25_s * bm25_s_max [+ w_unmatched * unmatched cosine]`` (the float32 expression of
    :func:`.retrieval.score_query`), found from ``int8`` estimates and exact cosines of the
    candidates only. ``lexical``: (bm25_p, bm25_s_max), each (P,); ``weights``: (w_dense, w_bm25_p,
    w_bm25_s, w_unmatched). None when the exact top ``size`` is not certain to be
    found this way (``size`` >= P, or a tie at its edge): score everything exactly then."""
    bm25_p, bm25_s_max = lexical
    w_dense, w_bm25_p, w_bm25_s, w_unmatched = weights
    count = len(vectors)
    if size >= count:
        return None
    stacked = np.stack([query, unmatched]) if unmatched is not None else query[None, :]
    estimate, error = int8.estimate(stacked)
    centre = w_dense * estimate[0]
    centre += w_bm25_p * bm25_p
    centre += w_bm25_s * bm25_s_max
    margin = abs(w_dense) * error[0]
    margin += SLACK
    if unmatched is not None:
        centre += w_unmatched * estimate[1]
        margin += abs(w_unmatched) * error[1]
        margin += SLACK
    low = centre - margin
    floor = np.partition(low, count - size)[count - size]  # the size-th best lower bound
    centre += margin
    candidates = np.flatnonzero(centre >= floor)
    dense = estimate[0] - error[0]
    dense -= SLACK  # lower bounds of the cosines outside the candidates
    dense[candidates] = exact_rows(vectors, query, candidates)
    alone = w_dense * dense[candidates] + w_bm25_p * bm25_p[candidates] + w_bm25_s * bm25_s_max[candidates]
    unmatched_p = None
    if unmatched is not None:
        unmatched_p = estimate[1] - error[1]
        unmatched_p -= SLACK
        unmatched_p[candidates] = exact_rows(vectors, unmatched, candidates)
        alone = alone + w_unmatched * unmatched_p[candidates]
    if len(candidates) > size:
        edge = np.partition(-alone, size)
        if edge[:size].max() == edge[size]:  # the size-th and (size+1)-th best tie
            return None
    best = candidates[np.argpartition(-alone, size - 1)[:size]] if len(candidates) > size else candidates
    return ApproximateShortlist(np.sort(best), dense, unmatched_p, candidates)
