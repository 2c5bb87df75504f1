//! Request bodies: forms accepted, rules enforced, PATCH semantics, template rules.

use serde_json::json;
use switchboard::model::error::ApiError;
use switchboard::model::filter::{Rule, ToolFilter};
use switchboard::model::request::{
    CreateIntegrationSetupSession, CreateSessionTemplate, CreateSessionTemplateProvider,
    UpdateSessionTemplate, UpdateSessionTemplateProvider,
};
use switchboard::model::{Patch, SessionTemplate, Timestamp, decode};

use crate::support::read;

#[test]
fn tool_filters_input_forms_normalise() {
    let cases = [
        (json!(null), 0),
        (json!([]), 0),
        (json!({"type": "tool_keys", "keys": ["a"]}), 1),
        (
            json!([{"type": "tool_regex", "pattern": "^a"}, {"type": "resource_uris", "uris": ["file:///a"]}]),
            2,
        ),
    ];
    for (filters, n) in cases {
        let body =
            json!({"session_template_id": "stm_1", "provider_config_id": "pcf_1", "tool_filters": filters});
        let c: CreateSessionTemplateProvider = decode::from_value(&body).unwrap();
        assert_eq!(c.provider.tool_filters().rules().len(), n, "{filters}");
    }
    let absent: CreateSessionTemplateProvider =
        decode::from_value(&json!({"session_template_id": "stm_1", "provider_config_id": "pcf_1"})).unwrap();
    assert!(absent.provider.tool_filters().is_allow_all());
}

#[test]
fn output_filter_accepts_every_historical_shape() {
    let rule = Rule::ToolKeys {
        keys: vec!["add".into()],
    };
    let cases = [
        (json!({"type": "allow_all"}), ToolFilter::allow_all()),
        (
            json!({"type": "v1.allow_all", "ignore_parent_filters": true}),
            ToolFilter::AllowAll {
                ignore_parent_filters: true,
            },
        ),
        (
            json!({"type": "filter", "filters": [{"type": "tool_keys", "keys": ["add"]}]}),
            ToolFilter::from_rules(vec![rule.clone()]),
        ),
        (
            json!({"type": "v1.filter", "filters": [{"type": "tool_keys", "keys": ["add"]}], "ignore_parent_filters": null}),
            ToolFilter::from_rules(vec![rule.clone()]),
        ),
        (
            json!({"type": "tool_keys", "keys": ["add"]}),
            ToolFilter::from_rules(vec![rule.clone()]),
        ),
        (
            json!([{"type": "tool_keys", "keys": ["add"]}]),
            ToolFilter::from_rules(vec![rule.clone()]),
        ),
        (
            json!({"tool_keys": ["add"]}),
            ToolFilter::from_rules(vec![rule.clone()]),
        ),
        (json!([]), ToolFilter::allow_all()),
    ];
    for (input, expected) in cases {
        let got: ToolFilter = decode::from_value(&input).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(got, expected, "{input}");
    }
}

#[test]
fn a_provider_entry_needs_one_of_three_ids() {
    let err = decode::from_value::<CreateSessionTemplate>(
        &json!({"name": "a", "providers": [{"provider_config_id": "pcf_1"}, {}]}),
    )
    .unwrap_err();
    insta::assert_snapshot!(err, @"providers[1]: a template provider needs at least one of `provider_deployment_id`, `provider_config_id`, `provider_auth_config_id`");
}

#[test]
fn at_most_100_providers() {
    let one = json!({"provider_config_id": "pcf_1"});
    let ok: CreateSessionTemplate =
        decode::from_value(&json!({"name": "a", "providers": vec![one.clone(); 100]})).unwrap();
    assert_eq!(ok.providers.len(), 100);
    let err = decode::from_value::<CreateSessionTemplate>(&json!({"name": "a", "providers": vec![one; 101]}))
        .unwrap_err();
    insta::assert_snapshot!(err, @"providers: more than the limit of 100 providers in a template");
}

