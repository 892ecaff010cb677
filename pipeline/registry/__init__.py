"""Registries: validated JSONL data the pipeline matches against."""
