"""Learning: feature records, the Pipeline, training, evaluation, persistence, prediction, explanation."""
