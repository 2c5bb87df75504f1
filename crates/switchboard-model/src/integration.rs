//! What an integration allows its setup sessions and instances: one type
//! shared by the setup lifecycle and the tool-set resolver.

use serde::{Deserialize, Serialize};

/// What an integration allows (contract §4.3, §5.6).
///
/// ```
/// use switchboard_model::IntegrationRules;
///
/// let rules: IntegrationRules = serde_json::from_str(r#"{"active": true, "custom_tool_filters": true}"#)?;
/// assert!(rules.custom_tool_filters && !rules.override_tool_filters);
/// Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct IntegrationRules {
    /// The integration is active (else creating a session is `use_after_delete`).
    #[serde(default)]
    pub active: bool,
    /// Instance providers may carry their own tool filters.
    #[serde(default)]
    pub custom_tool_filters: bool,
    /// An instance provider's filter may replace the integration provider's.
    #[serde(default)]
    pub override_tool_filters: bool,
}
