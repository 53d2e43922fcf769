"""Stages: pure functions from values to values (dedupe, topics, related papers, redirects, what a
build changed). No file, no environment, no process: a pass that may run on two cores takes a `SplitWork`
(models.py) that the pipeline gives it (forking.split_work)."""
