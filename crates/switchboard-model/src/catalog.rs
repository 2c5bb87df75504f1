//! The catalog a server is loaded with: providers, their versions (tools,
//! prompts, resource templates, auth methods, config schema), deployments,
//! configs, auth configs and integrations. No endpoint of the contract
//! creates these; a server reads them from a file of this shape, and
//! [`Catalog::index`] checks every reference before anything uses them.
//!
//! ```
//! use switchboard_model::catalog::Catalog;
//!
//! let catalog: Catalog = switchboard_model::decode::from_str(r#"{
//!   "providers": [{"id": "pro_gh", "name": "GitHub", "slug": "github", "description": null,
//!                  "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-01-01T00:00:00.000Z"}],
//!   "deployments": [{"id": "pde_gh", "provider_id": "pro_gh", "is_default": true, "name": "Cloud",
//!                    "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-01-01T00:00:00.000Z"}],
//!   "configs": [{"id": "pcf_gh", "provider_id": "pro_gh", "deployment_id": "pde_gh", "is_default": true,
//!                "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-01-01T00:00:00.000Z"}]
//! }"#)?;
//! let index = catalog.index()?;
//! assert_eq!(index.deployment_of_provider(&"pro_gh".parse()?).unwrap().id.as_str(), "pde_gh");
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::filter::ToolFilter;
use crate::id::*;
use crate::json::{JsonSchemaWrapper, Metadata};
use crate::objects::{
    AuthConfigPreview, AuthMethod, ConfigPreview, DeploymentPreview, ProviderPreview, ProviderTool,
};
use crate::tags;
use crate::timestamp::Timestamp;

mod entry;
mod index;

pub use entry::ResolvedEntry;
pub use index::CatalogIndex;

/// Catalog objects of each kind.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Catalog {
    /// Providers, in their `provider#preview` form.
    #[serde(default)]
    pub providers: Vec<ProviderPreview>,
    /// Provider versions with their capabilities.
    #[serde(default)]
    pub provider_versions: Vec<ProviderVersion>,
    /// Deployments.
    #[serde(default)]
    pub deployments: Vec<Deployment>,
    /// Configs.
    #[serde(default)]
    pub configs: Vec<Config>,
    /// Auth configs.
    #[serde(default)]
    pub auth_configs: Vec<AuthConfig>,
    /// Integrations.
    #[serde(default)]
    pub integrations: Vec<Integration>,
    /// OAuth clients of providers whose auth method is `oauth`: what the
    /// hosted setup pages sign end users in with.
    #[serde(default)]
    pub auth_credentials: Vec<OAuthCredentials>,
}

/// A provider's OAuth client: its endpoints and client id. The client
/// secret is never in the catalog: `client_secret_env` names the environment
/// variable the server reads it from (none: a public client, PKCE alone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthCredentials {
    /// The id.
    pub id: ProviderAuthCredentialsId,
    /// The provider.
    pub provider_id: ProviderId,
    /// A display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Where the end user signs in (`https://github.com/login/oauth/authorize`).
    pub authorization_endpoint: String,
    /// Where the server exchanges the code for tokens.
    pub token_endpoint: String,
    /// The client id.
    pub client_id: String,
    /// The environment variable that holds the client secret.
    #[serde(default)]
    pub client_secret_env: Option<String>,
    /// Creation time.
    pub created_at: Timestamp,
    /// Last update time.
    pub updated_at: Timestamp,
}

