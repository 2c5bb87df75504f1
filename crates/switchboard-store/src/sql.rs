//! A `WHERE` clause built term by term with numbered placeholders (`$1`),
//! which SQLite and PostgreSQL both read, and the keyset page on top of it.

use sqlx::query::{Query, QueryAs};
use sqlx::{Database, Encode, Type};
use switchboard_model::id::Id;
use switchboard_query::page::PageRequest;
use switchboard_query::{DateRange, Order};

/// One bound value.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Text(String),
    Int(i64),
}

/// `WHERE` terms joined by `AND`, and their values.
#[derive(Debug, Default)]
pub(crate) struct Where {
    terms: Vec<String>,
    args: Vec<Arg>,
}

impl Where {
    /// A placeholder for `arg`.
    pub(crate) fn param(&mut self, arg: Arg) -> String {
        self.args.push(arg);
        format!("${}", self.args.len())
    }

    /// A term, already written with placeholders from [`Where::param`].
    pub(crate) fn and(&mut self, term: String) {
        self.terms.push(term);
    }

    /// `column = value`.
    pub(crate) fn eq(&mut self, column: &str, arg: Arg) {
        let p = self.param(arg);
        self.and(format!("{column} = {p}"));
    }

    /// `column IN (...)`, skipped for an empty list (no filter).
    pub(crate) fn any_of<I: Id>(&mut self, column: &str, values: &[I]) {
        if values.is_empty() {
            return;
        }
        let list = self.list(values.iter().map(|v| v.as_str().to_owned()));
        self.and(format!("{column} IN ({list})"));
    }

    /// Placeholders for text values, comma-separated.
    pub(crate) fn list(&mut self, values: impl Iterator<Item = String>) -> String {
        let ps: Vec<String> = values.map(|v| self.param(Arg::Text(v))).collect();
        ps.join(", ")
    }

    /// A list's status filter: the given statuses, or `active` alone when
    /// none is given (archived objects are listed only when asked for).
    pub(crate) fn status_or_active<S: AsRef<str>>(&mut self, column: &str, statuses: &[S]) {
        if statuses.is_empty() {
            self.eq(column, Arg::Text("active".to_owned()));
        } else {
            let list = self.list(statuses.iter().map(|s| s.as_ref().to_owned()));
            self.and(format!("{column} IN ({list})"));
        }
    }

    /// The bounds of a date range on an integer column of milliseconds.
    pub(crate) fn range(&mut self, column: &str, range: Option<&DateRange>) {
        let Some(r) = range else { return };
        for (op, bound) in [(">", r.gt), (">=", r.gte), ("<", r.lt), ("<=", r.lte)] {
            if let Some(t) = bound {
                let p = self.param(Arg::Int(t.as_millis()));
                self.and(format!("{column} {op} {p}"));
            }
        }
    }

    /// The values, in placeholder order.
    pub(crate) fn into_args(self) -> Vec<Arg> {
        self.args
    }

    /// The terms as SQL (`1 = 1` when there are none).
    pub(crate) fn sql(&self) -> String {
        if self.terms.is_empty() {
            "1 = 1".to_owned()
        } else {
            self.terms.join(" AND ")
        }
    }

    /// The page's fetch: this filter, the keyset bound, the order and the
    /// row limit (`limit + 1`). `select` is the statement up to `WHERE`.
    pub(crate) fn page<I: Id>(mut self, select: &str, id: &str, page: &PageRequest<I>) -> (String, Vec<Arg>) {
        let fetch = page.fetch();
        if let Some((cmp, bound)) = fetch.bound {
            let p = self.param(Arg::Text(bound.as_str().to_owned()));
            self.and(format!("{id} {} {p}", cmp.sql()));
        }
        let dir = match fetch.sort {
            Order::Asc => "ASC",
            Order::Desc => "DESC",
        };
        let limit = self.param(Arg::Int(fetch.rows as i64));
        (
            format!("{select} WHERE {} ORDER BY {id} {dir} LIMIT {limit}", self.sql()),
            self.args,
        )
    }

    /// The probe for the other side of the cursor, if the page has one.
    pub(crate) fn probe<I: Id>(
        mut self,
        from: &str,
        id: &str,
        page: &PageRequest<I>,
    ) -> Option<(String, Vec<Arg>)> {
        let (cmp, bound) = page.probe()?;
        let p = self.param(Arg::Text(bound.as_str().to_owned()));
        self.and(format!("{id} {} {p}", cmp.sql()));
        Some((
            format!("SELECT 1 FROM {from} WHERE {} LIMIT 1", self.sql()),
            self.args,
        ))
    }
}

impl Clone for Where {
    fn clone(&self) -> Self {
        Where {
            terms: self.terms.clone(),
            args: self.args.clone(),
        }
    }
}

/// Binds `args` in order.
pub(crate) fn bind<'q, DB: Database>(
    mut q: Query<'q, DB, <DB as Database>::Arguments<'q>>,
    args: &'q [Arg],
) -> Query<'q, DB, <DB as Database>::Arguments<'q>>
where
    &'q str: Encode<'q, DB> + Type<DB>,
    i64: Encode<'q, DB> + Type<DB>,
{
    for a in args {
        q = match a {
            Arg::Text(t) => q.bind(t.as_str()),
            Arg::Int(i) => q.bind(*i),
        };
    }
    q
}

/// [`bind`], for a query whose rows are read as `O`.
pub(crate) fn bind_as<'q, DB: Database, O>(
    mut q: QueryAs<'q, DB, O, <DB as Database>::Arguments<'q>>,
    args: &'q [Arg],
) -> QueryAs<'q, DB, O, <DB as Database>::Arguments<'q>>
where
    &'q str: Encode<'q, DB> + Type<DB>,
    i64: Encode<'q, DB> + Type<DB>,
{
    for a in args {
        q = match a {
            Arg::Text(t) => q.bind(t.as_str()),
            Arg::Int(i) => q.bind(*i),
        };
    }
    q
}
