//! Keyset pages on `id`: what to ask a store for, and how to turn its rows
//! into a page with exact `has_more_before` / `has_more_after`.
//!
//! A store answers two questions for a [`PageRequest`]: the rows of
//! [`PageRequest::fetch`] (at most `limit + 1`, in the given sort), and, when
//! [`PageRequest::probe`] is set, whether any matching row lies on the other
//! side of the cursor. For SQL:
//!
//! ```text
//! SELECT ... WHERE <filters> AND id > ? ORDER BY id ASC LIMIT ?       -- fetch
//! SELECT 1   WHERE <filters> AND id <= ? LIMIT 1                       -- probe
//! ```
//!
//! [`paginate`] does both over a sorted slice in O(log n + limit).
//!
//! ```
//! use switchboard_query::page::{paginate, PageRequest};
//! use switchboard_query::{PageSize, Order, Position};
//!
//! let ids: Vec<u32> = (1..=10).collect();
//! let req = PageRequest::new(PageSize::new(3).unwrap(), Order::Asc, Some(Position::After(4)));
//! let page = paginate(&ids, |x| x, &req);
//! assert_eq!(page.items, vec![5, 6, 7]);
//! assert!(page.pagination.has_more_before && page.pagination.has_more_after);
//! ```

use std::fmt;

use switchboard_model::List;
use switchboard_model::objects::Pagination;

use crate::{ListQuery, Order, PageSize, Position, QueryError, Resource};

/// A comparison against the cursor id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cmp {
    /// `id > cursor`
    Gt,
    /// `id >= cursor`
    Ge,
    /// `id < cursor`
    Lt,
    /// `id <= cursor`
    Le,
}

impl Cmp {
    /// Whether `id` satisfies the comparison against `cursor`.
    pub fn test<Id: Ord>(self, id: &Id, cursor: &Id) -> bool {
        match self {
            Cmp::Gt => id > cursor,
            Cmp::Ge => id >= cursor,
            Cmp::Lt => id < cursor,
            Cmp::Le => id <= cursor,
        }
    }

    /// The SQL operator.
    pub fn sql(self) -> &'static str {
        match self {
            Cmp::Gt => ">",
            Cmp::Ge => ">=",
            Cmp::Lt => "<",
            Cmp::Le => "<=",
        }
    }
}

/// The rows to fetch: `WHERE id <cmp> bound ORDER BY id <sort> LIMIT rows`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fetch<'a, Id> {
    /// The bound, if the page has a position.
    pub bound: Option<(Cmp, &'a Id)>,
    /// The sort of the fetched rows (reversed for backward pages).
    pub sort: Order,
    /// How many rows: `limit + 1`, the extra one telling whether more follow.
    pub rows: usize,
}

/// One page to fetch: limit, order and position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest<Id> {
    /// The page size.
    pub limit: PageSize,
    /// The list order.
    pub order: Order,
    /// Where the page starts.
    pub position: Option<Position<Id>>,
}

impl<R: Resource> From<&ListQuery<R>> for PageRequest<R::Id> {
    fn from(q: &ListQuery<R>) -> Self {
        PageRequest::new(q.limit, q.order, q.position.clone())
    }
}

impl<Id> PageRequest<Id> {
    /// A request.
    pub fn new(limit: PageSize, order: Order, position: Option<Position<Id>>) -> Self {
        PageRequest {
            limit,
            order,
            position,
        }
    }

    fn backward(&self) -> bool {
        matches!(self.position, Some(Position::Before(_)))
    }

