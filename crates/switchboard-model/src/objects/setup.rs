//! Integration setup sessions, their steps, configuration and the instance they fill (contract §4).

use serde::{Deserialize, Serialize};

use crate::enums::{
    ImplementationType, IntegrationInstanceStatus, Layout, ResourceStatus, SetupSessionStatus,
    SetupStepStatus,
};
use crate::filter::ToolFilter;
use crate::id::*;
use crate::json::Metadata;
use crate::tags;
use crate::timestamp::Timestamp;

use super::*;

#[cfg(feature = "proptest")]
use crate::arbitrary::small_vec;

/// `{"group_id": "pgr_..."}` in a setup session's provider search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct GroupRef {
    /// The group.
    pub group_id: ProviderGroupId,
}

/// `{"collection_id": "pco_..."}` in a setup session's provider search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct CollectionRef {
    /// The collection.
    pub collection_id: ProviderCollectionId,
}

/// `{"category_id": "pca_..."}` in a setup session's provider search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct CategoryRef {
    /// The category.
    pub category_id: ProviderCategoryId,
}

/// Which providers the hosted page offers. Each list accepts a single object
/// on input (as the seed's example shows) and always encodes as an array.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct ProviderSearch {
    /// Provider groups.
    #[serde(default, deserialize_with = "crate::one_or_many::deserialize")]
    #[cfg_attr(feature = "openapi", schemars(with = "crate::openapi::OneOrMany<GroupRef>"))]
    #[cfg_attr(feature = "proptest", proptest(strategy = "small_vec()"))]
    pub groups: Vec<GroupRef>,
    /// Provider collections.
    #[serde(default, deserialize_with = "crate::one_or_many::deserialize")]
    #[cfg_attr(
        feature = "openapi",
        schemars(with = "crate::openapi::OneOrMany<CollectionRef>")
    )]
    #[cfg_attr(feature = "proptest", proptest(strategy = "small_vec()"))]
    pub collections: Vec<CollectionRef>,
    /// Provider categories.
    #[serde(default, deserialize_with = "crate::one_or_many::deserialize")]
    #[cfg_attr(
        feature = "openapi",
        schemars(with = "crate::openapi::OneOrMany<CategoryRef>")
    )]
    #[cfg_attr(feature = "proptest", proptest(strategy = "small_vec()"))]
    pub categories: Vec<CategoryRef>,
}

/// `configuration.tool_filters`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct ToolFiltersSetting {
    /// Whether the end user reviews each provider's tools.
    #[serde(default)]
    pub enabled: bool,
}

/// `configuration.ui`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct UiSetting {
    /// The page layout.
    #[serde(default)]
    pub layout: Layout,
}

/// A setup session's `configuration`, in request and response alike.
/// Missing parts take their defaults, so `{}` encodes in full.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct SetupConfiguration {
    /// Which providers the hosted page offers.
    #[serde(default)]
    pub provider_search: ProviderSearch,
    /// Tool review.
    #[serde(default)]
    pub tool_filters: ToolFiltersSetting,
    /// Page appearance.
    #[serde(default)]
    pub ui: UiSetting,
}

/// A create body's `configuration`, decoded as a caller's: every id strict
/// (contract §2), every layout a known one.
pub(crate) fn request_configuration<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<SetupConfiguration>, D::Error> {
    crate::id::with_request_values(|| Option::<SetupConfiguration>::deserialize(d))
}

/// `integration.setup_session`: the hosted flow that configures every provider of an integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
#[serde(from = "SetupSessionWire")]
pub struct IntegrationSetupSession {
    /// The object kind.
    pub object: tags::SetupSession,
    /// The id.
    pub id: IntegrationSetupSessionId,
    /// `pending`, `successful`, `expired`, `archived` or `deleted`.
    pub status: SetupSessionStatus,
    /// The hosted setup page: a bearer link that embeds a client secret.
    pub url: String,
    /// The name.
    pub name: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// Free key-value pairs.
    pub metadata: Option<Metadata>,
    /// The normalised configuration.
    pub configuration: Option<SetupConfiguration>,
    /// Where the page sends the user when done.
    pub redirect_url: Option<String>,
    /// The integration.
    pub integration_id: IntegrationId,
    /// The draft instance being configured (filled from `integration_instance` when a service version omits it).
    pub integration_instance_id: IntegrationInstanceId,
    /// The instance.
    pub integration_instance: IntegrationInstance,
    /// One step per integration provider, by index (empty when a service version omits them).
    #[cfg_attr(feature = "proptest", proptest(strategy = "small_vec()"))]
    pub steps: Vec<SetupSessionStep>,
    /// Creation time.
    pub created_at: Timestamp,
    /// Last update time.
    pub updated_at: Timestamp,
    /// When the session expires.
    pub expires_at: Timestamp,
}

