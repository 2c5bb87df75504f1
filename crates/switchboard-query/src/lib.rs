#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

#[cfg(feature = "proptest")]
#[cfg_attr(docsrs, doc(cfg(feature = "proptest")))]
pub mod arbitrary;
#[cfg(feature = "axum")]
#[cfg_attr(docsrs, doc(cfg(feature = "axum")))]
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
