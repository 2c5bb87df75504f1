//! Lookups by id over a checked catalog.

use std::collections::HashMap;

use super::{AuthConfig, Catalog, Config, Deployment, Integration, OAuthCredentials, ProviderVersion};
use crate::error::{Error, FieldError, PathSegment};
use crate::id::*;
use crate::objects::ProviderPreview;

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
        for (i, a) in c.auth_credentials.iter().enumerate() {
            refers(
                providers.contains_key(&a.provider_id),
                "auth_credentials",
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
        for (i, a) in c.auth_credentials.iter().enumerate() {
            for (field, value) in [
                ("authorization_endpoint", &a.authorization_endpoint),
                ("token_endpoint", &a.token_endpoint),
            ] {
                let ok = url::Url::parse(value).is_ok_and(|u| matches!(u.scheme(), "https" | "http"));
                if !ok {
                    errors.push(FieldError::new(
                        "invalid_url",
                        "not an absolute http or https URL",
                        vec![
                            PathSegment::from("auth_credentials"),
                            PathSegment::from(i),
                            PathSegment::from(field),
                        ],
                    ));
                }
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

    /// The provider's OAuth client (its first in the catalog).
    pub fn oauth_credentials(&self, provider: &ProviderId) -> Option<&OAuthCredentials> {
        self.catalog
            .auth_credentials
            .iter()
            .find(|a| &a.provider_id == provider)
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
