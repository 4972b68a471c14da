"""Model suggestions: spaCy pipelines and patterns, their runs over the corpus, training. No Qt."""
