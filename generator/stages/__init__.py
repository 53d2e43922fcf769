"""Stages: pure functions from values to values (dedupe, topics, related papers, redirects, what a
build changed). No file, no environment; forking.py may split the work over two cores."""
