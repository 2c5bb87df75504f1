//! The session-template rules that belong with the data (SPEC §3): applying a
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
use crate::error::{DomainError, FieldError, PathSegment};
use crate::objects::SessionTemplate;
use crate::request::{MAX_TEMPLATE_PROVIDERS, UpdateSessionTemplate};
use crate::timestamp::Timestamp;

const ENTITY: &str = "session.template";

impl SessionTemplate {
    /// Fails with `gone` unless the template is active.
    pub fn ensure_changeable(&self) -> Result<(), DomainError> {
        match self.status {
            SessionTemplateStatus::Active => Ok(()),
            ref other => Err(DomainError::Gone {
                entity: ENTITY,
                id: self.id.to_string(),
                status: other.to_string(),
            }),
        }
    }

    /// Applies `PATCH /session-templates/{id}`: absent keys stay, `null` clears,
    /// values replace. Archived or deleted templates are `gone`.
    pub fn apply_update(&mut self, update: UpdateSessionTemplate, now: Timestamp) -> Result<(), DomainError> {
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

    /// `DELETE /session-templates/{id}`: archives the template and every provider.
    /// Archiving an archived template changes nothing; a deleted one is `gone`.
    pub fn archive(&mut self, now: Timestamp) -> Result<(), DomainError> {
        match self.status {
            SessionTemplateStatus::Archived => return Ok(()),
            SessionTemplateStatus::Active => {}
            ref other => {
                return Err(DomainError::Gone {
                    entity: ENTITY,
                    id: self.id.to_string(),
                    status: other.to_string(),
                });
            }
        }
        self.status = SessionTemplateStatus::Archived;
        self.updated_at = now;
        for p in &mut self.providers {
            if p.status == SessionTemplateStatus::Active {
                p.status = SessionTemplateStatus::Archived;
                p.updated_at = now;
            }
        }
        Ok(())
    }

    /// Checks that `count` more providers may be added: the template must be
    /// active (else `use_after_delete`) and stay within [`MAX_TEMPLATE_PROVIDERS`]
    /// active providers (else `invalid_data` at `providers`).
    pub fn ensure_can_add_providers(&self, count: usize) -> Result<(), DomainError> {
        if self.status != SessionTemplateStatus::Active {
            return Err(DomainError::UseAfterDelete {
                entity: ENTITY,
                id: self.id.to_string(),
                status: self.status.to_string(),
            });
        }
        let active = self
            .providers
            .iter()
            .filter(|p| p.status == SessionTemplateStatus::Active)
            .count();
        if active + count > MAX_TEMPLATE_PROVIDERS {
            return Err(DomainError::Invalid(FieldError::new(
                "too_big",
                format!(
                    "a template may have at most {MAX_TEMPLATE_PROVIDERS} active providers; it has {active} and {count} more were given"
                ),
                vec![PathSegment::from("providers")],
            )));
        }
        Ok(())
    }
}
