//! The pagination parameters every list takes: page size, order, position;
//! and the date range that filters take.

use switchboard_model::Timestamp;

/// A page size: 1 to 100, default 20.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PageSize(u8);

impl PageSize {
    /// The largest page.
    pub const MAX: PageSize = PageSize(100);

    /// A limit, if within 1..=100.
    pub fn new(n: u32) -> Option<PageSize> {
        (1..=100).contains(&n).then_some(PageSize(n as u8))
    }

    /// The value.
    pub fn get(self) -> usize {
        usize::from(self.0)
    }
}

impl Default for PageSize {
    fn default() -> Self {
        PageSize(20)
    }
}

/// List order by id.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Order {
    /// Ascending (default): oldest first, since ids sort by creation time.
    #[default]
    Asc,
    /// Descending.
    Desc,
}

impl Order {
    /// `asc` or `desc`.
    pub fn as_str(self) -> &'static str {
        match self {
            Order::Asc => "asc",
            Order::Desc => "desc",
        }
    }
}

/// Where a page starts: after or before an id, in list order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Position<Id> {
    /// Items after this id in list order (the id need not exist).
    After(Id),
    /// Items before this id in list order.
    Before(Id),
}

impl<Id> Position<Id> {
    /// The id.
    pub fn id(&self) -> &Id {
        match self {
            Position::After(id) | Position::Before(id) => id,
        }
    }
}

/// A date range with exclusive (`gt`, `lt`) and, beyond the live service,
/// inclusive (`gte`, `lte`) bounds. At least one bound is set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct DateRange {
    /// After this instant.
    pub gt: Option<Timestamp>,
    /// At or after this instant.
    pub gte: Option<Timestamp>,
    /// Before this instant.
    pub lt: Option<Timestamp>,
    /// At or before this instant.
    pub lte: Option<Timestamp>,
}

impl DateRange {
    /// Whether `t` lies in the range.
    pub fn contains(&self, t: Timestamp) -> bool {
        self.gt.is_none_or(|b| t > b)
            && self.gte.is_none_or(|b| t >= b)
            && self.lt.is_none_or(|b| t < b)
            && self.lte.is_none_or(|b| t <= b)
    }

    pub(crate) fn bounds(&self) -> [(&'static str, Option<Timestamp>); 4] {
        [
            ("gt", self.gt),
            ("gte", self.gte),
            ("lt", self.lt),
            ("lte", self.lte),
        ]
    }
}
