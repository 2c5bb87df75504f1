//! Response objects: what the API returns (contract §3-§5).
//!
//! Nullable keys are `Option` and always encoded (as `null` when empty);
//! keys only some service versions send are [`Patch`](crate::Patch) and encoded exactly as
//! received. Unknown keys are ignored on decoding.

use serde::{Deserialize, Serialize};

#[cfg(feature = "proptest")]
use crate::arbitrary::small_vec;

mod catalog;
pub(crate) mod setup;
mod template;
mod tool;

pub use catalog::*;
pub use setup::*;
pub use template::*;
pub use tool::*;

/// `{"has_more_before": ..., "has_more_after": ...}` of a list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct Pagination {
    /// Whether matching items lie before the page.
    pub has_more_before: bool,
    /// Whether matching items lie after the page.
    pub has_more_after: bool,
}

/// A page of a list: `{"items": [...], "pagination": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "openapi", schemars(rename = "{T}List"))]
pub struct List<T> {
    /// The items, in list order.
    pub items: Vec<T>,
    /// Whether more lie on either side.
    pub pagination: Pagination,
}

#[cfg(feature = "proptest")]
impl<T: proptest::arbitrary::Arbitrary + 'static> proptest::arbitrary::Arbitrary for List<T> {
    type Parameters = ();
    type Strategy = proptest::strategy::BoxedStrategy<Self>;
    fn arbitrary_with(_: ()) -> Self::Strategy {
        use proptest::prelude::*;
        (small_vec::<T>(), any::<Pagination>())
            .prop_map(|(items, pagination)| List { items, pagination })
            .boxed()
    }
}
