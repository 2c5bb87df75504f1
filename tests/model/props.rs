//! Property tests: every model type round-trips; no input makes decoding panic.

use proptest::prelude::*;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use switchboard::model::enums::{Layout, SetupStepStatus};
use switchboard::model::error::ErrorBody;
use switchboard::model::filter::{Rule, ToolFilter, ToolFiltersInput};
use switchboard::model::id::{IntegrationSetupSessionStepId, ProviderAuthMethodScopeId, SessionTemplateId};
use switchboard::model::objects::*;
use switchboard::model::request::*;
use switchboard::model::{Metadata, Timestamp, decode};

fn round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(
    value: &T,
) -> Result<(), TestCaseError> {
    let text = serde_json::to_string(value).unwrap();
    let back: T = decode::from_str(&text).map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
    prop_assert_eq!(&back, value);
    // Strict mode accepts everything the encoder writes.
    let strict: T =
        decode::from_str_strict(&text).map_err(|e| TestCaseError::fail(format!("strict: {e}\n{text}")))?;
    prop_assert_eq!(&strict, value);
    Ok(())
}

macro_rules! round_trips {
    ($($name:ident: $ty:ty,)*) => {
        proptest! {
            $(
                #[test]
                fn $name(v in any::<$ty>()) {
                    round_trip(&v)?;
                }
            )*
        }
    };
}

round_trips! {
    rt_session_template: SessionTemplate,
    rt_session_template_provider: SessionTemplateProvider,
    rt_template_list: List<SessionTemplate>,
    rt_provider_tool: ProviderTool,
    rt_provider_tools: ProviderTools,
    rt_setup_session: IntegrationSetupSession,
    rt_setup_step: SetupSessionStep,
    rt_instance: IntegrationInstance,
    rt_instance_provider: InstanceProvider,
    rt_snapshot: IntegrationProviderSnapshot,
    rt_auth_method: AuthMethod,
    rt_auth_credentials: AuthCredentials,
    rt_previews: (DeploymentPreview, ConfigPreview, AuthConfigPreview, ProviderPreview),
    rt_template_auth_config: Option<TemplateAuthConfig>,
    rt_configuration: SetupConfiguration,
    rt_error_body: ErrorBody,
    rt_rule: Rule,
    rt_tool_filter: ToolFilter,
    rt_tool_filters_input: ToolFiltersInput,
    rt_create_template: CreateSessionTemplate,
    rt_update_template: UpdateSessionTemplate,
    rt_create_template_provider: CreateSessionTemplateProvider,
    rt_update_template_provider: UpdateSessionTemplateProvider,
    rt_create_setup_session: CreateIntegrationSetupSession,
    rt_scalars: (Timestamp, SessionTemplateId, ProviderAuthMethodScopeId, IntegrationSetupSessionStepId, Layout, SetupStepStatus, Metadata),
}

/// Decodes `text` as every kind; the point is that nothing panics.
fn decode_all(text: &[u8]) {
    macro_rules! try_all {
        ($($ty:ty),*) => {$(
            let _ = decode::from_slice::<$ty>(text);
            let _ = decode::from_slice_with::<$ty>(text, decode::UnknownKeys::Reject);
        )*};
    }
    try_all!(
        SessionTemplate,
        List<SessionTemplate>,
        ProviderTools,
        IntegrationSetupSession,
        IntegrationInstance,
        InstanceProvider,
        ErrorBody,
        ToolFilter,
        ToolFiltersInput,
        CreateSessionTemplate,
        UpdateSessionTemplate,
        CreateSessionTemplateProvider,
        UpdateSessionTemplateProvider,
        CreateIntegrationSetupSession,
        Timestamp
    );
}

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,16}".prop_map(Value::String),
        prop::sample::select(vec![
            "stm_1",
            "pro_1",
            "2025-01-01T00:00:00Z",
            "allow_all",
            "filter",
            "tool_keys",
            "active"
        ])
        .prop_map(Value::from),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "type",
                    "keys",
                    "pattern",
                    "filters",
                    "id",
                    "name",
                    "providers",
                    "status",
                    "object",
                    "tool_filters",
                    "x"
                ]),
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())),
        ]
    })
}

/// Every leaf path of a document.
fn leaves(v: &Value, path: Vec<String>, out: &mut Vec<Vec<String>>) {
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, c)| leaves(c, [path.clone(), vec![k.clone()]].concat(), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, c)| leaves(c, [path.clone(), vec![i.to_string()]].concat(), out)),
        _ => out.push(path),
    }
}

fn set_at(v: &mut Value, path: &[String], new: Value) {
    let mut cur = v;
    for seg in path {
        cur = match cur {
            Value::Object(m) => m.get_mut(seg).unwrap(),
            Value::Array(a) => &mut a[seg.parse::<usize>().unwrap()],
            _ => unreachable!(),
        };
    }
    *cur = new;
}

proptest! {
    #[test]
    fn depth_read_from_text_is_depth_of_the_value(v in switchboard::model::arbitrary::json_value(), pretty in any::<bool>()) {
        use switchboard::model::codec::{json_depth, json_text_depth};
        let text = if pretty { serde_json::to_string_pretty(&v) } else { serde_json::to_string(&v) }.unwrap();
        prop_assert_eq!(json_text_depth(&text), json_depth(&v, usize::MAX));
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        decode_all(&bytes);
    }

    #[test]
    fn decoding_arbitrary_json_never_panics(v in any_json()) {
        decode_all(serde_json::to_string(&v).unwrap().as_bytes());
    }

    #[test]
    fn decoding_a_mutated_object_never_panics(session in any::<IntegrationSetupSession>(), pick in any::<prop::sample::Index>(), new in any_json()) {
        let mut v = serde_json::to_value(&session).unwrap();
        let mut all = Vec::new();
        leaves(&v, Vec::new(), &mut all);
        if !all.is_empty() {
            let path = pick.get(&all).clone();
            set_at(&mut v, &path, new);
            decode_all(serde_json::to_string(&v).unwrap().as_bytes());
        }
    }
}
