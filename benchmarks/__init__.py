"""Speed benchmarks: ``python -m benchmarks [--quick]`` prints one JSON report (see docs/performance.md)."""
