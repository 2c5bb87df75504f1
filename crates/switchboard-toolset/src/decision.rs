//! Why a capability is in or out, and the decision for one capability.

use std::fmt;

use crate::capability::{Capability, Kind, Level};
use crate::chain::{Access, Chain};
use crate::filter::Pass;

/// Why a capability is in or out.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Decision {
    /// Allowed; each level's reason, parent to child.
    Allowed(Vec<(Level, Pass)>),
    /// A protocol utility: always denied.
    Utility,
    /// Denied by a level's filter.
    Filter {
        /// The level.
        level: Level,
        /// The capability's kind.
        kind: Kind,
    },
    /// Required scope groups not granted.
    Scopes(Vec<Vec<String>>),
    /// The active auth method is not one the capability works with.
    AuthMethod {
        /// The methods it works with.
        required: Vec<String>,
        /// The active method.
        active: Option<String>,
    },
    /// An earlier provider already exposes the same name.
    Shadowed {
        /// The provider whose capability won.
        by: String,
    },
}

impl Decision {
    /// Whether the capability is exposed.
    pub fn is_allowed(&self) -> bool {
        matches!(self, Decision::Allowed(_))
    }
}

impl fmt::Display for Decision {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Decision::Allowed(levels) if levels.is_empty() => f.write_str("allowed: no filter applies"),
            Decision::Allowed(levels) => {
                f.write_str("allowed: ")?;
                for (i, (level, pass)) in levels.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    match pass {
                        Pass::AllowAll => write!(f, "{} allows all", level.noun())?,
                        Pass::NoRuleForKind => write!(f, "{} has no rule for this kind", level.noun())?,
                        Pass::Rule(i) => write!(f, "{} rule {i} matches", level.noun())?,
                    }
                }
                Ok(())
            }
            Decision::Utility => f.write_str("denied: protocol utilities are never exposed"),
            Decision::Filter { level, kind } => {
                write!(
                    f,
                    "denied by the {}'s filter: no {} rule matches",
                    level.noun(),
                    kind.noun()
                )
            }
            Decision::Scopes(missing) => {
                let groups: Vec<String> = missing.iter().map(|g| g.join(" or ")).collect();
                write!(f, "denied: missing scopes {}", groups.join(" and "))
            }
            Decision::AuthMethod { required, active } => write!(
                f,
                "denied: works with auth methods {}, the active one is {}",
                required.join(", "),
                active.as_deref().unwrap_or("none")
            ),
            Decision::Shadowed { by } => write!(f, "denied: shadowed by the same name from provider `{by}`"),
        }
    }
}

/// Decides one capability against a chain and access (no collisions).
pub fn decide(chain: &Chain, access: &Access, cap: &Capability) -> Decision {
    if cap.kind == Kind::Utility {
        return Decision::Utility;
    }
    let levels = match chain.evaluate(cap) {
        Ok(levels) => levels,
        Err(level) => {
            return Decision::Filter {
                level,
                kind: cap.kind,
            };
        }
    };
    let missing = access.missing_scopes(cap);
    if !missing.is_empty() {
        return Decision::Scopes(missing.into_iter().map(<[String]>::to_vec).collect());
    }
    if !access.auth_method_ok(cap) {
        return Decision::AuthMethod {
            required: cap.auth_methods.clone(),
            active: access.auth_method.clone(),
        };
    }
    Decision::Allowed(levels)
}
