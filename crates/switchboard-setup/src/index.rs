//! Which step holds each child and instance provider id: derived from the
//! steps, so that an event can tell an id of its own step from another
//! step's in constant time, however many steps and children there are.

use std::collections::HashMap;

use switchboard_model::id::{IntegrationInstanceProviderId, ProviderSetupSessionId};

use crate::state::Step;

/// The index of a state's ids, valid for the state version it was built at.
/// It is no part of the state's value: never stored, equal to any other.
#[derive(Clone, Default)]
pub(crate) struct IdIndex {
    built_at: Option<u64>,
    children: HashMap<ProviderSetupSessionId, usize>,
    instance_providers: HashMap<IntegrationInstanceProviderId, usize>,
}

impl IdIndex {
    /// Made current for `steps` at `version`: rebuilt unless it was kept up
    /// to date through that version (a state read from storage, or changed
    /// by other means, is indexed again).
    pub(crate) fn refresh(&mut self, steps: &[Step], version: u64) {
        if self.built_at == Some(version) {
            return;
        }
        self.children.clear();
        self.instance_providers.clear();
        for (i, step) in steps.iter().enumerate() {
            for child in step
                .replaced
                .iter()
                .map(|r| &r.id)
                .chain(step.child.iter().map(|c| &c.id))
            {
                self.children.entry(child.clone()).or_insert(i);
            }
            if let Some(p) = &step.instance_provider {
                self.instance_providers.entry(p.id.clone()).or_insert(i);
            }
        }
        self.built_at = Some(version);
    }

    /// The step holding child `id`.
    pub(crate) fn child(&self, id: &ProviderSetupSessionId) -> Option<usize> {
        self.children.get(id).copied()
    }

    /// The step holding instance provider `id`.
    pub(crate) fn instance_provider(&self, id: &IntegrationInstanceProviderId) -> Option<usize> {
        self.instance_providers.get(id).copied()
    }

    /// After a change at `version - 1` became `version`: what step `i` now holds.
    pub(crate) fn record(&mut self, step: &Step, i: usize, version: u64) {
        if self.built_at != Some(version - 1) {
            self.built_at = None;
            return;
        }
        if let Some(c) = &step.child {
            self.children.entry(c.id.clone()).or_insert(i);
        }
        if let Some(p) = &step.instance_provider {
            self.instance_providers.entry(p.id.clone()).or_insert(i);
        }
        self.built_at = Some(version);
    }

    /// The version after a change that touched no step's ids.
    pub(crate) fn carry(&mut self, version: u64) {
        if self.built_at == Some(version - 1) {
            self.built_at = Some(version);
        } else {
            self.built_at = None;
        }
    }
}

impl PartialEq for IdIndex {
    fn eq(&self, _: &IdIndex) -> bool {
        true
    }
}

impl Eq for IdIndex {}

impl std::fmt::Debug for IdIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IdIndex")
    }
}
