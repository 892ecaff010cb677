"""Scoring the pipeline against gold files and outside test cases."""