#[test]
fn names_are_trimmed_and_not_blank() {
    let ok: CreateSessionTemplate =
        decode::from_value(&json!({"name": "  a b ", "description": " d "})).unwrap();
    assert_eq!((ok.name.as_str(), ok.description.as_deref()), ("a b", Some("d")));
    let err = decode::from_value::<CreateSessionTemplate>(&json!({"name": " \t\n"})).unwrap_err();
    insta::assert_snapshot!(err, @"name: name must not be blank");
    let err = decode::from_value::<UpdateSessionTemplate>(&json!({"name": null})).unwrap_err();
    insta::assert_snapshot!(err, @"name: name cannot be null");
}

#[test]
fn patch_keeps_absent_null_and_value_apart() {
    let cases = [
        (json!({}), Patch::Absent),
        (json!({"tool_filters": null}), Patch::Null),
        (json!({"tool_filters": []}), Patch::Value(Default::default())),
    ];
    for (input, expected) in cases {
        let u: UpdateSessionTemplateProvider = decode::from_value(&input).unwrap();
        assert_eq!(u.tool_filters, expected, "{input}");
        assert_eq!(serde_json::to_value(&u).unwrap(), input);
    }
}

#[test]
fn strict_mode_reports_every_unknown_key_with_its_path() {
    let json = r#"{"name": "a", "colour": 1, "providers": [{"provider_config_id": "pcf_1", "extra": true,
                   "tool_filters": [{"type": "tool_keys", "keys": [], "note": "x"}]}],
                   "configuration": {"ui": {"layout": "box", "theme": "dark"}}}"#;
    assert!(decode::from_str::<CreateSessionTemplate>(json).is_ok());
    let err = decode::from_str_strict::<CreateSessionTemplate>(json).unwrap_err();
    insta::assert_snapshot!(err, @"colour: unknown key `colour`; providers[0].extra: unknown key `extra`; providers[0].tool_filters[0].note: unknown key `note`; configuration: unknown key `configuration`");
    let err = decode::from_str_strict::<CreateIntegrationSetupSession>(
        r#"{"integration_id": "int_1", "name": "x", "configuration": {"ui": {"layout": "box", "theme": "dark"}}}"#,
    )
    .unwrap_err();
    insta::assert_snapshot!(err, @"configuration.ui.theme: unknown key `theme`");
}

#[test]
fn setup_session_configuration_accepts_single_objects() {
    let body: CreateIntegrationSetupSession = decode::from_value(&json!({
        "integration_id": "int_1", "name": "x", "private_metadata": {"secret": 1},
        "configuration": {"provider_search": {"groups": {"group_id": "pgr_1"}, "categories": [{"category_id": "pca_1"}, {"category_id": "pca_2"}]}}
    }))
    .unwrap();
    let out = serde_json::to_value(&body).unwrap();
    assert_eq!(
        out["configuration"],
        json!({"provider_search": {"groups": [{"group_id": "pgr_1"}], "collections": [], "categories": [{"category_id": "pca_1"}, {"category_id": "pca_2"}]},
               "tool_filters": {"enabled": false}, "ui": {"layout": "box"}})
    );
}

fn template() -> SessionTemplate {
    decode::from_str(&read("objects/session-template.json")).unwrap()
}

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

#[test]
fn update_applies_patch_semantics() {
    let mut t = template();
    let u: UpdateSessionTemplate =
        decode::from_value(&json!({"description": "  new  ", "metadata": null})).unwrap();
    t.apply_update(u, at("2026-02-01T00:00:00Z")).unwrap();
    assert_eq!(t.name, "Production Template");
    assert_eq!(t.description.as_deref(), Some("new"));
    assert_eq!(t.metadata, None);
    assert_eq!(t.updated_at, at("2026-02-01T00:00:00Z"));
}

