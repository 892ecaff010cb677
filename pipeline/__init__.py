"""ccpipeline: annotate diplomatic analyses with actors, dates, agreements, events and alignment."""

__version__ = "0.1.0"
SCHEMA_VERSION = "1.3"
