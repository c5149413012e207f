"""The answering engine: articles in, cited answers and summaries out. Never imports discord."""
