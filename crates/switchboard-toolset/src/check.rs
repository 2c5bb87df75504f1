//! Per-call checks: a tool call, prompt fetch or resource read against a resolution.

use crate::capability::{Capability, Kind};
use crate::decision::decide;
use crate::error::Error;
use crate::resolve::{ProviderEntry, Resolution};

impl Resolution<'_> {
    /// The check before a call of `kind` named `name`: the provider and
    /// capability it routes to, or why it is refused
    /// ([`crate::ErrorKind::UnknownCapability`] or [`crate::ErrorKind::Denied`]).
    pub fn check(&self, kind: Kind, name: &str) -> Result<(usize, usize), Error> {
        if let Some(at) = self.route(kind, name) {
            return Ok(at);
        }
        let known = self
            .entries
            .iter()
            .find(|e| e.name == name && self.capability(e).kind == kind);
        Err(match known {
            Some(e) => Error::denied(name, e.decision.clone()),
            None => Error::unknown(kind, name),
        })
    }

    /// [`Resolution::check`] for a tool call.
    pub fn check_tool(&self, name: &str) -> Result<(usize, usize), Error> {
        self.check(Kind::Tool, name)
    }

    /// [`Resolution::check`] for a prompt fetch.
    pub fn check_prompt(&self, name: &str) -> Result<(usize, usize), Error> {
        self.check(Kind::Prompt, name)
    }
}

/// Checks a resource read of `uri` through `provider`: URIs are not listed
/// ahead of time, so the read is decided when it happens.
pub fn check_resource(provider: &ProviderEntry, uri: &str) -> Result<(), Error> {
    let read = Capability::new(Kind::ResourceRead, uri);
    if let Some((_, len)) = read.overlong_key() {
        let path = vec![switchboard_model::error::PathSegment::from("uri")];
        return Err(Error::key_too_long(path, len, read.max_key_len()));
    }
    let decision = decide(&provider.chain, &provider.access, &read);
    if decision.is_allowed() {
        Ok(())
    } else {
        Err(Error::denied(uri, decision))
    }
}
