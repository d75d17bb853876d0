"""`field__any_of=[...]`: membership in a list passed to the database as one parameter.

On PostgreSQL `field = ANY(%s)` with the list as one array, so the SQL is the same
whatever the list's length: it can be compiled once and run with other lists
(`setlist.catalog.cards`), and compiling it does not grow with the list. Elsewhere it is
an ordinary `IN (...)`.
"""

from django.db.models import Field, Lookup
from django.db.models.lookups import In


@Field.register_lookup
class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def get_db_prep_lookup(self, value, connection):
        return "%s", [list(value)]

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY({rhs})", (*lhs_params, *rhs_params)

    def as_sql(self, compiler, connection):
        return compiler.compile(In(self.lhs, list(self.rhs)))
