"""Output: every writer (table, CSV, JSON lines, HTML) and every summary of predictions."""
