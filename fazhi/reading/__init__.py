"""Reading: a file's bytes to a report's text (encodings, web pages, Word, PDF)."""
