"""BLAS threads follow the index size."""

from __future__ import annotations

import os

from threadpoolctl import threadpool_info

from embeddings.models.blas import SINGLE_THREAD_BELOW, blas_threads_for, tune_blas_threads


def _blas_threads() -> set[int]:
    return {lib["num_threads"] for lib in threadpool_info() if lib["user_api"] == "blas"}


def test_small_indexes_use_one_thread_and_huge_ones_all_cores():
    """One thread below the threshold, every core from it on."""
    assert blas_threads_for(30) == 1 and blas_threads_for(SINGLE_THREAD_BELOW - 1) == 1
    assert blas_threads_for(SINGLE_THREAD_BELOW) == (os.cpu_count() or 1)


def test_tune_sets_numpys_blas_threads():
    """tune_blas_threads changes the thread count numpy's BLAS reports."""
    try:
        assert tune_blas_threads(10) == 1
        assert _blas_threads() == {1}
        cores = tune_blas_threads(SINGLE_THREAD_BELOW)
        assert _blas_threads() == {cores}
    finally:
        tune_blas_threads(SINGLE_THREAD_BELOW)
