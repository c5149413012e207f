"""Training code of the reader (torch at training time only; nothing in bot/ or embeddings/ imports this)."""
