"""Units: clean text cut into sentences and headings, each knowing its report and section."""
