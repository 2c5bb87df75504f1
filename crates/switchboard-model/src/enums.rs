//! String enums of the wire format.
//!
//! Response-side enums (statuses, error codes) are *open*: a value this crate
//! does not know decodes into `Other` and encodes back unchanged, because the
//! service may add values. Request-side enums are *closed*: an unknown value
//! is an error that lists the accepted ones.
//!
//! ```
//! use switchboard_model::enums::SessionTemplateStatus;
//!
//! let s: SessionTemplateStatus = serde_json::from_str(r#""paused""#)?;
//! assert!(s.is_other());
//! assert_eq!(serde_json::to_string(&s)?, r#""paused""#);
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

/// A value of an open enum that this crate does not know. Only decoding creates one,
/// so it never holds a known value.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Unknown(pub(crate) Box<str>);

impl Unknown {
    /// The text as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Unknown {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

/// Formats `["a", "b"]` as `` `a`, `b` ``.
pub fn list_values(values: &[&str]) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Defines an open enum: known variants plus `Other(Unknown)`. With
/// `as "name"`, decoding a caller's request body refuses an unknown value,
/// listing the known ones (responses keep it).
macro_rules! open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident $(as $what:literal)? { $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )* }
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vmeta])* #[doc = concat!("`", $text, "`")] $variant, )*
            /// A value this version does not know, kept as received.
            Other($crate::enums::Unknown),
        }

        impl $name {
            /// Every value this version knows, in wire form.
            pub const KNOWN: &'static [&'static str] = &[$($text),*];

            /// The wire text.
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $text, )*
                    Self::Other(u) => u.as_str(),
                }
            }

            /// Whether this is a value this version does not know.
            pub fn is_other(&self) -> bool {
                matches!(self, Self::Other(_))
            }

            /// Maps wire text to a value; unknown text becomes `Other`.
            pub fn from_wire(text: &str) -> Self {
                match text {
                    $( $text => Self::$variant, )*
                    other => Self::Other($crate::enums::Unknown(other.into())),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::fmt::Debug for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    $( Self::$variant => f.write_str(stringify!($variant)), )*
                    Self::Other(u) => write!(f, "Other({u:?})"),
                }
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl $crate::__private::serde::de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: $crate::__private::serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        let value = $name::from_wire(v);
                        $(
                            if value.is_other() && $crate::id::request_values() {
                                return Err(E::custom($crate::error::Error::unknown_value($what, v, $name::KNOWN)));
                            }
                        )?
                        Ok(value)
                    }
                }
                d.deserialize_str(V)
            }
        }

        #[cfg(feature = "proptest")]
        impl proptest::arbitrary::Arbitrary for $name {
            type Parameters = ();
            type Strategy = proptest::strategy::BoxedStrategy<Self>;
            fn arbitrary_with(_: ()) -> Self::Strategy {
                use proptest::prelude::*;
                prop_oneof![
                    3 => proptest::sample::select(Self::KNOWN).prop_map(Self::from_wire),
                    1 => "[a-z_]{0,12}".prop_map(|s| Self::from_wire(&s)),
                ]
                .boxed()
            }
        }
    };
}

/// Defines a closed enum: an unknown value is an error listing the accepted ones.
/// Exported so that every crate's request-side enums share one definition
/// (`as_str`, `VALUES`, `Display`, `FromStr`, serde).
#[doc(hidden)]
#[macro_export]
macro_rules! closed_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident as $what:literal { $( $(#[$vmeta:meta])* $variant:ident = $text:literal, )* }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
        pub enum $name {
            $( $(#[$vmeta])* #[doc = concat!("`", $text, "`")] $variant, )*
        }

        impl $name {
            /// Every accepted value, in wire form.
            pub const VALUES: &'static [&'static str] = &[$($text),*];

            /// The wire text.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( Self::$variant => $text, )*
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl $crate::id::Canonical for $name {
            fn into_canonical(self) -> Self {
                self
            }
        }

        impl std::str::FromStr for $name {
            type Err = $crate::error::Error;
            fn from_str(text: &str) -> Result<Self, Self::Err> {
                match text {
                    $( $text => Ok(Self::$variant), )*
                    other => Err($crate::error::Error::unknown_value($what, other, Self::VALUES)),
                }
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl $crate::__private::serde::de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        write!(f, "one of {}", $crate::enums::list_values($name::VALUES))
                    }
                    fn visit_str<E: $crate::__private::serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        v.parse().map_err(E::custom)
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

pub(crate) use open_enum;

open_enum! {
    /// Status of a session template or template provider.
    pub enum SessionTemplateStatus {
        Active = "active",
        Archived = "archived",
        Deleted = "deleted",
    }
}

open_enum! {
    /// Status of an integration setup session.
    pub enum SetupSessionStatus {
        Pending = "pending",
        Successful = "successful",
        Expired = "expired",
        Archived = "archived",
        Deleted = "deleted",
    }
}

open_enum! {
    /// Status of a step of an integration setup session.
    pub enum SetupStepStatus {
        Pending = "pending",
        Configured = "configured",
        Completed = "completed",
        Failed = "failed",
        Expired = "expired",
        Archived = "archived",
        Deleted = "deleted",
    }
}

open_enum! {
    /// Status of a provider setup session (the child flow of a step).
    pub enum ProviderSetupSessionStatus {
        Pending = "pending",
        Completed = "completed",
        Failed = "failed",
        Expired = "expired",
        Archived = "archived",
        Deleted = "deleted",
    }
}

open_enum! {
    /// Status of an integration instance.
    pub enum IntegrationInstanceStatus {
        Draft = "draft",
        Active = "active",
        Archived = "archived",
        Deleted = "deleted",
    }
}

open_enum! {
    /// Status of an instance provider, integration provider or auth credentials.
    pub enum ResourceStatus {
        Active = "active",
        Archived = "archived",
        Deleted = "deleted",
    }
}

open_enum! {
    /// Type of an auth method or of auth credentials.
    pub enum AuthMethodType {
        Oauth = "oauth",
        Token = "token",
        Custom = "custom",
    }
}

open_enum! {
    /// How an integration instance is implemented.
    pub enum ImplementationType {
        MagicMcpServer = "magic_mcp_server",
    }
}

open_enum! {
    /// Layout of the hosted setup page. A response may carry a layout this
    /// version does not know (kept as `Other`); a request must name a known one.
    #[derive(Default)]
    pub enum Layout as "layout" {
        #[default]
        Box = "box",
        Side = "side",
        Light = "light",
    }
}

closed_enum! {
    /// The statuses a session-template or template-provider list filters on
    /// (`deleted` is never listed).
    #[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
    pub enum TemplateListStatus as "status" {
        Active = "active",
        Archived = "archived",
    }
}

closed_enum! {
    /// The statuses a setup-session list filters on.
    #[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
    pub enum SetupSessionListStatus as "status" {
        Pending = "pending",
        Successful = "successful",
        Expired = "expired",
        Archived = "archived",
        Deleted = "deleted",
    }
}
