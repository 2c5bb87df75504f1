//! Strategies for list queries (feature `proptest`). Every generated query is
//! one that decoding could have produced: page sizes within 1..=100, date
//! ranges with at least one bound, ids in canonical form. So
//! `decode(encode(q)) == q` holds for any generated `q`.

use proptest::prelude::*;
use switchboard_model::Timestamp;
use switchboard_model::id::Canonical;

use crate::ListQuery;
use crate::filter::Resource;
use crate::params::{DateRange, Order, PageSize, Position};

/// How a filter field is generated: lists of zero to three canonical values,
/// or an optional date range.
pub trait FieldStrategy: Sized {
    /// The strategy.
    fn strategy() -> BoxedStrategy<Self>;
}

impl<T: Arbitrary + Canonical + 'static> FieldStrategy for Vec<T> {
    fn strategy() -> BoxedStrategy<Self> {
        proptest::collection::vec(any::<T>().prop_map(Canonical::into_canonical), 0..3).boxed()
    }
}

impl FieldStrategy for Option<DateRange> {
    fn strategy() -> BoxedStrategy<Self> {
        proptest::option::of(any::<DateRange>()).boxed()
    }
}

impl Arbitrary for PageSize {
    type Parameters = ();
    type Strategy = BoxedStrategy<Self>;
    fn arbitrary_with(_: ()) -> Self::Strategy {
        (1u32..=100)
            .prop_filter_map("within 1..=100", PageSize::new)
            .boxed()
    }
}

impl Arbitrary for Order {
    type Parameters = ();
    type Strategy = BoxedStrategy<Self>;
    fn arbitrary_with(_: ()) -> Self::Strategy {
        prop_oneof![Just(Order::Asc), Just(Order::Desc)].boxed()
    }
}

impl Arbitrary for DateRange {
    type Parameters = ();
    type Strategy = BoxedStrategy<Self>;
    fn arbitrary_with(_: ()) -> Self::Strategy {
        let bound = || proptest::option::of(any::<Timestamp>());
        (bound(), bound(), bound(), bound())
            .prop_filter("a date range has at least one bound", |(a, b, c, d)| {
                a.is_some() || b.is_some() || c.is_some() || d.is_some()
            })
            .prop_map(|(gt, gte, lt, lte)| DateRange { gt, gte, lt, lte })
            .boxed()
    }
}

impl<Id: Arbitrary + Canonical + 'static> Arbitrary for Position<Id> {
    type Parameters = ();
    type Strategy = BoxedStrategy<Self>;
    fn arbitrary_with(_: ()) -> Self::Strategy {
        (any::<bool>(), any::<Id>().prop_map(Canonical::into_canonical))
            .prop_map(|(after, id)| {
                if after {
                    Position::After(id)
                } else {
                    Position::Before(id)
                }
            })
            .boxed()
    }
}

impl<R: Resource> Arbitrary for ListQuery<R>
where
    R::Id: Arbitrary,
    R::Filter: Arbitrary,
{
    type Parameters = ();
    type Strategy = BoxedStrategy<Self>;
    fn arbitrary_with(_: ()) -> Self::Strategy {
        (
            any::<PageSize>(),
            any::<Order>(),
            proptest::option::of(any::<Position<R::Id>>()),
            any::<R::Filter>(),
        )
            .prop_map(|(limit, order, position, filter)| ListQuery {
                limit,
                order,
                position,
                filter,
            })
            .boxed()
    }
}
