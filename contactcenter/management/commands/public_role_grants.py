"""Print the PostgreSQL statements that give the public host's role exactly its rights.

Generated from the lists in contactcenter/public_host.py, so the grants follow the code: run it
again after a release that changes them, and apply the output as the tables' owner, e.g.
`manage.py public_role_grants --role contactcenter_public | psql -v ON_ERROR_STOP=1 contactcenter`.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from contactcenter.public_host import grant_statements


class Command(BaseCommand):
    help = (
        "Print REVOKE and GRANT statements for the public host's PostgreSQL role: read the "
        "published knowledge, insert what the public site writes, nothing else."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--role", default="contactcenter_public", help="The public host's role.")
        parser.add_argument("--schema", default="public", help="The schema holding the tables.")

    def handle(self, *args: object, role: str, schema: str, **options: object) -> None:
        try:
            statements = grant_statements(role, schema=schema)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"-- The public host's rights (manage.py public_role_grants --role {role}).\n"
            "-- Apply as the tables' owner; the role itself is made once, e.g.\n"
            f"--   CREATE ROLE {role} LOGIN PASSWORD '…';\n"
            "BEGIN;"
        )
        for statement in statements:
            self.stdout.write(statement)
        self.stdout.write("COMMIT;")
