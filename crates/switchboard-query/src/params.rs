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

    /// Reads a page size: digits, or an integral number written as a float
    /// (`10.0`, which the official Python SDK sends). Anything else, and a
    /// number outside 1 to 100, is `None`.
    ///
    /// ```
    /// use switchboard_query::PageSize;
    ///
    /// assert_eq!(PageSize::parse("10.0"), PageSize::new(10));
    /// assert_eq!(PageSize::parse("10.5"), None);
    /// assert_eq!(PageSize::parse("1e1"), None);
    /// ```
    pub fn parse(text: &str) -> Option<PageSize> {
        let whole = match text.split_once('.') {
            Some((whole, fraction)) if !fraction.is_empty() && fraction.bytes().all(|b| b == b'0') => whole,
            Some(_) => return None,
            None => text,
        };
        if whole.is_empty() || whole.len() > 9 || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        whole.parse::<u32>().ok().and_then(PageSize::new)
    }

    /// The size as a count.
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
