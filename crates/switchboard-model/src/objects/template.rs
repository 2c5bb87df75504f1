//! Session templates, their providers and the preview objects they embed (contract §3).

use serde::{Deserialize, Serialize};

use crate::enums::SessionTemplateStatus;
use crate::filter::ToolFilter;
use crate::id::*;
use crate::json::Metadata;
use crate::patch::Patch;
use crate::tags;
use crate::timestamp::Timestamp;

#[cfg(feature = "proptest")]
use crate::arbitrary::small_vec;

macro_rules! preview {
    ($(#[$meta:meta])* $name:ident, $tag:ident, $id:ty) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
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
    Preview(Box<AuthConfigPreview>),
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
        Ok(TemplateAuthConfig::Preview(Box::new(AuthConfigPreview {
            object: tags::AuthConfigPreview,
            id: w.id.ok_or_else(|| missing("id"))?,
            is_default: w.is_default.unwrap_or(false),
            name: w.name,
            description: w.description,
            metadata: w.metadata,
            provider_id: w.provider_id.ok_or_else(|| missing("provider_id"))?,
            created_at: w.created_at.ok_or_else(|| missing("created_at"))?,
            updated_at: w.updated_at.ok_or_else(|| missing("updated_at"))?,
        })))
    }
}

/// `session.template`: a reusable list of providers for sessions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
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
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
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