macro_rules! level {
    ($(#[$meta:meta])* $name:ident, $preview:ident, $id:ty { $($(#[$fmeta:meta])* $field:ident: $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// The object kind (its preview's).
            #[serde(default)]
            pub object: tags::$preview,
            /// The id.
            pub id: $id,
            /// The provider it belongs to.
            pub provider_id: ProviderId,
            /// Whether this is the provider's (or deployment's) default.
            #[serde(default)]
            pub is_default: bool,
            /// The name.
            #[serde(default)]
            pub name: Option<String>,
            /// The description.
            #[serde(default)]
            pub description: Option<String>,
            /// Free key-value pairs.
            #[serde(default)]
            pub metadata: Option<Metadata>,
            /// This level's tool filter (absent: allow all).
            #[serde(default)]
            pub tool_filter: ToolFilter,
            $($(#[$fmeta])* pub $field: $ty,)*
            /// Creation time.
            pub created_at: Timestamp,
            /// Last update time.
            pub updated_at: Timestamp,
        }

        impl $name {
            /// The preview a template provider embeds.
            pub fn preview(&self) -> $preview {
                $preview {
                    object: tags::$preview,
                    id: self.id.clone(),
                    is_default: self.is_default,
                    name: self.name.clone(),
                    description: self.description.clone(),
                    metadata: self.metadata.clone(),
                    provider_id: self.provider_id.clone(),
                    created_at: self.created_at,
                    updated_at: self.updated_at,
                }
            }
        }
    };
}

level!(
    /// A running instance of a provider.
    Deployment, DeploymentPreview, ProviderDeploymentId {
        /// The config used when a template names only this deployment.
        #[serde(default)]
        default_config_id: Option<ProviderConfigId>,
    }
);
level!(
    /// Configuration values for a deployment. The values are kept, never shown.
    Config, ConfigPreview, ProviderConfigId {
        /// The deployment it configures.
        #[serde(default)]
        deployment_id: Option<ProviderDeploymentId>,
    }
);
level!(
    /// A user's authentication for a provider: which auth method and which scopes it grants.
    AuthConfig, AuthConfigPreview, ProviderAuthConfigId {
        /// The auth method's key (`oauth2`, `api_key`).
        #[serde(default)]
        auth_method: Option<String>,
        /// Scopes granted; absent or `null` is unknown, `[]` grants nothing.
        #[serde(default)]
        granted_scopes: Option<Vec<String>>,
    }
);

/// A version of a provider: what it offers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderVersion {
    /// The id.
    pub id: ProviderVersionId,
    /// The provider.
    pub provider_id: ProviderId,
    /// Whether templates use this version (one per provider).
    #[serde(default = "yes")]
    pub is_current: bool,
    /// Tools, in version order.
    #[serde(default)]
    pub tools: Vec<CatalogTool>,
    /// MCP prompt names.
    #[serde(default)]
    pub prompts: Vec<String>,
    /// MCP resource URI templates.
    #[serde(default)]
    pub resource_templates: Vec<String>,
    /// The schema of a config's values.
    #[serde(default)]
    pub config_schema: Option<JsonSchemaWrapper>,
    /// How the provider authenticates.
    #[serde(default)]
    pub auth_methods: Vec<AuthMethod>,
    /// Creation time.
    pub created_at: Timestamp,
}

fn yes() -> bool {
    true
}

/// A tool and what it needs beyond its wire object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CatalogTool {
    /// The `provider.tool` object.
    pub tool: ProviderTool,
    /// Scope groups: every group needs one of its scopes.
    #[serde(default)]
    pub required_scopes: Vec<Vec<String>>,
    /// Auth method keys the tool works with; empty means any.
    #[serde(default)]
    pub auth_methods: Vec<String>,
}

/// An integration: a product-level bundle of providers that setup sessions configure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Integration {
    /// The id.
    pub id: IntegrationId,
    /// The name.
    pub name: String,
    /// The description.
    #[serde(default)]
    pub description: Option<String>,
    /// Whether a setup session may let the end user choose tools.
    #[serde(default)]
    pub allow_custom_tool_filters: bool,
    /// The providers it sets up, one step each.
    pub providers: Vec<IntegrationProvider>,
    /// Creation time.
    pub created_at: Timestamp,
    /// Last update time.
    pub updated_at: Timestamp,
}

/// One provider of an integration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntegrationProvider {
    /// The id.
    pub id: IntegrationProviderId,
    /// The provider.
    pub provider_id: ProviderId,
    /// The deployment it runs on.
    pub deployment_id: ProviderDeploymentId,
    /// This level's tool filter.
    #[serde(default)]
    pub tool_filter: ToolFilter,
}
