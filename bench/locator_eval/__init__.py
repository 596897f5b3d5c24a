"""Evaluation of the landmark locator on synthetic towns it was never tuned on (see generate.py)."""
