"""Labels: the labels CSV, read and written, and the hand-labeling session."""
