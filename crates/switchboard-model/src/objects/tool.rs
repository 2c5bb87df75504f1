//! Tools of a provider version and the `provider.tools` list (contract §5.7).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::id::*;
use crate::json::JsonSchemaWrapper;
use crate::tags;
use crate::timestamp::Timestamp;

#[cfg(feature = "proptest")]
use crate::arbitrary::{json_object, small_vec};

/// `{destructive, read_only}` hints of a tool.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct ToolTags {
    /// Whether the tool changes or deletes data.
    pub destructive: Option<bool>,
    /// Whether the tool only reads.
    pub read_only: Option<bool>,
}

/// `provider.tool`: a tool of a provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct ProviderTool {
    /// The object kind.
    #[serde(default)]
    pub object: tags::ProviderTool,
    /// The id.
    pub id: ProviderToolId,
    /// The key clients call it by (`create_issue`).
    pub key: String,
    /// The display name.
    pub name: String,
    /// The description.
    pub description: Option<String>,
    /// Free capability flags.
    #[serde(default)]
    #[cfg_attr(feature = "proptest", proptest(strategy = "json_object()"))]
    pub capabilities: Map<String, Value>,
    /// Constraints for the model.
    #[serde(default)]
    #[cfg_attr(feature = "proptest", proptest(strategy = "small_vec()"))]
    pub constraints: Vec<String>,
    /// Instructions for the model.
    #[serde(default)]
    #[cfg_attr(feature = "proptest", proptest(strategy = "small_vec()"))]
    pub instructions: Vec<String>,
    /// The arguments' schema.
    pub input_schema: Option<JsonSchemaWrapper>,
    /// The result's schema.
    pub output_schema: Option<JsonSchemaWrapper>,
    /// Behaviour hints.
    pub tags: Option<ToolTags>,
    /// The provider specification that declares the tool.
    pub specification_id: ProviderSpecificationId,
    /// The provider.
    pub provider_id: ProviderId,
    /// Creation time.
    pub created_at: Timestamp,
    /// Last update time.
    pub updated_at: Timestamp,
}

/// `provider.tools`: the effective tool set of a template (not paginated).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct ProviderTools {
    /// The object kind.
    #[serde(default)]
    pub object: tags::ProviderTools,
    /// The tools.
    #[cfg_attr(feature = "proptest", proptest(strategy = "small_vec()"))]
    pub items: Vec<ProviderTool>,
}
