//! Every generated value passes the crates' own validation: the generators
//! behind the `proptest` feature produce only values the crates could have
//! produced themselves.

use proptest::prelude::*;
use switchboard::model::enums::SetupSessionStatus;
use switchboard::model::error::{ErrorBody, ErrorCode};
use switchboard::model::filter::{ToolFilter, ToolFiltersInput};
use switchboard::model::request::{
    CreateSessionTemplate, CreateSessionTemplateProvider, UpdateSessionTemplateProvider,
};
use switchboard::model::{ApiError, decode};
use switchboard::query::{
    DateRange, IntegrationSetupSessions, ListQuery, SessionTemplateProviders, SessionTemplates,
};
use switchboard::setup::{ErrorKind, Event, SetupState, session_status, transition};
use switchboard::toolset::CompiledFilter;

/// The toolset compiles every rule the model generates.
fn compiles(input: &ToolFiltersInput) -> Result<(), TestCaseError> {
    let filter = ToolFilter::from_rules(input.rules().to_vec());
    CompiledFilter::compile(&filter, &[])
        .map(|_| ())
        .map_err(|e| TestCaseError::fail(format!("{e}")))
}

proptest! {
    #[test]
    fn generated_template_bodies_compile_their_filters(body in any::<CreateSessionTemplate>()) {
        for p in &body.providers {
            compiles(p.tool_filters())?;
        }
    }

    #[test]
    fn generated_provider_bodies_compile_their_filters(
        create in any::<CreateSessionTemplateProvider>(),
        update in any::<UpdateSessionTemplateProvider>(),
    ) {
        compiles(create.provider.tool_filters())?;
        if let switchboard::model::Patch::Value(f) = &update.tool_filters {
            compiles(f)?;
        }
    }

    #[test]
    fn generated_output_filters_compile(filter in any::<ToolFilter>()) {
        prop_assert!(CompiledFilter::compile(&filter, &[]).is_ok(), "{:?}", filter);
    }

    #[test]
    fn generated_error_bodies_carry_their_codes_status(body in any::<ErrorBody>()) {
        prop_assert_eq!(body.status, body.code.status());
        prop_assert_eq!(body.errors.is_some(), body.code == ErrorCode::InvalidData);
        let back: ErrorBody = decode::from_str(&serde_json::to_string(&body).unwrap()).unwrap();
        prop_assert_eq!(back, body);
    }

    #[test]
    fn generated_queries_are_what_decoding_gives(
        a in any::<ListQuery<SessionTemplates>>(),
        b in any::<ListQuery<SessionTemplateProviders>>(),
        c in any::<ListQuery<IntegrationSetupSessions>>(),
    ) {
        prop_assert_eq!(ListQuery::<SessionTemplates>::decode(&a.encode()).unwrap(), a);
        prop_assert_eq!(ListQuery::<SessionTemplateProviders>::decode(&b.encode()).unwrap(), b);
        prop_assert_eq!(ListQuery::<IntegrationSetupSessions>::decode(&c.encode()).unwrap(), c);
    }

    #[test]
    fn generated_date_ranges_have_a_bound(r in any::<DateRange>()) {
        prop_assert!(r.gt.is_some() || r.gte.is_some() || r.lt.is_some() || r.lte.is_some());
    }

    #[test]
    fn generated_states_store_and_render(state in any::<SetupState>(), event in any::<Event>()) {
        // A stored state reads back the same.
        let stored = serde_json::to_string(&state).unwrap();
        prop_assert_eq!(&serde_json::from_str::<SetupState>(&stored).unwrap(), &state);
        prop_assert!(!state.steps.is_empty());
        // It renders into an object the model decodes.
        let key = switchboard::setup::secret::ServerKey::from_bytes([3; 32]);
        let secret = switchboard::setup::secret::ClientSecret::derive(&key, &state.id);
        let now = state.updated_at;
        let rendered = switchboard::setup::render(&state, now, "https://setup.example.com", &secret);
        prop_assert_eq!(&rendered.status, &session_status(&state, now));
        let text = serde_json::to_string(&rendered).unwrap();
        prop_assert!(decode::from_str::<switchboard::model::IntegrationSetupSession>(&text).is_ok());
        // Any generated event either applies (one version more, or none) or is refused with a body.
        let event_text = serde_json::to_string(&event).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Event>(&event_text).unwrap(), &event);
        match transition(&state, state.version, &event, now) {
            Ok((next, _)) => prop_assert!(next.version == state.version || next.version == state.version + 1),
            Err(e) => {
                // The refusal's kind follows from the state: an unknown step,
                // a finished session, or an event that does not fit a known step.
                let step = event.step();
                let known = step.map(|id| state.steps.iter().any(|s| &s.id == id));
                let fits = match e.kind() {
                    ErrorKind::UnknownStep => known == Some(false),
                    ErrorKind::Finished => session_status(&state, now) != SetupSessionStatus::Pending,
                    ErrorKind::NotAllowed | ErrorKind::DuplicateId => known == Some(true),
                    _ => false,
                };
                prop_assert!(fits, "{:?} refused {:?}: {}", e.kind(), event, e);
                prop_assert!(e.error_body().status >= 400);
            }
        }
    }
}
