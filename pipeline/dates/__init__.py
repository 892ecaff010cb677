"""Temporal expressions: recognition (recognize.py) and TIMEX3 normalisation (normalize.py)."""
