"""Ingestion as one line of stages, one module each:

store -> extract -> split -> classify -> parse -> resolve -> write

Every stage but store/resolve/write is a plain function over the types in
`types.py` and runs without Django. `run.py` strings them together.
"""

PARSER_VERSION = "1.0.0"
