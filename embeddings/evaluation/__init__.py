"""Measured quality: SQuAD retrieval, excerpts and abstention; ROUGE of summaries."""
