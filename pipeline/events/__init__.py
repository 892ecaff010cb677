"""Event extraction and polarity: cue lexicon, roles from the parse, modality, classifier."""
