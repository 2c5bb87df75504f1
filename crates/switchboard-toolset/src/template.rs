//! Stored objects to provider entries: a session template's active providers
//! with the catalog behind them (deployment, config, auth config, the
//! provider's current version), as [`crate::resolve()`] takes them.
//!
//! ```
//! use switchboard_model::catalog::Catalog;
//! use switchboard_model::SessionTemplate;
//! use switchboard_toolset::filter::FilterCache;
//! use switchboard_toolset::{resolve, ResolveOptions};
//!
//! let catalog: Catalog = switchboard_model::decode::from_str(include_str!("../../../examples/catalog.json"))?;
//! let catalog = catalog.index()?;
//! let template: SessionTemplate = switchboard_model::decode::from_str(include_str!("../../../testdata/objects/example-template.json"))?;
//! let entries = switchboard_toolset::template::entries(&template, &catalog, &mut FilterCache::default())?;
//! let tools = resolve(&entries, &ResolveOptions::default())?.provider_tools();
//! assert!(tools.items.iter().any(|t| t.key == "list_issues"));
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use switchboard_model::SessionTemplate;
use switchboard_model::catalog::CatalogIndex;
use switchboard_model::enums::SessionTemplateStatus;
use switchboard_model::error::PathSegment;

use crate::filter::FilterCache;
use crate::{Access, Capability, Chain, Error, Kind, Level, ProviderEntry};

/// The entries of `template`'s active providers, in template provider id
/// order, each with its four-level chain (config, auth config, deployment,
/// template provider), the auth config's scopes and auth method, and its
/// provider's current version's tools, prompts and resource templates.
///
/// A provider the catalog no longer has, or has no current version of,
/// contributes no capabilities (its template still lists it). Filters
/// compile through `cache`, one per template (see [`FilterCache`]).
pub fn entries(
    template: &SessionTemplate,
    catalog: &CatalogIndex,
    cache: &mut FilterCache,
) -> Result<Vec<ProviderEntry>, Error> {
    let mut providers: Vec<_> = (template.providers.iter().enumerate())
        .filter(|(_, p)| p.status == SessionTemplateStatus::Active)
        .collect();
    providers.sort_by(|a, b| a.1.id.cmp(&b.1.id));
    let mut out = Vec::with_capacity(providers.len());
    for (i, tp) in providers {
        let config = catalog.config(&tp.config.id);
        let auth_config = tp
            .auth_config
            .as_ref()
            .and_then(|a| a.id())
            .and_then(|id| catalog.auth_config(id));
        let deployment = catalog.deployment(&tp.deployment.id);
        let path = |field: &str| {
            [
                PathSegment::from("providers"),
                PathSegment::from(i),
                PathSegment::from(field),
            ]
        };
        let mut levels = Vec::with_capacity(4);
        for (level, filter, field) in [
            (Level::Config, config.map(|c| &c.tool_filter), "config"),
            (
                Level::AuthConfig,
                auth_config.map(|a| &a.tool_filter),
                "auth_config",
            ),
            (
                Level::Deployment,
                deployment.map(|d| &d.tool_filter),
                "deployment",
            ),
            (Level::TemplateProvider, Some(&tp.tool_filter), "tool_filter"),
        ] {
            if let Some(filter) = filter {
                levels.push((level, cache.compile(filter, &path(field))?));
            }
        }
        let mut capabilities = Vec::new();
        if let Some(version) = catalog.current_version(&tp.provider_id) {
            capabilities
                .reserve(version.tools.len() + version.prompts.len() + version.resource_templates.len());
            for t in &version.tools {
                let mut c = Capability::from_tool(t.tool.clone());
                c.required_scopes.clone_from(&t.required_scopes);
                c.auth_methods.clone_from(&t.auth_methods);
                capabilities.push(c);
            }
            capabilities.extend(version.prompts.iter().map(|p| Capability::new(Kind::Prompt, p)));
            capabilities.extend(
                version
                    .resource_templates
                    .iter()
                    .map(|r| Capability::new(Kind::ResourceTemplate, r)),
            );
        }
        let name = catalog
            .provider(&tp.provider_id)
            .map_or_else(|| tp.provider_id.as_str().to_owned(), |p| p.slug.clone());
        out.push(ProviderEntry {
            name,
            chain: Chain::new(levels),
            access: Access::from_known(
                None,
                auth_config.and_then(|a| a.granted_scopes.as_deref()),
                auth_config.and_then(|a| a.auth_method.as_deref()),
            ),
            capabilities,
        });
    }
    Ok(out)
}
