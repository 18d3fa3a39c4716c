"""Benchmarks: `make bench` builds a company of a fixed seed and prints each figure beside its floor."""
