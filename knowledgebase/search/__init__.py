"""Search over the Q&As: Japanese analysis, the Whoosh backend, queries and snippets."""