    /// The rows to fetch.
    pub fn fetch(&self) -> Fetch<'_, Id> {
        let rows = self.limit.get() + 1;
        let (bound, sort) = match (&self.position, self.order) {
            (None, order) => (None, order),
            (Some(Position::After(id)), Order::Asc) => (Some((Cmp::Gt, id)), Order::Asc),
            (Some(Position::After(id)), Order::Desc) => (Some((Cmp::Lt, id)), Order::Desc),
            (Some(Position::Before(id)), Order::Asc) => (Some((Cmp::Lt, id)), Order::Desc),
            (Some(Position::Before(id)), Order::Desc) => (Some((Cmp::Gt, id)), Order::Asc),
        };
        Fetch { bound, sort, rows }
    }

    /// The other side of the cursor: does any matching row satisfy this comparison?
    /// `None` for a first page, which has nothing before it.
    pub fn probe(&self) -> Option<(Cmp, &Id)> {
        match (&self.position, self.order) {
            (None, _) => None,
            (Some(Position::After(id)), Order::Asc) => Some((Cmp::Le, id)),
            (Some(Position::After(id)), Order::Desc) => Some((Cmp::Ge, id)),
            (Some(Position::Before(id)), Order::Asc) => Some((Cmp::Ge, id)),
            (Some(Position::Before(id)), Order::Desc) => Some((Cmp::Le, id)),
        }
    }

    /// Builds the page from the fetched rows (in [`Fetch::sort`] order, at most
    /// `limit + 1`) and the probe's answer (`false` when there was no probe).
    pub fn build<T>(&self, mut rows: Vec<T>, other_side: bool) -> List<T> {
        let more = rows.len() > self.limit.get();
        rows.truncate(self.limit.get());
        let pagination = if self.backward() {
            rows.reverse();
            Pagination {
                has_more_before: more,
                has_more_after: other_side,
            }
        } else {
            Pagination {
                has_more_before: other_side,
                has_more_after: more,
            }
        };
        List {
            items: rows,
            pagination,
        }
    }
}

/// Pages through `items`, sorted ascending by `id` (unique), in O(log n + limit).
pub fn paginate<T: Clone, Id: Ord>(items: &[T], id: impl Fn(&T) -> &Id, req: &PageRequest<Id>) -> List<T> {
    let fetch = req.fetch();
    // `lo..hi` is the window satisfying the bound.
    let (lo, hi) = match fetch.bound {
        None => (0, items.len()),
        Some((Cmp::Gt, c)) => (items.partition_point(|x| id(x) <= c), items.len()),
        Some((Cmp::Ge, c)) => (items.partition_point(|x| id(x) < c), items.len()),
        Some((Cmp::Lt, c)) => (0, items.partition_point(|x| id(x) < c)),
        Some((Cmp::Le, c)) => (0, items.partition_point(|x| id(x) <= c)),
    };
    let window = &items[lo..hi];
    let n = fetch.rows.min(window.len());
    let rows: Vec<T> = match fetch.sort {
        Order::Asc => window[..n].to_vec(),
        Order::Desc => window[window.len() - n..].iter().rev().cloned().collect(),
    };
    let other_side = match req.probe() {
        None => false,
        // The probe's side is the complement of the window, so it is non-empty
        // exactly when the window does not cover everything.
        Some(_) => window.len() < items.len(),
    };
    req.build(rows, other_side)
}

/// Walks every page from `start`, forward (toward `has_more_after`) unless
/// `start` is a `Before` position, calling `fetch` for each page and
/// collecting the items in list order.
///
/// `fetch`'s own error type carries the walk's errors too: it converts from
/// [`QueryError`], whose kind is [`crate::ErrorKind::Stuck`] when the server
/// returns a page that does not move past the previous one (an empty page
/// that claims more, or a repeated edge id).
pub fn walk<T, Id, E>(
    start: PageRequest<Id>,
    id: impl Fn(&T) -> Id,
    mut fetch: impl FnMut(&PageRequest<Id>) -> Result<List<T>, E>,
) -> Result<Vec<T>, E>
where
    Id: Clone + PartialEq + fmt::Display,
    E: From<QueryError>,
{
    let backward = start.backward();
    let mut req = start;
    let mut pages: Vec<Vec<T>> = Vec::new();
    let mut seen: Vec<Id> = Vec::new();
    loop {
        let page = fetch(&req)?;
        let more = if backward {
            page.pagination.has_more_before
        } else {
            page.pagination.has_more_after
        };
        let edge = if backward {
            page.items.first()
        } else {
            page.items.last()
        }
        .map(&id);
        pages.push(page.items);
        if !more {
            break;
        }
        let Some(edge) = edge else {
            let at = req
                .position
                .as_ref()
                .map_or_else(|| "the start".to_owned(), |p| p.id().to_string());
            return Err(E::from(QueryError::stuck(at)));
        };
        if seen.contains(&edge) {
            return Err(E::from(QueryError::stuck(edge.to_string())));
        }
        seen.push(edge.clone());
        req.position = Some(if backward {
            Position::Before(edge)
        } else {
            Position::After(edge)
        });
    }
    if backward {
        pages.reverse();
    }
    Ok(pages.into_iter().flatten().collect())
}
