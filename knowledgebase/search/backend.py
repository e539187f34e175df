"""The haystack Whoosh backend, made for Japanese, with index generations.

The index directory holds one or more generations (complete Whoosh indexes) and a
`CURRENT` file naming the live one. `rebuild_index` fills a new generation beside the
live one and replaces `CURRENT` atomically; every process notices the switch on its
next search (a stat of one file), so public search never goes blank.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from haystack.backends import BaseEngine
from haystack.backends.whoosh_backend import WhooshSearchBackend, WhooshSearchQuery
from whoosh import index as whoosh_index
from whoosh.fields import DATETIME, ID, KEYWORD, STORED, TEXT, Schema

from knowledgebase.search.analysis import (
    cjk_analyzer,
    compound_analyzer,
    english_analyzer,
    japanese_analyzer,
    synonym_group_analyzer,
)

logger = logging.getLogger(__name__)

# Analysed text fields per language group; each document fills its own group only.
LANGUAGE_GROUPS = {"ja": "ja", "en": "en", "zh-hans": "cjk", "ko": "cjk"}
# `contact`: the answer's contact blocks, office hours and phone lines (boilerplate.py).
TEXT_PARTS = ("question", "answer", "keywords", "contact")
# Raised whenever the fields or their analysis change: run_indexer then rebuilds.
SCHEMA_VERSION = 6
NO_DATE_BEFORE = datetime(1900, 1, 1)
NO_DATE_AFTER = datetime(9999, 12, 31)


def build_schema() -> Schema:
    analyzers = {"ja": japanese_analyzer, "en": english_analyzer, "cjk": cjk_analyzer}
    fields: dict[str, object] = {
        "id": ID(stored=True, unique=True),
        "django_ct": ID(stored=True),
        "django_id": ID(stored=True),
        "language": ID(stored=True),
        "audience": ID(stored=True),
        "status": ID(stored=True),
        "category": KEYWORD(stored=True),
        "publish_from": DATETIME(stored=True),
        "publish_until": DATETIME(stored=True),
        "version": STORED(),
        "ja_terms": STORED(),  # the question's words, for re-ranking by meaning
        "question_key": STORED(),  # what its sentence vector is stored under (sentences.py)
        "text": TEXT(analyzer=japanese_analyzer()),
    }
    for group, analyzer in analyzers.items():
        for part in TEXT_PARTS:
            fields[f"{group}_{part}"] = TEXT(analyzer=analyzer())
    fields["ja_groups"] = TEXT(analyzer=synonym_group_analyzer())
    fields["ja_compounds"] = TEXT(analyzer=compound_analyzer())
    return Schema(**fields)


def naive_utc(value: datetime | None, default: datetime) -> datetime:
    """Whoosh dates are naive: store UTC."""
    if value is None:
        return default
    return value.astimezone(UTC).replace(tzinfo=None)


@dataclass
class Generation:
    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    def position(self) -> dict[str, object]:
        try:
            return json.loads((self.path / "position.json").read_text())
        except (OSError, ValueError):
            return {}

    def save_position(self, position: dict[str, object]) -> None:
        tmp = self.path / "position.json.tmp"
        tmp.write_text(json.dumps(position))
        os.replace(tmp, self.path / "position.json")


class IndexMissing(Exception):
    """This host has no live search index yet."""


class IndexStore:
    """The generations under SEARCH_INDEX_DIR and which one is live."""

    def __init__(self, root: str | os.PathLike) -> None:
        self.root = Path(root)

    @property
    def pointer(self) -> Path:
        return self.root / "CURRENT"

    def current_name(self) -> str:
        try:
            return self.pointer.read_text().strip()
        except OSError:
            return ""

    def current(self) -> Generation | None:
        name = self.current_name()
        path = self.root / name
        return Generation(path) if name and whoosh_index.exists_in(str(path)) else None

    def create(self) -> Generation:
        self.root.mkdir(parents=True, exist_ok=True)
        path = self.root / f"gen-{time.strftime('%Y%m%d%H%M%S')}-{os.getpid()}-{time.monotonic_ns()}"
        path.mkdir()
        whoosh_index.create_in(str(path), build_schema())
        return Generation(path)

    @property
    def suspect_marker(self) -> Path:
        return self.root / "SUSPECT"

    def mark_suspect(self, name: str) -> None:
        """A search failed on generation `name`: run_indexer reads it through (and rebuilds it if
        it is unreadable), /healthz says degraded until then. Every process of the host sees it."""
        tmp = self.root / f"SUSPECT.{os.getpid()}.tmp"
        try:
            tmp.write_text(name)
            os.replace(tmp, self.suspect_marker)
        except OSError:  # a read-only index directory: the indexer's own checks still run
            logger.warning("Could not mark search index %s as suspect", name, exc_info=True)

    def is_suspect(self) -> bool:
        """Whether a search failed on the live generation since it was last checked."""
        try:
            marked = self.suspect_marker.read_text().strip()
        except OSError:
            return False
        return bool(marked) and marked == self.current_name()

    def clear_suspect(self) -> None:
        self.suspect_marker.unlink(missing_ok=True)

    def switch_to(self, generation: Generation) -> None:
        tmp = self.root / f"CURRENT.{os.getpid()}.tmp"
        tmp.write_text(generation.name)
        os.replace(tmp, self.pointer)
        self._remove_old(keep={generation.name})

    def _remove_old(self, keep: set[str]) -> None:
        # Keep the previous generation a while: a worker may still be reading it.
        generations = sorted(p for p in self.root.glob("gen-*") if p.is_dir() and p.name not in keep)
        for old in generations[:-1]:
            shutil.rmtree(old, ignore_errors=True)


class JapaneseWhooshSearchBackend(WhooshSearchBackend):
    """haystack's Whoosh backend with our schema, analysers and index generations.

    haystack's default analyser cannot split Japanese; its AsyncWriter can drop
    updates on lock errors. Here one indexer per host writes with a plain writer.
    """

    def __init__(self, connection_alias: str, **connection_options: object) -> None:
        super().__init__(connection_alias, **connection_options)
        self.store = IndexStore(self.path)
        self._opened: str | None = None
        self._lock = threading.Lock()
        self._reader = None
        self._noted_failure: str | None = None

    def build_schema(self, fields: dict) -> tuple[str, Schema]:
        return "text", build_schema()

    def setup(self) -> None:
        """Open the live generation; a host without one must build it (rebuild_index)."""
        generation = self.store.current()
        if generation is None:
            raise IndexMissing(f"no search index in {self.store.root}: run manage.py rebuild_index")
        self.content_field_name, self.schema = "text", build_schema()
        self.index = whoosh_index.open_dir(str(generation.path))
        self.generation = generation
        self._opened = generation.name
        self.setup_complete = True

    def ensure_current(self) -> None:
        """Reopen when another process switched generations (rebuild_index)."""
        if not self.setup_complete or self._opened != self.store.current_name():
            with self._lock:
                self._reader = None
                self.setup_complete = False
                self.setup()

    def reader(self):
        """A reader on the live generation, reopened when the index changed (kept between searches)."""
        self.ensure_current()
        with self._lock:
            if self._reader is None or self._reader.generation() != self.index.latest_generation():
                if self._reader is not None:
                    self._reader.close()
                self._reader = self.index.reader()
            return self._reader

    def note_failure(self) -> bool:
        """A search on the live generation raised: mark it suspect, once per generation and
        process. True the first time, when the caller should log the whole error."""
        name = self._opened or self.store.current_name()
        if not name or name == self._noted_failure:
            return False
        self._noted_failure = name
        self.store.mark_suspect(name)
        return True

    def update(self, index, iterable, commit: bool = True) -> None:
        self.ensure_current()
        writer = self.index.writer(timeout=30)
        try:
            for obj in iterable:
                writer.update_document(**index.full_prepare(obj))
        except Exception:
            writer.cancel()
            raise
        writer.commit()

    def remove(self, obj_or_string, commit: bool = True) -> None:
        from haystack.utils import get_identifier

        self.ensure_current()
        writer = self.index.writer(timeout=30)
        writer.delete_by_term("id", get_identifier(obj_or_string))
        writer.commit()

    def clear(self, models=None, commit: bool = True) -> None:
        generation = self.store.create()
        self.store.switch_to(generation)
        self.ensure_current()


class JapaneseWhooshEngine(BaseEngine):
    backend = JapaneseWhooshSearchBackend
    query = WhooshSearchQuery


def backend() -> JapaneseWhooshSearchBackend:
    from haystack import connections

    return connections["default"].get_backend()


def backend_for(generation: Generation) -> JapaneseWhooshSearchBackend:
    """A backend writing to a generation that is not live yet (for rebuild_index)."""
    options = {**settings.HAYSTACK_CONNECTIONS["default"]}
    instance = JapaneseWhooshSearchBackend("default", **options)
    instance.index = whoosh_index.open_dir(str(generation.path))
    instance.schema = build_schema()
    instance.generation = generation
    instance._opened = generation.name
    instance.setup_complete = True
    instance.ensure_current = lambda: None
    return instance
