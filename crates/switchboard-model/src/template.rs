//! The session-template rules that belong with the data (contract §3): applying a
//! PATCH body, archiving with the providers, refusing to change a template
//! that is archived or deleted, and the provider limit.
//!
//! ```
//! use switchboard_model::{decode, SessionTemplate, Timestamp};
//! use switchboard_model::request::UpdateSessionTemplate;
//! use switchboard_model::error::ApiError;
//!
//! # let json = r#"{"object":"session.template","id":"stm_1","status":"active","name":"A","description":null,
//! #   "metadata":null,"providers":[],"created_at":"2026-01-01T00:00:00.000Z","updated_at":"2026-01-01T00:00:00.000Z"}"#;
//! let mut template: SessionTemplate = decode::from_str(json)?;
//! let now: Timestamp = "2026-02-01T00:00:00.000Z".parse()?;
//!
//! let patch: UpdateSessionTemplate = decode::from_str(r#"{"name": " B ", "description": null}"#)?;
//! template.apply_update(patch, now)?;
//! assert_eq!(template.name, "B");
//!
//! template.archive(now)?;
//! let err = template.apply_update(UpdateSessionTemplate::default(), now).unwrap_err();
//! assert_eq!(err.error_body().status, 410);
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::enums::SessionTemplateStatus;
use crate::error::{Error, FieldError, PathSegment};
use crate::id::SessionTemplateId;
use crate::objects::{SessionTemplate, SessionTemplateProvider};
use crate::patch::Patch;
use crate::request::{
    CreateSessionTemplate, MAX_TEMPLATE_PROVIDERS, UpdateSessionTemplate, UpdateSessionTemplateProvider,
};
use crate::timestamp::Timestamp;

const ENTITY: &str = "session.template";

impl SessionTemplate {
    /// The template a `POST /session-templates` body creates, with its
    /// providers already built (see
    /// [`crate::catalog::ResolvedEntry::into_template_provider`]); they are
    /// kept sorted by id, as the API lists them.
    pub fn create(
        id: SessionTemplateId,
        body: CreateSessionTemplate,
        mut providers: Vec<SessionTemplateProvider>,
        now: Timestamp,
    ) -> SessionTemplate {
        providers.sort_by(|a, b| a.id.cmp(&b.id));
        SessionTemplate {
            object: crate::tags::SessionTemplate,
            id,
            status: SessionTemplateStatus::Active,
            name: body.name.into_string(),
            description: body.description,
            metadata: body.metadata,
            providers,
            integration_instance_id: Patch::Absent,
            integration_instance_group_id: Patch::Absent,
            identity_actor_id: Patch::Absent,
            identity_id: Patch::Absent,
            created_at: now,
            updated_at: now,
        }
    }

    /// Fails with `gone` unless the template is active.
    pub fn ensure_changeable(&self) -> Result<(), Error> {
        match self.status {
            SessionTemplateStatus::Active => Ok(()),
            ref other => Err(Error::gone(ENTITY, self.id.as_str(), other.as_str())),
        }
    }

    /// Applies `PATCH /session-templates/{id}`: absent keys stay, `null` clears,
    /// values replace. Archived or deleted templates are `gone`.
    pub fn apply_update(&mut self, update: UpdateSessionTemplate, now: Timestamp) -> Result<(), Error> {
        self.ensure_changeable()?;
        if let Some(name) = update.name {
            self.name = name.into_string();
        }
        update
            .description
            .map_value(|d| d.trim().to_owned())
            .apply_to(&mut self.description);
        update.metadata.apply_to(&mut self.metadata);
        self.updated_at = now;
        Ok(())
    }

    /// `DELETE /session-templates/{id}`: archives the template and every
    /// provider, and returns the providers it archived (for a store to write).
    ///
    /// `providers` lists active providers only, so an archived template's
    /// list is empty: the wire form and the invariant agree without help from
    /// the caller. Archiving an archived template changes nothing and returns
    /// no providers; a deleted one is `gone`.
    pub fn archive(&mut self, now: Timestamp) -> Result<Vec<SessionTemplateProvider>, Error> {
        match self.status {
            SessionTemplateStatus::Archived => return Ok(Vec::new()),
            SessionTemplateStatus::Active => {}
            ref other => {
                return Err(Error::gone(ENTITY, self.id.as_str(), other.as_str()));
            }
        }
        self.status = SessionTemplateStatus::Archived;
        self.updated_at = now;
        let mut archived = std::mem::take(&mut self.providers);
        for p in &mut archived {
            if p.status == SessionTemplateStatus::Active {
                p.status = SessionTemplateStatus::Archived;
                p.updated_at = now;
            }
        }
        Ok(archived)
    }

    /// Checks that `count` more providers may be added: the template must be
    /// active (else `use_after_delete`) and stay within [`MAX_TEMPLATE_PROVIDERS`]
    /// active providers (else `invalid_data` at `providers`).
    pub fn ensure_can_add_providers(&self, count: usize) -> Result<(), Error> {
        if self.status != SessionTemplateStatus::Active {
            return Err(Error::use_after_delete(
                ENTITY,
                self.id.as_str(),
                self.status.as_str(),
            ));
        }
        let active = self
            .providers
            .iter()
            .filter(|p| p.status == SessionTemplateStatus::Active)
            .count();
        if active + count > MAX_TEMPLATE_PROVIDERS {
            return Err(Error::invalid(vec![FieldError::new(
                "too_big",
                format!(
                    "a template may have at most {MAX_TEMPLATE_PROVIDERS} active providers; it has {active} and {count} more were given"
                ),
                vec![PathSegment::from("providers")],
            )]));
        }
        Ok(())
    }
}

const PROVIDER_ENTITY: &str = "session.template.provider";

impl SessionTemplateProvider {
    /// Applies `PATCH /session-template-providers/{id}`: an absent
    /// `tool_filters` keeps the filter, `null` resets it to allow-all, a value
    /// replaces it. An archived or deleted provider is `gone`.
    pub fn apply_update(
        &mut self,
        update: UpdateSessionTemplateProvider,
        now: Timestamp,
    ) -> Result<(), Error> {
        if self.status != SessionTemplateStatus::Active {
            return Err(Error::gone(
                PROVIDER_ENTITY,
                self.id.as_str(),
                self.status.as_str(),
            ));
        }
        match update.tool_filters {
            Patch::Absent => {}
            Patch::Null => self.tool_filter = crate::filter::ToolFilter::allow_all(),
            Patch::Value(filters) => self.tool_filter = filters.to_tool_filter(),
        }
        self.updated_at = now;
        Ok(())
    }

    /// `DELETE /session-template-providers/{id}`: archives an active provider
    /// (anything else is left as it is).
    pub fn archive(&mut self, now: Timestamp) {
        if self.status == SessionTemplateStatus::Active {
            self.status = SessionTemplateStatus::Archived;
            self.updated_at = now;
        }
    }
}
