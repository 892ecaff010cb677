"""Coded errors and warnings, so users can search for them (like spaCy's errors.py)."""

from __future__ import annotations

# Input errors: the article is not processed; one line in errors.jsonl.
ERRORS: dict[str, str] = {
    "E001": "the file is empty",
    "E002": "the file is binary, not text",
    "E003": "the file is not valid UTF-8",
    "E004": "the file looks truncated (it ends inside a UTF-8 character)",
    "E005": "the file is too large",
    "E006": "unsupported format",
    "E007": "the file cannot be read",
    "E008": "the path does not exist",
    "E009": "the HTML page holds no article text",
    "E010": "the PDF is encrypted",
    "E011": "the PDF has no text layer (scanned; needs OCR)",
    "E012": "the PDF is corrupt, truncated or not a PDF",
    "E013": "the PDF has no pages",
    "E015": "the path is not a regular file (a pipe, socket or device)",
    "E016": "the path is a symbolic link that is broken or loops",
    "E017": "a folder cannot be read, so its files were not annotated",
    "E018": "no article files were found in the paths given",
    "E020": "no English model is installed",
    "E021": "the spaCy model cannot be loaded",
    "E030": "processing the article failed",
    "E031": "a stage wrote an annotation that does not fit the output contract",
    "E032": "the article took longer than the time budget (--max-seconds)",
    "E033": "the article needed more memory than the limit (--max-memory)",
    "E034": "the cluster could not annotate the article (scheduler unreachable, worker lost twice, or another pipeline on the worker)",
    "E040": "a registry or lexicon file is invalid",
    "E041": "the alignment config is invalid",
    "E050": "the folder holds no articles.jsonl",
    "E051": "a records file has an invalid line",
    "E052": "a corrections file has an invalid line",
    "E060": "a corrections source cannot be read",
    "E061": "the gold set cannot be used",
    "E062": "the model folder cannot be used",
    "E063": "there is nothing to train on",
    "E064": "the training options are invalid",
    "E065": "the real-text development set is incomplete (a text not retrieved, or gold that no longer resolves)",
    "E070": "the output folder is being written by another run",
    "E071": "the outputs cannot be written (disk full, read-only or not permitted)",
    "E072": "the run would drop articles or reviewed corrections the output folder holds",
    "E080": "the port is already in use",
    "E081": "the review app cannot listen on that address",
    "E090": "not an output folder (no readable articles.jsonl)",
    "E091": "the output files do not match their manifest (a run in progress, or files of two runs)",
}

# Warnings: the article is processed, the record carries them.
WARNINGS: dict[str, str] = {
    "W101": "no chronology section found",
    "W102": "a chronology entry has no date (lost in extraction)",
    "W103": "no article header (relationship, period, title) found",
    "W104": "no authors found",
    "W105": "the text ends mid-sentence; it may be truncated",
    "W106": "layout noise (page headers, hyphenated line breaks, spaced letters) was taken out of the reading flow",
    "W107": "no document date found (no period, publication line, running header, dateline or full date)",
}


class PipelineError(Exception):
    """An error with a stable code, printed as ``E003: message``."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message

    def __reduce__(self) -> tuple[type[PipelineError], tuple[str, str]]:
        # sent back from worker processes: rebuilt from its code and message
        return (type(self), (self.code, self.message))
