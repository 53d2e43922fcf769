"""Inputs: the files a curator keeps (dumps, topics.yml, curation.yml, the URL ledger), read with
limits and turned into values and problems (file:line). Nothing here writes a file."""
