//! A template provider entry of a request body, resolved against the catalog
//! (contract §8, "Template provider entries").

use super::{AuthConfig, CatalogIndex, Config, Deployment};
use crate::error::{Error, FieldError, PathSegment};
use crate::id::ProviderId;
use crate::objects::{ProviderPreview, SessionTemplateProvider, TemplateAuthConfig};
use crate::request::TemplateProviderInput;
use crate::tags;
use crate::timestamp::Timestamp;

/// The catalog objects one entry names, defaults filled in.
#[derive(Debug, Clone, Copy)]
pub struct ResolvedEntry<'a> {
    /// The provider all of them belong to.
    pub provider: &'a ProviderPreview,
    /// The deployment: given, else the config's, else the provider's default.
    pub deployment: &'a Deployment,
    /// The config: given, else the deployment's default.
    pub config: &'a Config,
    /// The auth config, only when given.
    pub auth_config: Option<&'a AuthConfig>,
}

impl CatalogIndex {
    /// Resolves a request's entry: every given id must exist (else
    /// `not_found` with its entity and id) and belong to one provider (else
    /// `invalid_data` naming the field, under `path`); a missing deployment
    /// is the config's, else the provider's default; a missing config is the
    /// deployment's default (else `config_required`); the auth config stays
    /// absent when not given.
    pub fn resolve_entry(
        &self,
        input: &TemplateProviderInput,
        path: &[PathSegment],
    ) -> Result<ResolvedEntry<'_>, Error> {
        let at = |field: &str| {
            let mut p = path.to_vec();
            p.push(PathSegment::from(field));
            p
        };
        let deployment = match input.deployment_id() {
            Some(id) => Some(
                self.deployment(id)
                    .ok_or_else(|| Error::not_found("provider.deployment", id.as_str()))?,
            ),
            None => None,
        };
        let config = match input.config_id() {
            Some(id) => Some(
                self.config(id)
                    .ok_or_else(|| Error::not_found("provider.config", id.as_str()))?,
            ),
            None => None,
        };
        let auth_config = match input.auth_config_id() {
            Some(id) => Some(
                self.auth_config(id)
                    .ok_or_else(|| Error::not_found("provider.auth_config", id.as_str()))?,
            ),
            None => None,
        };
        // The provider: the first given object's; every other must agree.
        let owner: &ProviderId = [
            deployment.map(|d| &d.provider_id),
            config.map(|c| &c.provider_id),
            auth_config.map(|a| &a.provider_id),
        ]
        .into_iter()
        .flatten()
        .next()
        .ok_or_else(Error::no_provider_ids)?;
        for (field, provider) in [
            ("provider_deployment_id", deployment.map(|d| &d.provider_id)),
            ("provider_config_id", config.map(|c| &c.provider_id)),
            ("provider_auth_config_id", auth_config.map(|a| &a.provider_id)),
        ] {
            if provider.is_some_and(|p| p != owner) {
                return Err(Error::invalid(vec![FieldError::new(
                    "provider_mismatch",
                    format!(
                        "belongs to another provider than the entry's other ids (`{}`)",
                        owner.as_str()
                    ),
                    at(field),
                )]));
            }
        }
        let provider = self
            .provider(owner)
            .ok_or_else(|| Error::not_found("provider", owner.as_str()))?;
        let deployment = match deployment {
            Some(d) => d,
            None => config
                .and_then(|c| c.deployment_id.as_ref())
                .and_then(|id| self.deployment(id))
                .or_else(|| self.deployment_of_provider(owner))
                .ok_or_else(|| Error::deployment_required(at("provider_deployment_id"), owner.as_str()))?,
        };
        if let Some(c) = config
            && c.deployment_id.as_ref().is_some_and(|d| d != &deployment.id)
        {
            return Err(Error::invalid(vec![FieldError::new(
                "deployment_mismatch",
                format!("configures another deployment than `{}`", deployment.id.as_str()),
                at("provider_config_id"),
            )]));
        }
        let config = match config {
            Some(c) => c,
            None => self
                .config_of_deployment(deployment)
                .ok_or_else(|| Error::config_required(at("provider_config_id"), deployment.id.as_str()))?,
        };
        Ok(ResolvedEntry {
            provider,
            deployment,
            config,
            auth_config,
        })
    }
}

impl ResolvedEntry<'_> {
    /// The template provider this entry becomes, with its own filter.
    pub fn into_template_provider(
        self,
        id: crate::id::SessionTemplateProviderId,
        template: crate::id::SessionTemplateId,
        input: &TemplateProviderInput,
        now: Timestamp,
    ) -> SessionTemplateProvider {
        SessionTemplateProvider {
            object: tags::SessionTemplateProvider,
            id,
            status: crate::enums::SessionTemplateStatus::Active,
            tool_filter: input.tool_filters().to_tool_filter(),
            provider_id: self.provider.id.clone(),
            session_template_id: template,
            deployment: self.deployment.preview(),
            config: self.config.preview(),
            auth_config: self.auth_config.map(|a| TemplateAuthConfig::Ref(a.id.clone())),
            created_at: now,
            updated_at: now,
        }
    }
}