#[test]
fn archive_takes_the_providers_and_then_refuses_changes() {
    let mut t = template();
    let before = t.providers.len();
    assert!(before > 0);
    let now = at("2026-02-01T00:00:00Z");
    let archived = t.archive(now).unwrap();
    assert_eq!(t.status.as_str(), "archived");
    assert_eq!(archived.len(), before);
    assert!(
        archived
            .iter()
            .all(|p| p.status.as_str() == "archived" && p.updated_at == now)
    );
    assert!(t.archive(now).unwrap().is_empty()); // idempotent
    let err = t.apply_update(UpdateSessionTemplate::default(), now).unwrap_err();
    insta::assert_snapshot!(err, @"session.template `stm_2bCdEfGhJkLmNpQr` is archived and cannot be changed");
    assert_eq!(err.error_body().code.as_str(), "gone");
    let err = t.ensure_can_add_providers(1).unwrap_err();
    insta::assert_snapshot!(serde_json::to_string(&err.error_body()).unwrap(), @r#"{"object":"error","ok":false,"status":400,"code":"use_after_delete","message":"session.template `stm_2bCdEfGhJkLmNpQr` is archived; nothing can be added to it","entity":"session.template","id":"stm_2bCdEfGhJkLmNpQr"}"#);
}

#[test]
fn an_archived_template_lists_no_archived_providers() {
    // `providers` holds active providers only; archiving keeps the wire form true
    // without help from the caller.
    let mut t = template();
    t.archive(at("2026-02-01T00:00:00Z")).unwrap();
    let wire = serde_json::to_value(&t).unwrap();
    assert_eq!(wire["status"], "archived");
    assert_eq!(wire["providers"], serde_json::json!([]));
}

#[test]
fn adding_past_100_active_providers_is_refused() {
    let mut t = template();
    let p = t.providers[0].clone();
    t.providers = vec![p; 99];
    t.ensure_can_add_providers(1).unwrap();
    let err = t.ensure_can_add_providers(2).unwrap_err();
    insta::assert_snapshot!(err, @"providers: a template may have at most 100 active providers; it has 99 and 2 more were given");
}

#[test]
fn names_of_only_invisible_characters_are_blank() {
    use switchboard::model::request::Name;
    for text in [
        "\u{200B}",
        " \u{FEFF}\u{2060} ",
        "\u{0007}\u{0000}",
        "\u{00AD}\u{200D}",
    ] {
        let err = Name::new(text).unwrap_err();
        assert_eq!(err.kind(), switchboard::model::ErrorKind::BlankName, "{text:?}");
    }
    // Visible text around invisible characters is a name.
    assert_eq!(Name::new("\u{200B}Acme").unwrap().as_str(), "\u{200B}Acme");
    let err = decode::from_str::<CreateSessionTemplate>("{\"name\": \"\\u200b\\u200b\"}").unwrap_err();
    insta::assert_snapshot!(err, @"name: name must not be blank");
}

#[test]
fn numbers_in_metadata_survive_a_round_trip_exactly() {
    for n in [
        "18446744073709551616",
        "0.30000000000000000000001",
        "1e-400",
        "-0",
        "1.0",
        "123456789012345678901234567890",
    ] {
        let body = format!(r#"{{"name": "a", "metadata": {{"n": {n}, "nested": [{n}]}}}}"#);
        let t: CreateSessionTemplate = decode::from_str(&body).unwrap();
        let out = serde_json::to_string(&t).unwrap();
        assert!(
            out.contains(&format!(r#""n":{n}"#)) && out.contains(&format!("[{n}]")),
            "{n}: {out}"
        );
    }
}

#[test]
fn a_redirect_url_is_an_absolute_web_url() {
    let decode_url = |url: &str| {
        let body = json!({"integration_id": "int_a", "name": "x", "redirect_url": url}).to_string();
        decode::from_str::<CreateIntegrationSetupSession>(&body).map(|b| b.redirect_url)
    };
    for ok in ["https://app.example.com/done?x=1", "http://localhost:3000/cb"] {
        assert_eq!(decode_url(ok).unwrap().as_deref(), Some(ok), "kept as written");
    }
    let long = format!("https://a.example/{}", "x".repeat(2048));
    let errors: Vec<String> = [
        "example_redirect_url",
        "javascript:alert(1)",
        "/done",
        "https://a b.example",
        &long,
    ]
    .iter()
    .map(|u| decode_url(u).unwrap_err().to_string())
    .collect();
    insta::assert_snapshot!(errors.join("\n"), @"
    redirect_url: expected an absolute `http` or `https` URL such as `https://app.example.com/done` (relative URL without a base)
    redirect_url: expected an absolute `http` or `https` URL, found scheme `javascript`
    redirect_url: expected an absolute `http` or `https` URL such as `https://app.example.com/done` (relative URL without a base)
    redirect_url: the URL has a space or control character at byte 9
    redirect_url: the URL is 2066 bytes, more than the limit of 2048
    ");
}
