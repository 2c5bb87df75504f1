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
//!       "granted_scopes": {"credentials": ["repo"], "auth_config": null},
//!       "tools": [{"tool": {"object": "provider.tool", "id": "pto_1", "key": "create_issue", "...": "..."},
//!                  "required_scopes": [["repo", "public_repo"]], "auth_methods": ["oauth2"]}],
//!       "prompts": ["summarize"],
//!       "resource_templates": ["github://{owner}/{repo}"],
//!       "resource_reads": ["github://acme/api/README.md"],
//!       "utilities": ["logging/setLevel", "completion/complete"]
//!     }
//!   ]
//! }
//! ```
//!
//! Every key but `name`, `template_provider_id` and each tool's `tool` is
//! optional. Filters take any shape the API has used (contract §5.2, §5.3).
//! Providers are resolved in order of `template_provider_id`, as the API
//! lists them; at most 100, like a template. Granted scopes absent or `null`
//! are unknown (scopes then do not restrict); `[]` is known and grants
//! nothing. Resource reads are exact URIs; utilities are protocol methods,
//! always denied. Names are at most 256 bytes, URIs 2 KiB. Unknown keys are
//! errors, so a typo does not silently change the result. Each distinct
//! filter compiles once.

use serde::Deserialize;
use switchboard_model::ProviderTool;
use switchboard_model::error::PathSegment;
use switchboard_model::filter::ToolFilter;
use switchboard_model::id::SessionTemplateProviderId;

use crate::capability::{MAX_NAME_LEN, MAX_URI_LEN};
use crate::filter::FilterCache;
use crate::{Access, Capability, Chain, Error, Kind, Level, ProviderEntry};

/// The whole document.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolsetInput {
    /// The template's providers (at most 100).
    #[serde(deserialize_with = "at_most_100")]
    pub providers: Vec<ProviderInput>,
}

/// A template holds at most [`switchboard_model::request::MAX_TEMPLATE_PROVIDERS`]
/// providers; so does this document.
fn at_most_100<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<ProviderInput>, D::Error> {
    use switchboard_model::request::MAX_TEMPLATE_PROVIDERS;
    let providers = Vec::<ProviderInput>::deserialize(d)?;
    if providers.len() > MAX_TEMPLATE_PROVIDERS {
        return Err(serde::de::Error::custom(format_args!(
            "{} providers, more than the limit of {MAX_TEMPLATE_PROVIDERS}",
            providers.len()
        )));
    }
    Ok(providers)
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
    /// Exact resource URIs read (matched by `resource_uris` and `resource_regex`).
    #[serde(default)]
    pub resource_reads: Vec<String>,
    /// Protocol utilities (`logging/setLevel`, `completion/complete`): always denied.
    #[serde(default)]
    pub utilities: Vec<String>,
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

/// Scopes granted by the credentials and by the auth config: absent or
/// `null` is unknown, `[]` is known and grants nothing.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantedScopes {
    /// The auth credentials' scopes (used when non-empty).
    #[serde(default)]
    pub credentials: Option<Vec<String>>,
    /// The auth config's scopes.
    #[serde(default)]
    pub auth_config: Option<Vec<String>>,
}

/// A tool: its `provider.tool` object plus what matching needs beyond it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ToolInput {
    /// The wire object (boxed: it moves into its capability without a copy).
    pub tool: Box<ProviderTool>,
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
    /// Provider indices in template provider id order, as the API lists them.
    fn order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.providers.len()).collect();
        order.sort_by(|&a, &b| {
            self.providers[a]
                .template_provider_id
                .cmp(&self.providers[b].template_provider_id)
        });
        order
    }

    /// Compiles every filter and orders providers by template provider id. A bad
    /// pattern's path points into the document
    /// (`["providers", 0, "filters", "deployment", 2, "pattern"]`).
    pub fn to_entries(&self) -> Result<Vec<ProviderEntry>, Error> {
        let mut cache = FilterCache::default();
        self.order()
            .into_iter()
            .map(|i| {
                let p = &self.providers[i];
                p.to_entry(
                    i,
                    &mut cache,
                    p.tools.iter().cloned().map(ToolInput::into_capability).collect(),
                )
            })
            .collect()
    }

    /// [`ToolsetInput::to_entries`], moving each tool's wire object into its
    /// entry instead of copying it (schemas included): for a caller that has
    /// no further use for the document, such as the `switchboard tools` command.
    pub fn into_entries(mut self) -> Result<Vec<ProviderEntry>, Error> {
        let mut cache = FilterCache::default();
        self.order()
            .into_iter()
            .map(|i| {
                let tools = std::mem::take(&mut self.providers[i].tools);
                self.providers[i].check_tool_lengths(i, &tools)?;
                let capabilities = tools.into_iter().map(ToolInput::into_capability).collect();
                self.providers[i].to_entry(i, &mut cache, capabilities)
            })
            .collect()
    }
}

