"""gunicorn reads this file from the working directory by itself."""


def post_worker_init(worker) -> None:
    # Each worker loads Sudachi, the word vectors and the index vocabulary before it takes
    # requests, so no citizen waits for them on the first search.
    from knowledgebase.search.query import warm_up

    warm_up()
