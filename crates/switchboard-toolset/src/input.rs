//! A document that describes a template's providers for resolution, meant to
//! be written by hand (the `switchboard tools` command reads it).
//!
//! ```json
//! {
//!   "providers": [
//!     {
//!       "name": "github",
//!       "template_provider_id": "stp_3cDeFgHjKlMnPqRs",
//!       "filters": {
//!         "config": {"type": "tool_regex", "pattern": "^(list|get|create)_"},
//!         "auth_config": null,
//!         "deployment": {"type": "allow_all"},
//!         "template_provider": [{"type": "tool_keys", "keys": ["create_issue", "list_issues"]}]
//!       },
//!       "auth_method": "oauth2",
//!       "granted_scopes": {"credentials": ["repo"], "auth_config": []},
//!       "tools": [{"tool": {"object": "provider.tool", "id": "pto_1", "key": "create_issue", "...": "..."},
//!                  "required_scopes": [["repo", "public_repo"]], "auth_methods": ["oauth2"]}],
//!       "prompts": ["summarize"],
//!       "resource_templates": ["github://{owner}/{repo}"]
//!     }
//!   ]
//! }
//! ```
//!
//! Every key but `name`, `template_provider_id` and each tool's `tool` is
//! optional. Filters take any shape the API has used (§5.2, §5.3). Providers
//! are resolved in order of `template_provider_id`, as the API lists them.
//! Unknown keys are errors, so a typo does not silently change the result.

use serde::Deserialize;
use switchboard_model::ProviderTool;
use switchboard_model::error::PathSegment;
use switchboard_model::filter::ToolFilter;
use switchboard_model::id::SessionTemplateProviderId;

use crate::{Access, Capability, Chain, CompiledFilter, Error, Kind, Level, ProviderEntry};

/// The whole document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolsetInput {
    /// The template's providers.
    pub providers: Vec<ProviderInput>,
}

/// One template provider with its filters and its version's catalog.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProviderInput {
    /// A short name (the provider's slug): prefixes and explanations use it.
    pub name: String,
    /// The template provider's id; providers resolve in id order.
    pub template_provider_id: SessionTemplateProviderId,
    /// Each level's filter.
    #[serde(default)]
    pub filters: LevelFilters,
    /// The active auth method's key.
    #[serde(default)]
    pub auth_method: Option<String>,
    /// Granted scopes.
    #[serde(default)]
    pub granted_scopes: GrantedScopes,
    /// The tools, in version order.
    #[serde(default)]
    pub tools: Vec<ToolInput>,
    /// MCP prompt names.
    #[serde(default)]
    pub prompts: Vec<String>,
    /// MCP resource URI templates.
    #[serde(default)]
    pub resource_templates: Vec<String>,
}

/// The four levels of a template provider's chain; absent or `null` is no filter.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelFilters {
    /// The provider config's filter.
    #[serde(default)]
    pub config: Option<ToolFilter>,
    /// The auth config's filter.
    #[serde(default)]
    pub auth_config: Option<ToolFilter>,
    /// The deployment's filter.
    #[serde(default)]
    pub deployment: Option<ToolFilter>,
    /// The template provider's own filter.
    #[serde(default)]
    pub template_provider: Option<ToolFilter>,
}

/// Scopes granted by the credentials and by the auth config.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantedScopes {
    /// The auth credentials' scopes (used when non-empty).
    #[serde(default)]
    pub credentials: Vec<String>,
    /// The auth config's scopes.
    #[serde(default)]
    pub auth_config: Vec<String>,
}

/// A tool: its `provider.tool` object plus what matching needs beyond it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolInput {
    /// The wire object.
    pub tool: ProviderTool,
    /// The callable id.
    #[serde(default)]
    pub callable_id: Option<String>,
    /// The MCP name.
    #[serde(default)]
    pub mcp_name: Option<String>,
    /// Required scopes: every group needs one of its scopes.
    #[serde(default)]
    pub required_scopes: Vec<Vec<String>>,
    /// Auth methods the tool works with; empty means any.
    #[serde(default)]
    pub auth_methods: Vec<String>,
}

impl ToolsetInput {
    /// Compiles every filter and orders providers by template provider id. A bad
    /// pattern's path points into the document
    /// (`["providers", 0, "filters", "deployment", 2, "pattern"]`).
    pub fn to_entries(&self) -> Result<Vec<ProviderEntry>, Error> {
        let mut order: Vec<usize> = (0..self.providers.len()).collect();
        order.sort_by(|&a, &b| {
            self.providers[a]
                .template_provider_id
                .cmp(&self.providers[b].template_provider_id)
        });
        order.into_iter().map(|i| self.providers[i].to_entry(i)).collect()
    }
}

impl ProviderInput {
    fn to_entry(&self, index: usize) -> Result<ProviderEntry, Error> {
        let f = &self.filters;
        let mut levels = Vec::new();
        for (level, name, filter) in [
            (Level::Config, "config", &f.config),
            (Level::AuthConfig, "auth_config", &f.auth_config),
            (Level::Deployment, "deployment", &f.deployment),
            (Level::TemplateProvider, "template_provider", &f.template_provider),
        ] {
            if let Some(filter) = filter {
                let path = [
                    PathSegment::from("providers"),
                    PathSegment::from(index),
                    PathSegment::from("filters"),
                    PathSegment::from(name),
                ];
                levels.push((level, CompiledFilter::compile(filter, &path)?));
            }
        }
        let mut capabilities: Vec<Capability> = self
            .tools
            .iter()
            .map(|t| {
                let mut c = Capability::from_tool(t.tool.clone());
                c.callable_id.clone_from(&t.callable_id);
                c.mcp_name.clone_from(&t.mcp_name);
                c.required_scopes.clone_from(&t.required_scopes);
                c.auth_methods.clone_from(&t.auth_methods);
                c
            })
            .collect();
        capabilities.extend(self.prompts.iter().map(|p| Capability::new(Kind::Prompt, p)));
        capabilities.extend(
            self.resource_templates
                .iter()
                .map(|r| Capability::new(Kind::ResourceTemplate, r)),
        );
        Ok(ProviderEntry {
            name: self.name.clone(),
            chain: Chain::new(levels),
            access: Access::from_sources(
                &self.granted_scopes.credentials,
                &self.granted_scopes.auth_config,
                self.auth_method.as_deref(),
            ),
            capabilities,
        })
    }
}
