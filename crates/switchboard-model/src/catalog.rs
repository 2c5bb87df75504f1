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

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, FieldError, PathSegment};
use crate::filter::ToolFilter;
use crate::id::*;
use crate::json::{JsonSchemaWrapper, Metadata};
use crate::objects::{
    AuthConfigPreview, AuthMethod, ConfigPreview, DeploymentPreview, ProviderPreview, ProviderTool,
};
use crate::tags;
use crate::timestamp::Timestamp;

mod entry;

pub use entry::ResolvedEntry;

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

/// A checked catalog with lookups by id. Every reference resolves: a
/// deployment's provider exists, a config's deployment belongs to the same
/// provider, and so on.
#[derive(Debug, Clone, Default)]
pub struct CatalogIndex {
    catalog: Catalog,
    providers: HashMap<ProviderId, usize>,
    versions: HashMap<ProviderId, usize>,
    deployments: HashMap<ProviderDeploymentId, usize>,
    configs: HashMap<ProviderConfigId, usize>,
    auth_configs: HashMap<ProviderAuthConfigId, usize>,
    integrations: HashMap<IntegrationId, usize>,
}

impl Catalog {
    /// Checks every reference and builds the lookups. Errors name the field
    /// (`["configs", 2, "deployment_id"]`).
    pub fn index(self) -> Result<CatalogIndex, Error> {
        CatalogIndex::new(self)
    }
}

fn unique<K: std::hash::Hash + Eq + Clone>(
    kind: &str,
    keys: impl Iterator<Item = K>,
    errors: &mut Vec<FieldError>,
    field: &str,
) -> HashMap<K, usize> {
    let mut map = HashMap::new();
    for (i, k) in keys.enumerate() {
        if map.insert(k, i).is_some() {
            errors.push(FieldError::new(
                "duplicate",
                format!("a second {kind} with this {field}"),
                vec![
                    PathSegment::from(kind),
                    PathSegment::from(i),
                    PathSegment::from(field),
                ],
            ));
        }
    }
    map
}

impl CatalogIndex {
    fn new(catalog: Catalog) -> Result<Self, Error> {
        let mut errors = Vec::new();
        let c = &catalog;
        let providers = unique(
            "providers",
            c.providers.iter().map(|p| p.id.clone()),
            &mut errors,
            "id",
        );
        let current = c.provider_versions.iter().filter(|v| v.is_current);
        let versions = unique(
            "provider_versions",
            current.map(|v| v.provider_id.clone()),
            &mut errors,
            "provider_id",
        );
        let deployments = unique(
            "deployments",
            c.deployments.iter().map(|d| d.id.clone()),
            &mut errors,
            "id",
        );
        let configs = unique(
            "configs",
            c.configs.iter().map(|d| d.id.clone()),
            &mut errors,
            "id",
        );
        let auth_configs = unique(
            "auth_configs",
            c.auth_configs.iter().map(|d| d.id.clone()),
            &mut errors,
            "id",
        );
        let integrations = unique(
            "integrations",
            c.integrations.iter().map(|d| d.id.clone()),
            &mut errors,
            "id",
        );
        let mut refers = |ok: bool, kind: &str, i: usize, field: &str, what: &str| {
            if !ok {
                errors.push(FieldError::new(
                    "unknown_reference",
                    format!("no {what} with this id in the catalog"),
                    vec![
                        PathSegment::from(kind),
                        PathSegment::from(i),
                        PathSegment::from(field),
                    ],
                ));
            }
        };
        for (i, v) in c.provider_versions.iter().enumerate() {
            refers(
                providers.contains_key(&v.provider_id),
                "provider_versions",
                i,
                "provider_id",
                "provider",
            );
        }
        for (i, d) in c.deployments.iter().enumerate() {
            refers(
                providers.contains_key(&d.provider_id),
                "deployments",
                i,
                "provider_id",
                "provider",
            );
            let config = d
                .default_config_id
                .as_ref()
                .map(|id| configs.get(id).map(|&j| &c.configs[j]));
            refers(
                !matches!(config, Some(None)),
                "deployments",
                i,
                "default_config_id",
                "config",
            );
            let same = config.flatten().is_none_or(|cf| cf.provider_id == d.provider_id);
            refers(
                same,
                "deployments",
                i,
                "default_config_id",
                "config of the same provider",
            );
        }
        for (i, cf) in c.configs.iter().enumerate() {
            refers(
                providers.contains_key(&cf.provider_id),
                "configs",
                i,
                "provider_id",
                "provider",
            );
            let dep = cf
                .deployment_id
                .as_ref()
                .map(|id| deployments.get(id).map(|&j| &c.deployments[j]));
            refers(
                !matches!(dep, Some(None)),
                "configs",
                i,
                "deployment_id",
                "deployment",
            );
            let same = dep.flatten().is_none_or(|d| d.provider_id == cf.provider_id);
            refers(
                same,
                "configs",
                i,
                "deployment_id",
                "deployment of the same provider",
            );
        }
        for (i, a) in c.auth_configs.iter().enumerate() {
            refers(
                providers.contains_key(&a.provider_id),
                "auth_configs",
                i,
                "provider_id",
                "provider",
            );
        }
        for (i, int) in c.integrations.iter().enumerate() {
            for p in &int.providers {
                refers(
                    providers.contains_key(&p.provider_id),
                    "integrations",
                    i,
                    "providers",
                    "provider",
                );
                let dep = deployments.get(&p.deployment_id).map(|&j| &c.deployments[j]);
                refers(
                    dep.is_some_and(|d| d.provider_id == p.provider_id),
                    "integrations",
                    i,
                    "providers",
                    "deployment of the same provider",
                );
            }
        }
        if !errors.is_empty() {
            return Err(Error::invalid(errors));
        }
        Ok(CatalogIndex {
            catalog,
            providers,
            versions,
            deployments,
            configs,
            auth_configs,
            integrations,
        })
    }