impl ToolInput {
    /// The capability this tool is, owning the wire object.
    fn into_capability(self) -> Capability {
        let mut c = Capability::from_tool(self.tool);
        c.callable_id = self.callable_id;
        c.mcp_name = self.mcp_name;
        c.required_scopes = self.required_scopes;
        c.auth_methods = self.auth_methods;
        c
    }
}

impl ProviderInput {
    fn to_entry(
        &self,
        index: usize,
        cache: &mut FilterCache,
        tools: Vec<Capability>,
    ) -> Result<ProviderEntry, Error> {
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
                levels.push((level, cache.compile(filter, &path)?));
            }
        }
        let mut capabilities = tools;
        capabilities.extend(self.prompts.iter().map(|p| Capability::new(Kind::Prompt, p)));
        capabilities.extend(
            self.resource_templates
                .iter()
                .map(|r| Capability::new(Kind::ResourceTemplate, r)),
        );
        capabilities.extend(
            self.resource_reads
                .iter()
                .map(|r| Capability::new(Kind::ResourceRead, r)),
        );
        capabilities.extend(self.utilities.iter().map(|u| Capability::new(Kind::Utility, u)));
        self.check_lengths(index)?;
        Ok(ProviderEntry {
            name: self.name.clone(),
            chain: Chain::new(levels),
            access: Access::from_known(
                self.granted_scopes.credentials.as_deref(),
                self.granted_scopes.auth_config.as_deref(),
                self.auth_method.as_deref(),
            ),
            capabilities,
        })
    }

    /// Every tool's matched names within their limit (the tools given, which
    /// [`ToolsetInput::into_entries`] has taken out of `self`).
    fn check_tool_lengths(&self, index: usize, tools: &[ToolInput]) -> Result<(), Error> {
        for (i, t) in tools.iter().enumerate() {
            for (field, value) in [
                (["tool", "key"].as_slice(), Some(&t.tool.key)),
                (&["callable_id"], t.callable_id.as_ref()),
                (&["mcp_name"], t.mcp_name.as_ref()),
            ] {
                if let Some(v) = value.filter(|v| v.len() > MAX_NAME_LEN) {
                    let mut path = vec![
                        PathSegment::from("providers"),
                        PathSegment::from(index),
                        PathSegment::from("tools"),
                        PathSegment::from(i),
                    ];
                    path.extend(field.iter().map(|f| PathSegment::from(*f)));
                    return Err(Error::key_too_long(path, v.len(), MAX_NAME_LEN));
                }
            }
        }
        Ok(())
    }

    /// Every matched name within its limit, or an error at its place in the document.
    fn check_lengths(&self, index: usize) -> Result<(), Error> {
        self.check_tool_lengths(index, &self.tools)?;
        let at = |list: &str, i: usize, field: Option<&str>| {
            let mut path = vec![
                PathSegment::from("providers"),
                PathSegment::from(index),
                PathSegment::from(list),
                PathSegment::from(i),
            ];
            path.extend(field.map(PathSegment::from));
            path
        };
        for (list, values, limit) in [
            ("prompts", &self.prompts, MAX_NAME_LEN),
            ("utilities", &self.utilities, MAX_NAME_LEN),
            ("resource_templates", &self.resource_templates, MAX_URI_LEN),
            ("resource_reads", &self.resource_reads, MAX_URI_LEN),
        ] {
            if let Some((i, v)) = values.iter().enumerate().find(|(_, v)| v.len() > limit) {
                return Err(Error::key_too_long(at(list, i, None), v.len(), limit));
            }
        }
        Ok(())
    }
}
