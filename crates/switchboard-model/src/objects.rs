//! Response objects: what the API returns (SPEC §3-§5).
//!
//! Nullable keys are `Option` and always encoded (as `null` when empty);
//! keys only some service versions send are [`Patch`] and encoded exactly as
//! received. Unknown keys are ignored on decoding.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::enums::{
    AuthMethodType, ImplementationType, IntegrationInstanceStatus, Layout, ResourceStatus,
    SessionTemplateStatus, SetupSessionStatus, SetupStepStatus,
};
use crate::filter::ToolFilter;
use crate::id::*;
use crate::json::{JsonSchemaWrapper, Metadata};
use crate::patch::Patch;
use crate::tags;
use crate::timestamp::Timestamp;

#[cfg(feature = "proptest")]
use crate::arbitrary::{json_object, small_vec};

macro_rules! preview {
    ($(#[$meta:meta])* $name:ident, $tag:ident, $id:ty) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
        pub struct $name {
            /// The object kind.
            #[serde(default)]
            pub object: tags::$tag,
            /// The id.
            pub id: $id,
            /// Whether this is the provider's default (absent in doc examples: `false`).
            #[serde(default)]
            pub is_default: bool,
            /// The name.
            pub name: Option<String>,
            /// The description.
            pub description: Option<String>,
            /// Free key-value pairs.
            pub metadata: Option<Metadata>,
            /// The provider it belongs to.
            pub provider_id: ProviderId,
            /// Creation time.
            pub created_at: Timestamp,
            /// Last update time.
            pub updated_at: Timestamp,
        }
    };
}

preview!(
    /// `provider.deployment#preview`: a running instance of a provider.
    DeploymentPreview, DeploymentPreview, ProviderDeploymentId
);
preview!(
    /// `provider.config#preview`: configuration values for a deployment.
    ConfigPreview, ConfigPreview, ProviderConfigId
);
preview!(
    /// `provider.auth_config#preview`: a user's authentication for a provider.
    AuthConfigPreview, AuthConfigPreview, ProviderAuthConfigId
);

/// `provider#preview`: an integration in the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct ProviderPreview {
    /// The object kind.
    #[serde(default)]
    pub object: tags::ProviderPreview,
    /// The id.
    pub id: ProviderId,
    /// The name (`GitHub`).
    pub name: String,
    /// The description.
    pub description: Option<String>,
    /// The slug (`github`).
    pub slug: String,
    /// Creation time.
    pub created_at: Timestamp,
    /// Last update time.
    pub updated_at: Timestamp,
}

/// The `auth_config` of a session template provider, in whichever form the service sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub enum TemplateAuthConfig {
    /// `{"object": "provider.auth_config#preview", "id": "pac_..."}`: the usual form in templates.
    Ref(ProviderAuthConfigId),
    /// The whole preview.
    Preview(AuthConfigPreview),
    /// `{"object": "provider.auth_config#preview"}` with no id: only abridged documentation examples have it.
    Abridged,
}

impl TemplateAuthConfig {
    /// The auth config's id, where the form carries one.
    pub fn id(&self) -> Option<&ProviderAuthConfigId> {
        match self {
            TemplateAuthConfig::Ref(id) => Some(id),
            TemplateAuthConfig::Preview(p) => Some(&p.id),
            TemplateAuthConfig::Abridged => None,
        }
    }
}

#[derive(Serialize, Deserialize)]
struct TemplateAuthConfigWire {
    #[serde(default)]
    object: tags::AuthConfigPreview,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    id: Option<ProviderAuthConfigId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    is_default: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    metadata: Option<Metadata>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    provider_id: Option<ProviderId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    created_at: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    updated_at: Option<Timestamp>,
}

