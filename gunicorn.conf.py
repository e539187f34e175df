"""gunicorn reads this file from the working directory by itself."""


def post_worker_init(worker: object) -> None:
    # Each worker loads Sudachi, the word vectors and the index vocabulary before it takes
    # requests, so no citizen waits for them on the first search.
    from knowledgebase.search.query import warm_up

    warm_up()


def worker_exit(server: object, worker: object) -> None:
    # Page views are counted in memory between flushes; keep the last ones.
    from knowledgebase.popularity import flush

    try:
        flush()
    except Exception:  # a stopping worker must not fail on a database that is gone
        server.log.exception("Could not save the last page-view counts")
