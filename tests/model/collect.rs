//! Request bodies that list every independent problem (`decode::from_slice_collecting`).

use switchboard::model::decode;
use switchboard::model::request::{CreateIntegrationSetupSession, CreateSessionTemplate};

use crate::support::read;

#[test]
fn a_request_body_lists_every_independent_problem() {
    use decode::{UnknownKeys::*, from_slice_collecting};
    let lines = |e: &switchboard::model::Error| {
        e.errors()
            .iter()
            .map(|f| {
                format!(
                    "{}: {}",
                    switchboard::model::error::DisplayPath(&f.path),
                    f.message
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    // The seed's example: three placeholder ids and the placeholder rule type,
    // but not "at least one id", which only follows from setting them aside.
    let seed = read("objects/seed/session-template.create.json");
    let err = from_slice_collecting::<CreateSessionTemplate>(seed.as_bytes(), Ignore).unwrap_err();
    insta::assert_snapshot!(lines(&err), @"
    providers.provider_deployment_id: expected a provider deployment id (prefix `pde_` or `pdp_`), found unknown prefix `example_`
    providers.provider_auth_config_id: expected a provider auth config id (prefix `pac_`), found unknown prefix `example_`
    providers.provider_config_id: expected a provider config id (prefix `pcf_`), found unknown prefix `example_`
    providers.tool_filters.type: unknown rule type `example_type`, expected one of `allow_all`, `filter`, `v1.allow_all`, `v1.filter`, `tool_keys`, `tool_regex`, `prompt_keys`, `prompt_regex`, `resource_regex`, `resource_uris`
    ");
    let seed = read("objects/seed/integration-setup-session.create.json");
    let err = from_slice_collecting::<CreateIntegrationSetupSession>(seed.as_bytes(), Ignore).unwrap_err();
    insta::assert_snapshot!(lines(&err), @"
    integration_id: expected an integration id (prefix `int_`), found unknown prefix `example_`
    configuration.provider_search.categories.category_id: expected a provider category id (prefix `pca_`), found unknown prefix `example_`
    configuration.provider_search.collections.collection_id: expected a provider collection id (prefix `pco_`), found unknown prefix `example_`
    configuration.provider_search.groups.group_id: expected a provider group id (prefix `pgr_`), found unknown prefix `example_`
    identity_actor_id: expected an identity actor id (prefix `iac_`), found unknown prefix `example_`
    identity_id: expected an identity id (prefix `idn_`), found unknown prefix `example_`
    redirect_url: expected an absolute `http` or `https` URL such as `https://app.example.com/done` (relative URL without a base)
    ");
    // A required key set aside is not reported as missing; the first error is the plain decoder's.
    let body =
        br#"{"name": 5, "providers": [{"provider_deployment_id": "pde_1", "tool_filters": {"type": "x"}}]}"#;
    let err = from_slice_collecting::<CreateSessionTemplate>(body, Ignore).unwrap_err();
    assert_eq!(
        err.errors()[0],
        decode::from_slice::<CreateSessionTemplate>(body)
            .unwrap_err()
            .errors()[0]
    );
    insta::assert_snapshot!(lines(&err), @"
    name: expected a string, received number
    providers[0].tool_filters.type: unknown rule type `x`, expected one of `allow_all`, `filter`, `v1.allow_all`, `v1.filter`, `tool_keys`, `tool_regex`, `prompt_keys`, `prompt_regex`, `resource_regex`, `resource_uris`
    ");
    // Unknown keys in strict mode come all at once, as before.
    let body = br#"{"name": "x", "nmae": 1, "descripton": 2}"#;
    let err = from_slice_collecting::<CreateSessionTemplate>(body, Reject).unwrap_err();
    assert_eq!(
        err,
        decode::from_slice_with::<CreateSessionTemplate>(body, Reject).unwrap_err()
    );
    // A body wrong in every field: each problem is listed.
    let body = br#"{"integration_id": "x", "identity_actor_id": "x", "identity_id": "x", "name": 1,
        "description": 2, "expires_at": "soon", "metadata": [],
        "configuration": {"ui": {"layout": "grid"}, "tool_filters": {"enabled": "yes"},
            "provider_search": {"groups": {"group_id": "x"}, "collections": {"collection_id": "x"},
                                "categories": {"category_id": "x"}}}}"#;
    let err = from_slice_collecting::<CreateIntegrationSetupSession>(body, Ignore).unwrap_err();
    // (A one-or-many id costs two decodes: its key, then the entry that now lacks it.)
    insta::assert_snapshot!(lines(&err), @"
    integration_id: expected an integration id (prefix `int_`), found `x` which has no prefix
    configuration.provider_search.categories.category_id: expected a provider category id (prefix `pca_`), found `x` which has no prefix
    configuration.provider_search.collections.collection_id: expected a provider collection id (prefix `pco_`), found `x` which has no prefix
    configuration.provider_search.groups.group_id: expected a provider group id (prefix `pgr_`), found `x` which has no prefix
    configuration.tool_filters.enabled: expected a boolean, received string
    configuration.ui.layout: unknown layout `grid`, expected one of `box`, `side`, `light`
    description: expected a string, received number
    expires_at: `soon` is not an RFC 3339 timestamp such as `2025-09-15T10:30:00.000Z`
    identity_actor_id: expected an identity actor id (prefix `iac_`), found `x` which has no prefix
    identity_id: expected an identity id (prefix `idn_`), found `x` which has no prefix
    metadata: expected a map, received array
    name: expected a string, received number
    ");
    // The work is bounded by bytes too: a 1 MiB body gets four more decodes.
    let padded = String::from_utf8_lossy(body).replace(
        r#""metadata": []"#,
        &format!(r#""metadata": {{"pad": "{}"}}"#, "x".repeat(1 << 20)),
    );
    let err = from_slice_collecting::<CreateIntegrationSetupSession>(padded.as_bytes(), Ignore).unwrap_err();
    let n = err.errors().len();
    assert!((2..=1 + decode::MAX_RETRY_BYTES / (1 << 20)).contains(&n), "{n}");
    // A document that decodes is returned as is.
    let ok = from_slice_collecting::<CreateSessionTemplate>(br#"{"name": "x"}"#, Ignore).unwrap();
    assert_eq!(ok, decode::from_str(r#"{"name": "x"}"#).unwrap());
}
