"""Review: browse, correct and report on the pipeline's records."""
