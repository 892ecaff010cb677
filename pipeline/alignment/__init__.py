"""Alignment of narrative events with chronology entries: plain data in, links and a summary out."""