#[derive(Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
struct SetupSessionWire {
    #[serde(default)]
    object: tags::SetupSession,
    id: IntegrationSetupSessionId,
    status: SetupSessionStatus,
    url: String,
    name: Option<String>,
    description: Option<String>,
    metadata: Option<Metadata>,
    configuration: Option<SetupConfiguration>,
    redirect_url: Option<String>,
    integration_id: IntegrationId,
    integration_instance_id: Option<IntegrationInstanceId>,
    integration_instance: IntegrationInstance,
    #[serde(default)]
    steps: Vec<SetupSessionStep>,
    created_at: Timestamp,
    updated_at: Timestamp,
    expires_at: Timestamp,
}

impl From<SetupSessionWire> for IntegrationSetupSession {
    fn from(w: SetupSessionWire) -> Self {
        IntegrationSetupSession {
            object: w.object,
            id: w.id,
            status: w.status,
            url: w.url,
            name: w.name,
            description: w.description,
            metadata: w.metadata,
            configuration: w.configuration,
            redirect_url: w.redirect_url,
            integration_id: w.integration_id,
            integration_instance_id: w
                .integration_instance_id
                .unwrap_or_else(|| w.integration_instance.id.clone()),
            integration_instance: w.integration_instance,
            steps: w.steps,
            created_at: w.created_at,
            updated_at: w.updated_at,
            expires_at: w.expires_at,
        }
    }
}

/// `integration.setup_session.step`: one per integration provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct SetupSessionStep {
    /// The object kind.
    #[serde(default)]
    pub object: tags::SetupSessionStep,
    /// The id.
    pub id: IntegrationSetupSessionStepId,
    /// Position in the session, from 0 (absent in some service versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<u32>,
    /// `pending`, `configured`, `completed`, `failed`, `expired`, `archived` or `deleted`.
    pub status: SetupStepStatus,
    /// The hosted page of this step.
    pub url: String,
    /// The integration provider this step configures.
    pub integration_provider_id: IntegrationProviderId,
    /// The provider.
    pub provider: ProviderPreview,
    /// The current child provider setup session.
    pub provider_setup_session_id: Option<ProviderSetupSessionId>,
    /// The instance provider created for this step.
    pub integration_instance_provider_id: Option<IntegrationInstanceProviderId>,
    /// Creation time.
    pub created_at: Timestamp,
    /// Last update time.
    pub updated_at: Timestamp,
}

/// How an integration instance is served: `{type: "magic_mcp_server", magic_mcp_server_id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct Implementation {
    /// The implementation type.
    #[serde(rename = "type")]
    pub kind: ImplementationType,
    /// The server (absent in the seed's example).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub magic_mcp_server_id: Option<String>,
}

/// `integration.instance`: one end user's configured copy of an integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct IntegrationInstance {
    /// The object kind.
    #[serde(default)]
    pub object: tags::IntegrationInstance,
    /// The id.
    pub id: IntegrationInstanceId,
    /// `draft`, `active`, `archived` or `deleted`.
    pub status: IntegrationInstanceStatus,
    /// The name.
    pub name: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// Free key-value pairs.
    pub metadata: Option<Metadata>,
    /// The integration.
    pub integration_id: IntegrationId,
    /// The identity actor.
    pub identity_actor_id: Option<IdentityActorId>,
    /// The identity.
    pub identity_id: Option<IdentityId>,
    /// How the instance is served.
    pub implementation: Option<Implementation>,
    /// The configured providers.
    #[serde(default)]
    #[cfg_attr(feature = "proptest", proptest(strategy = "small_vec()"))]
    pub providers: Vec<InstanceProvider>,
    /// Creation time.
    pub created_at: Timestamp,
    /// Last update time.
    pub updated_at: Timestamp,
    /// When it was archived.
    pub archived_at: Option<Timestamp>,
}

/// `integration.instance.provider`: a configured provider of an instance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct InstanceProvider {
    /// The object kind.
    #[serde(default)]
    pub object: tags::InstanceProvider,
    /// The id.
    pub id: IntegrationInstanceProviderId,
    /// The status.
    pub status: ResourceStatus,
    /// The name.
    pub name: Option<String>,
    /// The description.
    pub description: Option<String>,
    /// Free key-value pairs.
    pub metadata: Option<Metadata>,
    /// The integration.
    pub integration_id: IntegrationId,
    /// The instance.
    pub integration_instance_id: IntegrationInstanceId,
    /// This level's tool filter.
    pub tool_filter: Option<ToolFilter>,
    /// Whether `tool_filter` replaces the integration provider's instead of joining it.
    #[serde(default)]
    pub is_override_tool_filter: bool,
    /// The provider.
    pub provider: ProviderPreview,
    /// The integration provider as it was when configured.
    pub integration_provider: IntegrationProviderSnapshot,
    /// The config.
    pub config: Option<ConfigPreview>,
    /// The auth config.
    pub auth_config: Option<AuthConfigPreview>,
    /// Creation time.
    pub created_at: Timestamp,
    /// Last update time.
    pub updated_at: Timestamp,
    /// When it was archived.
    pub archived_at: Option<Timestamp>,
}
