"""What the internet-facing host (PUBLIC_ONLY=1) may do in the database, declared once.

`manage.py public_role_grants` turns these lists into the PostgreSQL statements for its role;
tests/test_public_host.py checks that the public pages touch nothing else, and
tests/test_public_role.py serves them under that role. A table a new public feature needs is
added here, with the reason, and the statements are applied again (README, "Network separation").

The role reads the published knowledge (of the Q&A table, only the published public rows: a
row-level security policy) and writes, column by column, only the rows the public site creates. It reads no inquiry, contact, raw e-mail, attachment, inbox message, user,
session, audit event or staff draft table: a public host broken into cannot hand them out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.apps import apps
from django.db import models

# Model label → why the public host reads the whole table.
PUBLIC_READ: dict[str, str] = {
    "knowledgebase.Article": "Q&As and their translations (published public rows only: PUBLIC_ROWS)",
    "knowledgebase.Category": "topics",
    "accounts.Department": "the department named on a Q&A page, with its public phone and e-mail",
    "knowledgebase.Synonym": "query expansion in search",
    "knowledgebase.SiteNotice": "notices on every public page",
    "knowledgebase.RelatedQuestions": "related Q&As on a Q&A page (computed by a staff host)",
    "knowledgebase.QuestionVector": "questions' sentence vectors for ranking search (published public rows only)",
    "knowledgebase.IndexLog": "run_indexer keeps this host's own search index",
    "reports.OpenDataMonth": "the open-data pages",
}

ALL = ("*",)


def _published_public_articles() -> str:
    """Article rows the public host may read: published for the public (drafts, revisions under
    review, withdrawn and staff-only Q&As stay out even if its code asked for them)."""
    from knowledgebase.models import Article, Audience, Status

    status, audience = (_quoted(Article._meta.get_field(name).column) for name in ("status", "audience"))
    return f"{status} = '{Status.PUBLISHED.value}' AND {audience} = '{Audience.PUBLIC.value}'"


# Model label → the rows of a PUBLIC_READ table the public host sees (a row-level security
# policy: every other role keeps every row).
def _published_public_vectors() -> str:
    """QuestionVector rows of published public Q&As only (the policy on Article applies inside)."""
    from knowledgebase.models import Article, QuestionVector

    article = _quoted(QuestionVector._meta.get_field("article").column)
    table, key = _quoted(Article._meta.db_table), _quoted(Article._meta.pk.column)
    return f"{article} IN (SELECT {key} FROM {table} WHERE {_published_public_articles()})"  # noqa: S608 (model names)


PUBLIC_ROWS = {
    "knowledgebase.Article": _published_public_articles,
    "knowledgebase.QuestionVector": _published_public_vectors,
}


@dataclass(frozen=True)
class Writes:
    """What the public host writes to one table.

    PostgreSQL asks for SELECT on what an INSERT … RETURNING returns (Django's create() reads
    back the new id) and on the columns an UPDATE's WHERE or SET reads: `select` names those
    fields (ALL: the whole table), `update` the fields it changes.
    """

    why: str
    insert: bool = True
    select: tuple[str, ...] = ("id",)
    update: tuple[str, ...] = ()


PUBLIC_WRITE: dict[str, Writes] = {
    "knowledgebase.SearchLog": Writes(
        "each search (query masked); the Q&A opened from it",
        select=("id", "opened_article", "created_at"),
        update=("opened_article",),
    ),
    "knowledgebase.Feedback": Writes("“Was this helpful?” answers"),
    "knowledgebase.DailyViews": Writes(
        "page views per Q&A and day, added to by an upsert",
        select=("article", "day", "views"),
        update=("views",),
    ),
    "accounts.RateLimit": Writes(
        "per-visitor limits of feedback and the contact form (a counter row is locked and read)",
        select=ALL,
        update=("window_start", "hits"),
    ),
    "inquiries.InboxMessage": Writes("contact-form messages, insert only: their ids come back, nothing else"),
}

ROLE_NAME = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _model(label: str) -> type[models.Model]:
    return apps.get_model(label)


def _columns(model: type[models.Model], fields: tuple[str, ...]) -> str:
    return ", ".join(_quoted(model._meta.get_field(name).column) for name in fields)


def read_tables() -> set[str]:
    return {_model(label)._meta.db_table for label in PUBLIC_READ}


def written_tables() -> dict[str, Writes]:
    return {_model(label)._meta.db_table: writes for label, writes in PUBLIC_WRITE.items()}


def sequence_name(model: type[models.Model]) -> str:
    """The sequence behind the model's id: PostgreSQL names an identity or serial column's
    sequence <table>_<column>_seq (every table here is far below the 63-character limit)."""
    return f"{model._meta.db_table}_{model._meta.pk.column}_seq"


def grant_statements(role: str, *, schema: str = "public") -> list[str]:
    """REVOKE everything from `role` in `schema`, then GRANT exactly what the lists above say."""
    if not ROLE_NAME.fullmatch(role):
        raise ValueError(f"{role!r} is not a plain PostgreSQL role name (lower-case letters, digits, _)")
    who, where = _quoted(role), _quoted(schema)
    statements = [
        f"REVOKE ALL ON ALL TABLES IN SCHEMA {where} FROM {who};",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {where} FROM {who};",
        f"GRANT USAGE ON SCHEMA {where} TO {who};",
    ]
    for label, why in PUBLIC_READ.items():
        table = f"{where}.{_quoted(_model(label)._meta.db_table)}"
        statements.append(f"GRANT SELECT ON {table} TO {who};  -- {why}")
        if rows := PUBLIC_ROWS.get(label):
            # The table's owner (the staff hosts' role, as a rule) is not subject to the policy;
            # any other role sees and writes every row, the public role only these.
            policy = _quoted(f"{role}_rows")
            statements += [
                f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;",
                f"DROP POLICY IF EXISTS {policy} ON {table};",
                f"CREATE POLICY {policy} ON {table} USING (current_user <> '{role}' OR ({rows()})) "
                "WITH CHECK (true);",
            ]
    for label, writes in PUBLIC_WRITE.items():
        model = _model(label)
        table = f"{where}.{_quoted(model._meta.db_table)}"
        statements.append(f"-- {model._meta.db_table}: {writes.why}")
        if writes.insert:
            statements.append(f"GRANT INSERT ON {table} TO {who};")
        if writes.select == ALL:
            statements.append(f"GRANT SELECT ON {table} TO {who};")
        elif writes.select:
            statements.append(f"GRANT SELECT ({_columns(model, writes.select)}) ON {table} TO {who};")
        if writes.update:
            statements.append(f"GRANT UPDATE ({_columns(model, writes.update)}) ON {table} TO {who};")
        if writes.insert and isinstance(model._meta.pk, models.AutoField | models.BigAutoField):
            # An identity column needs no grant on its sequence; a serial one (a database
            # migrated from older Django) does. USAGE only hands out new ids.
            statements.append(f"GRANT USAGE ON SEQUENCE {where}.{_quoted(sequence_name(model))} TO {who};")
    return statements
