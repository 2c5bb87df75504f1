//! Catalog objects embedded in setup sessions: integration provider snapshots, auth methods, credentials.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::enums::{AuthMethodType, ResourceStatus};
use crate::filter::ToolFilter;
use crate::id::*;
use crate::json::{JsonSchemaWrapper, Metadata};
use crate::tags;
use crate::timestamp::Timestamp;

use super::*;

#[cfg(feature = "proptest")]
use crate::arbitrary::{json_object, small_vec};

/// `{object: "integration.provider.version", id, index}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct IntegrationProviderVersionRef {
    /// The object kind.
    #[serde(default)]
    pub object: tags::IntegrationProviderVersion,
    /// The id.
    pub id: IntegrationProviderVersionId,
    /// The version number.
    pub index: u32,
}

/// `integration.provider#snapshot`: an integration provider as it was when an instance provider was configured.
///
/// The service sends ids (`provider_id`, `deployment_id`, ...); the seed's
/// example also embeds whole `provider`, `deployment`, `auth_method` and
/// `auth_credentials` objects. Both decode; embedded objects encode only when
/// present, and are boxed so the common (service) shape stays small.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct IntegrationProviderSnapshot {
    /// The object kind.
    #[serde(default)]
    pub object: tags::IntegrationProviderSnapshot,
    /// The id.
    pub id: IntegrationProviderId,
    /// The version.
    pub provider_version: IntegrationProviderVersionRef,
    /// The status.
    pub status: ResourceStatus,
    /// The name.
    pub name: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// Free key-value pairs.
    pub metadata: Option<Metadata>,
    /// This level's tool filter.
    pub tool_filter: Option<ToolFilter>,
    /// The provider.
    pub provider_id: ProviderId,
    /// The deployment.
    pub deployment_id: ProviderDeploymentId,
    /// The auth method.
    pub auth_method_id: Option<ProviderAuthMethodId>,
    /// The auth credentials.
    pub auth_credentials_id: Option<ProviderAuthCredentialsId>,
    /// The config.
    pub config: Option<ConfigPreview>,
    /// The embedded provider (seed shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Box<ProviderPreview>>,
    /// The embedded deployment (seed shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deployment: Option<Box<DeploymentPreview>>,
    /// The embedded auth method (seed shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_method: Option<Box<AuthMethod>>,
    /// The embedded auth credentials (seed shape).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_credentials: Option<Box<AuthCredentials>>,
    /// Creation time.
    pub created_at: Timestamp,
    /// Last update time.
    pub updated_at: Timestamp,
    /// When it was archived.
    pub archived_at: Option<Timestamp>,
}

/// `provider.capabilities.auth_method.scope`: one OAuth scope.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct AuthMethodScope {
    /// The object kind.
    #[serde(default)]
    pub object: tags::AuthMethodScope,
    /// The id.
    pub id: ProviderAuthMethodScopeId,
    /// The scope as the OAuth server names it (`repo`).
    pub scope: String,
    /// A display name.
    pub name: Option<String>,
    /// A description.
    pub description: Option<String>,
}

/// `provider.capabilities.auth_method`: how a provider authenticates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct AuthMethod {
    /// The object kind.
    #[serde(default)]
    pub object: tags::AuthMethod,
    /// The id.
    pub id: ProviderAuthMethodId,
    /// `oauth`, `token` or `custom`.
    #[serde(rename = "type")]
    pub kind: AuthMethodType,
    /// The key tools refer to (`oauth2`).
    pub key: String,
    /// The display name.
    pub name: String,
    /// The description.
    pub description: Option<String>,
    /// Free capability flags.
    #[serde(default)]
    #[cfg_attr(feature = "proptest", proptest(strategy = "json_object()"))]
    pub capabilities: Map<String, Value>,
    /// The schema of what the user enters.
    pub input_schema: Option<JsonSchemaWrapper>,
    /// The schema of what the method produces.
    pub output_schema: Option<JsonSchemaWrapper>,
    /// The OAuth scopes it can request.
    #[serde(default)]
    #[cfg_attr(feature = "proptest", proptest(strategy = "small_vec()"))]
    pub scopes: Vec<AuthMethodScope>,
    /// The provider.
    pub provider_id: ProviderId,
    /// The specification that declares it.
    pub provider_specification_id: Option<ProviderSpecificationId>,
    /// Creation time.
    pub created_at: Timestamp,
    /// Last update time.
    pub updated_at: Timestamp,
}

/// `provider.auth_credentials`: for example an OAuth client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct AuthCredentials {
    /// The object kind.
    #[serde(default)]
    pub object: tags::AuthCredentials,
    /// The id.
    pub id: ProviderAuthCredentialsId,
    /// The auth method type.
    #[serde(rename = "type")]
    pub kind: AuthMethodType,
    /// The status.
    pub status: ResourceStatus,
    /// Whether these are the provider's default credentials.
    #[serde(default)]
    pub is_default: bool,
    /// Whether the platform manages them.
    #[serde(default)]
    pub is_managed: bool,
    /// The name.
    pub name: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// Free key-value pairs.
    pub metadata: Option<Metadata>,
    /// The scopes granted to these credentials, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "proptest::option::of(small_vec())")
    )]
    pub scopes: Option<Vec<String>>,
    /// The provider.
    pub provider_id: ProviderId,
    /// Creation time.
    pub created_at: Timestamp,
    /// Last update time.
    pub updated_at: Timestamp,
}
