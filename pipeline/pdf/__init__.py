"""PDF inputs: text extraction page by page, and whole issues split into articles."""