impl Serialize for TemplateAuthConfig {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            TemplateAuthConfig::Preview(p) => p.serialize(s),
            TemplateAuthConfig::Ref(id) => TemplateAuthConfigWire {
                object: tags::AuthConfigPreview,
                id: Some(id.clone()),
                is_default: None,
                name: None,
                description: None,
                metadata: None,
                provider_id: None,
                created_at: None,
                updated_at: None,
            }
            .serialize(s),
            TemplateAuthConfig::Abridged => {
                use serde::ser::SerializeMap;
                let mut m = s.serialize_map(Some(1))?;
                m.serialize_entry("object", &tags::AuthConfigPreview)?;
                m.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for TemplateAuthConfig {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = TemplateAuthConfigWire::deserialize(d)?;
        let full = w.provider_id.is_some() || w.created_at.is_some() || w.updated_at.is_some();
        if !full {
            return Ok(match w.id {
                Some(id) => TemplateAuthConfig::Ref(id),
                None => TemplateAuthConfig::Abridged,
            });
        }
        let missing = |field: &str| {
            serde::de::Error::custom(format_args!(
                "missing field `{field}` of a full `provider.auth_config#preview`"
            ))
        };
        Ok(TemplateAuthConfig::Preview(AuthConfigPreview {
            object: tags::AuthConfigPreview,
            id: w.id.ok_or_else(|| missing("id"))?,
            is_default: w.is_default.unwrap_or(false),
            name: w.name,
            description: w.description,
            metadata: w.metadata,
            provider_id: w.provider_id.ok_or_else(|| missing("provider_id"))?,
            created_at: w.created_at.ok_or_else(|| missing("created_at"))?,
            updated_at: w.updated_at.ok_or_else(|| missing("updated_at"))?,
        }))
    }
}

/// `session.template`: a reusable list of providers for sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct SessionTemplate {
    /// The object kind.
    #[serde(default)]
    pub object: tags::SessionTemplate,
    /// The id.
    pub id: SessionTemplateId,
    /// `active`, `archived` or `deleted`.
    pub status: SessionTemplateStatus,
    /// The name.
    pub name: String,
    /// The description.
    pub description: Option<String>,
    /// Free key-value pairs.
    pub metadata: Option<Metadata>,
    /// The active providers, sorted by id.
    #[serde(default)]
    #[cfg_attr(feature = "proptest", proptest(strategy = "small_vec()"))]
    pub providers: Vec<SessionTemplateProvider>,
    /// The instance this template belongs to (live service only).
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub integration_instance_id: Patch<IntegrationInstanceId>,
    /// The instance group this template belongs to (live service only).
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub integration_instance_group_id: Patch<String>,
    /// The identity actor (live service only).
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub identity_actor_id: Patch<IdentityActorId>,
    /// The identity (live service only).
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub identity_id: Patch<IdentityId>,
    /// Creation time.
    pub created_at: Timestamp,
    /// Last update time.
    pub updated_at: Timestamp,
}

/// `session.template.provider`: one provider of a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct SessionTemplateProvider {
    /// The object kind.
    #[serde(default)]
    pub object: tags::SessionTemplateProvider,
    /// The id.
    pub id: SessionTemplateProviderId,
    /// `active`, `archived` or `deleted`.
    pub status: SessionTemplateStatus,
    /// This level's tool filter.
    #[serde(default)]
    pub tool_filter: ToolFilter,
    /// The provider.
    pub provider_id: ProviderId,
    /// The template.
    pub session_template_id: SessionTemplateId,
    /// The deployment.
    pub deployment: DeploymentPreview,
    /// The config.
    pub config: ConfigPreview,
    /// The auth config, if any.
    pub auth_config: Option<TemplateAuthConfig>,
    /// Creation time.
    pub created_at: Timestamp,
    /// Last update time.
    pub updated_at: Timestamp,
}

/// `{destructive, read_only}` hints of a tool.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct ToolTags {
    /// Whether the tool changes or deletes data.
    pub destructive: Option<bool>,
    /// Whether the tool only reads.
    pub read_only: Option<bool>,
}

/// `provider.tool`: a tool of a provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct ProviderTools {
    /// The object kind.
    #[serde(default)]
    pub object: tags::ProviderTools,
    /// The tools.
    #[cfg_attr(feature = "proptest", proptest(strategy = "small_vec()"))]
    pub items: Vec<ProviderTool>,
}

/// `{"group_id": "pgr_..."}` in a setup session's provider search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct GroupRef {
    /// The group.
    pub group_id: ProviderGroupId,
}

/// `{"collection_id": "pco_..."}` in a setup session's provider search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct CollectionRef {
    /// The collection.
    pub collection_id: ProviderCollectionId,
}

/// `{"category_id": "pca_..."}` in a setup session's provider search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct CategoryRef {
    /// The category.
    pub category_id: ProviderCategoryId,
}

/// Which providers the hosted page offers. Each list accepts a single object
/// on input (as the seed's example shows) and always encodes as an array.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct ProviderSearch {
    /// Provider groups.
    #[serde(default, deserialize_with = "crate::one_or_many::deserialize")]
    #[cfg_attr(feature = "proptest", proptest(strategy = "small_vec()"))]
    pub groups: Vec<GroupRef>,
    /// Provider collections.
    #[serde(default, deserialize_with = "crate::one_or_many::deserialize")]
    #[cfg_attr(feature = "proptest", proptest(strategy = "small_vec()"))]
    pub collections: Vec<CollectionRef>,
    /// Provider categories.
    #[serde(default, deserialize_with = "crate::one_or_many::deserialize")]
    #[cfg_attr(feature = "proptest", proptest(strategy = "small_vec()"))]
    pub categories: Vec<CategoryRef>,
}

/// `configuration.tool_filters`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct ToolFiltersSetting {
    /// Whether the end user reviews each provider's tools.
    #[serde(default)]
    pub enabled: bool,
}

/// `configuration.ui`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct UiSetting {
    /// The page layout.
    #[serde(default)]
    pub layout: Layout,
}

/// A setup session's `configuration`, in request and response alike.
/// Missing parts take their defaults, so `{}` encodes in full.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
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

/// `integration.setup_session`: the hosted flow that configures every provider of an integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// `{object: "integration.provider.version", id, index}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// `{"has_more_before": ..., "has_more_after": ...}` of a list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct Pagination {
    /// Whether matching items lie before the page.
    pub has_more_before: bool,
    /// Whether matching items lie after the page.
    pub has_more_after: bool,
}

/// A page of a list: `{"items": [...], "pagination": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
