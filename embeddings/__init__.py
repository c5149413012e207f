"""The answering engine: articles in, cited answers and summaries out. Never imports discord.

Its layers, bottom first; a layer imports only those below it, and only through their faces (each package's
``__init__``), checked by tests/embeddings/test_layers.py::

    faces       the lazy faces' shared hook (one module, importing nothing of the project)
    errors      the engine's exceptions (one module, below every layer)
    text        articles: parsing, paragraphs, sentences, languages, diffs
    models      encoders: the Encoder protocol, ONNX and sentence-transformers backends, batching, e5
    vectors     embeddings kept: the cache and its store, shared vectors, the int8 copy
    ranking     scoring: the article index, BM25, cues, question terms, fusion, abstention, second opinion
    answers     answers and summaries with provenance, the library, the service
    evaluation  measured quality and the scripts that fit the engine's constants
"""