    /// The catalog as loaded.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// A provider.
    pub fn provider(&self, id: &ProviderId) -> Option<&ProviderPreview> {
        self.providers.get(id).map(|&i| &self.catalog.providers[i])
    }

    /// A provider's current version.
    pub fn current_version(&self, provider: &ProviderId) -> Option<&ProviderVersion> {
        self.versions
            .get(provider)
            .map(|&i| &self.catalog.provider_versions[i])
    }

    /// A deployment.
    pub fn deployment(&self, id: &ProviderDeploymentId) -> Option<&Deployment> {
        self.deployments.get(id).map(|&i| &self.catalog.deployments[i])
    }

    /// A config.
    pub fn config(&self, id: &ProviderConfigId) -> Option<&Config> {
        self.configs.get(id).map(|&i| &self.catalog.configs[i])
    }

    /// An auth config.
    pub fn auth_config(&self, id: &ProviderAuthConfigId) -> Option<&AuthConfig> {
        self.auth_configs.get(id).map(|&i| &self.catalog.auth_configs[i])
    }

    /// An integration.
    pub fn integration(&self, id: &IntegrationId) -> Option<&Integration> {
        self.integrations.get(id).map(|&i| &self.catalog.integrations[i])
    }

    /// The provider's default deployment (else its first).
    pub fn deployment_of_provider(&self, provider: &ProviderId) -> Option<&Deployment> {
        let mut of = self
            .catalog
            .deployments
            .iter()
            .filter(|d| &d.provider_id == provider);
        let first = of.clone().next();
        of.find(|d| d.is_default).or(first)
    }

    /// The deployment's default config: the one it names, else a default
    /// config of that deployment, else of the provider without a deployment.
    pub fn config_of_deployment(&self, deployment: &Deployment) -> Option<&Config> {
        if let Some(c) = deployment
            .default_config_id
            .as_ref()
            .and_then(|id| self.config(id))
        {
            return Some(c);
        }
        let of = |c: &&Config| c.provider_id == deployment.provider_id && c.is_default;
        let configs = self.catalog.configs.iter();
        configs
            .clone()
            .filter(of)
            .find(|c| c.deployment_id.as_ref() == Some(&deployment.id))
            .or_else(|| configs.filter(of).find(|c| c.deployment_id.is_none()))
    }
}
