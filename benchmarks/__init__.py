"""Reproducible performance runs: each prints a table beside a baseline measured in the same run.

``python -m benchmarks`` runs them all; ``python -m benchmarks content`` one of them.
Targets are in DESIGN.md ("Performance"); no test asserts a time.
"""
