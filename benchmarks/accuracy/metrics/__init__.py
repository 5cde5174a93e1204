"""Accuracy harness: see benchmarks/accuracy/run.py."""
