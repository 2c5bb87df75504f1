//! List queries of the switchboard domain (contract §6): decode any query string
//! the official clients send into typed, validated parameters; encode them
//! back the way the Node client writes them; and turn a store's rows into
//! pages with exact `has_more_*` flags.
//!
//! ```
//! use switchboard_query::{ListQuery, Order, Position, SessionTemplates};
//!
//! let q = ListQuery::<SessionTemplates>::decode(
//!     "?limit=5&order=desc&status%5B0%5D=active&status%5B1%5D=archived\
//!      &created_at[gt]=2026-01-01T00:00:00.000Z&after=stm_2bCdEfGhJkLmNpQr",
//! )?;
//! assert_eq!(q.limit.get(), 5);
//! assert_eq!(q.order, Order::Desc);
//! assert_eq!(q.filter.status.len(), 2);
//! assert!(matches!(q.position, Some(Position::After(ref id)) if id.as_str() == "stm_2bCdEfGhJkLmNpQr"));
//!
//! // Encoded the way the Node client's `qs` writes it; decoding gives it back.
//! let text = q.encode();
//! assert!(text.starts_with("limit=5&order=desc&after=stm_2bCdEfGhJkLmNpQr&status%5B0%5D=active"));
//! assert_eq!(ListQuery::<SessionTemplates>::decode(&text)?, q);
//!
//! // Errors name the parameter and convert into the API's error body.
//! let err = ListQuery::<SessionTemplates>::decode("limit=0&status=deleted").unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "limit: expected a whole number from 1 to 100, received `0`; \
//!      status[0]: unknown status `deleted`, expected one of `active`, `archived`"
//! );
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#[cfg(feature = "proptest")]
pub mod arbitrary;
#[cfg(feature = "axum")]
pub mod axum;
pub mod cursor;
pub mod decode;
pub mod encode;
pub mod error;
pub mod filter;
pub mod page;
pub mod params;
pub mod qs;
pub mod resources;

pub use decode::{DecodeOptions, Limits, UnknownParams};
pub use error::{ErrorKind, QueryError};
pub use filter::{Filter, FilterField, Resource};
pub use params::{DateRange, Order, PageSize, Position};
pub use resources::*;

/// A decoded list query: page size, order, position and the list's filters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery<R: Resource> {
    /// The page size.
    pub limit: PageSize,
    /// The order by id.
    pub order: Order,
    /// Where the page starts, from whichever of `after`, `before`, `cursor` won.
    pub position: Option<Position<R::Id>>,
    /// The filters.
    pub filter: R::Filter,
}

impl<R: Resource> Default for ListQuery<R> {
    fn default() -> Self {
        ListQuery {
            limit: PageSize::default(),
            order: Order::Asc,
            position: None,
            filter: R::Filter::default(),
        }
    }
}

impl<R: Resource> ListQuery<R> {
    /// Decodes with the default options (limits on, unknown parameters ignored).
    pub fn decode(query: &str) -> Result<Self, QueryError> {
        Self::decode_with(query, &DecodeOptions::default())
    }
}
