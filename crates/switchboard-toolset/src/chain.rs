//! The filter chain (AND across levels, with the cut-off) and access (scopes, auth method).

use std::collections::HashSet;

use switchboard_model::IntegrationRules;

use crate::capability::{Capability, Level};
use crate::filter::{CompiledFilter, Pass};

/// The filters that apply, parent to child, after the cut-off.
#[derive(Debug, Clone, Default)]
pub struct Chain {
    levels: Vec<(Level, CompiledFilter)>,
}

impl Chain {
    /// A chain of levels given parent to child. If a level has
    /// `ignore_parent_filters`, the lowest such level cuts off every level above it.
    pub fn new(mut levels: Vec<(Level, CompiledFilter)>) -> Self {
        if let Some(cut) = levels.iter().rposition(|(_, f)| f.ignore_parent_filters()) {
            levels.drain(..cut);
        }
        Chain { levels }
    }

    /// The chain of an integration instance provider: the integration provider's
    /// filter, then, if the integration allows custom tool filters, the instance
    /// provider's; an override replaces the chain only if the integration allows overriding.
    pub fn integration(
        integration_provider: CompiledFilter,
        instance_provider: Option<CompiledFilter>,
        is_override: bool,
        rules: IntegrationRules,
    ) -> Self {
        let mut levels = vec![(Level::IntegrationProvider, integration_provider)];
        if let Some(f) = instance_provider.filter(|_| rules.custom_tool_filters) {
            if is_override && rules.override_tool_filters {
                levels.clear();
            }
            levels.push((Level::InstanceProvider, f));
        }
        Chain { levels }
    }

    /// The levels in force, parent to child.
    pub fn levels(&self) -> impl Iterator<Item = (Level, &CompiledFilter)> {
        self.levels.iter().map(|(l, f)| (*l, f))
    }

    /// Every level must pass; the first that denies is returned.
    pub fn evaluate(&self, cap: &Capability) -> Result<Vec<(Level, Pass)>, Level> {
        self.levels
            .iter()
            .map(|(level, f)| f.evaluate(cap).map(|p| (*level, p)).ok_or(*level))
            .collect()
    }
}

/// Scopes granted and the active auth method.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Access {
    /// The granted scopes; `None` when unknown (scopes then do not restrict).
    pub granted_scopes: Option<HashSet<String>>,
    /// The active auth method's key.
    pub auth_method: Option<String>,
}

impl Access {
    /// Granted scopes are the credentials' if non-empty, else the auth config's, else unknown.
    pub fn from_sources(credentials: &[String], auth_config: &[String], auth_method: Option<&str>) -> Self {
        let source = if !credentials.is_empty() {
            credentials
        } else {
            auth_config
        };
        Access {
            granted_scopes: (!source.is_empty()).then(|| source.iter().cloned().collect()),
            auth_method: auth_method.map(str::to_owned),
        }
    }

    /// Like [`Access::from_sources`], telling "not known" (`None`) from
    /// "known, and nothing granted" (`Some(&[])`) for the auth config: the
    /// credentials' scopes when non-empty; else the auth config's when known
    /// (an empty list grants nothing); else unknown, and scopes do not
    /// restrict. Credentials with no scopes never decide (contract §5.6):
    /// `credentials: []` with an unknown auth config is unknown.
    pub fn from_known(
        credentials: Option<&[String]>,
        auth_config: Option<&[String]>,
        auth_method: Option<&str>,
    ) -> Self {
        let granted = match (credentials, auth_config) {
            (Some(c), _) if !c.is_empty() => Some(c),
            (_, auth_config) => auth_config,
        };
        Access {
            granted_scopes: granted.map(|g| g.iter().cloned().collect()),
            auth_method: auth_method.map(str::to_owned),
        }
    }

    /// The required scope groups that no granted scope satisfies.
    pub fn missing_scopes<'c>(&self, cap: &'c Capability) -> Vec<&'c [String]> {
        let Some(granted) = &self.granted_scopes else {
            return Vec::new();
        };
        cap.required_scopes
            .iter()
            .filter(|group| !group.is_empty() && !group.iter().any(|s| granted.contains(s)))
            .map(Vec::as_slice)
            .collect()
    }

    /// Whether the capability works with the active auth method.
    pub fn auth_method_ok(&self, cap: &Capability) -> bool {
        cap.auth_methods.is_empty()
            || self
                .auth_method
                .as_ref()
                .is_some_and(|m| cap.auth_methods.contains(m))
    }
}
