//! The parts of the document the types cannot give: list and path
//! parameters, and the rules the decoders and the server check that the
//! generated request schemas do not say.

use serde_json::{Map, Value, json};

/// The pattern of an id of kind `prefix` as a caller writes it (its
/// canonical prefix; aliases are accepted too, and left out here).
pub(super) fn id_pattern(prefix: &str) -> String {
    format!(
        "^{prefix}_[0-9A-Za-z]{{1,{}}}$",
        switchboard_model::id::MAX_BODY_LEN
    )
}

/// The id kind (prefix) of a filter parameter, `own` for `id`.
pub(super) fn filter_prefix(name: &str, own: &'static str) -> Option<&'static str> {
    use switchboard_model::id::*;
    Some(match name {
        "id" => own,
        "session_template_id" => SessionTemplateId::PREFIX,
        "session_id" => SessionId::PREFIX,
        "session_provider_id" => SessionProviderId::PREFIX,
        "provider_id" => ProviderId::PREFIX,
        "provider_deployment_id" => ProviderDeploymentId::PREFIX,
        "provider_config_id" => ProviderConfigId::PREFIX,
        "provider_auth_config_id" => ProviderAuthConfigId::PREFIX,
        "integration_id" => IntegrationId::PREFIX,
        "integration_instance_id" => IntegrationInstanceId::PREFIX,
        _ => return None,
    })
}

/// The statuses a list of objects with ids of kind `own` filters on.
pub(super) fn statuses(own: &str) -> &'static [&'static str] {
    use switchboard_model::enums::{SetupSessionListStatus, TemplateListStatus};
    if own == switchboard_model::id::IntegrationSetupSessionId::PREFIX {
        SetupSessionListStatus::VALUES
    } else {
        TemplateListStatus::VALUES
    }
}

/// A list's query parameters: pagination, then the resource's filters;
/// `own` is the prefix of the listed objects' ids.
pub(super) fn list_parameters(filters: &[&str], own: &'static str) -> Vec<Value> {
    let own_id = json!({"type": "string", "pattern": id_pattern(own)});
    let cursor_max = switchboard_query::cursor::MAX_CURSOR_LEN;
    let mut params = vec![
        json!({"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
               "description": "Page size; an integral number written as a float (`10.0`) is accepted."}),
        json!({"name": "after", "in": "query", "schema": own_id, "description": "The page after this id."}),
        // Read only when no earlier position is given (the first present of
        // `after`, `before`, `cursor` wins; the others are not read, as the
        // service does), so no pattern can be promised for them alone.
        json!({"name": "before", "in": "query", "schema": {"type": "string"},
               "description": format!("The page before this id (`{}`); not read when `after` is given.", id_pattern(own))}),
        json!({"name": "cursor", "in": "query", "schema": {"type": "string"},
               "description": format!("An opaque position from a previous page (`^cur_[0-9A-Za-z]{{1,{}}}$`, only cursors this server issued); not read when `after` or `before` is given.", cursor_max - 4)}),
        json!({"name": "order", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"]}}),
    ];
    for name in filters {
        params.push(if name.ends_with("_at") {
            let bound = json!({"type": "string", "format": "date-time"});
            json!({"name": name, "in": "query", "style": "deepObject", "explode": true,
                   "description": "Bounds `gt`, `gte`, `lt`, `lte`; any other is `400`.",
                   "schema": {"type": "object", "properties": {"gt": bound, "gte": bound, "lt": bound, "lte": bound}}})
        } else {
            let item = match (filter_prefix(name, own), *name) {
                (Some(prefix), _) => json!({"type": "string", "pattern": id_pattern(prefix)}),
                (None, "status") => json!({"type": "string", "enum": statuses(own)}),
                (None, _) => json!({"type": "string", "minLength": 1}),
            };
            json!({"name": name, "in": "query", "style": "form", "explode": true,
                   "schema": {"type": "array", "items": item},
                   "description": "Repeated or bracketed (`name[]=`, `name[0]=`) values; any one matches (commas do not separate, as in `qs`)."})
        });
    }
    params
}

/// What the request schemas generated from the types cannot say by
/// themselves, written into them: rules the decoders and the server check.
pub(super) fn tighten(schemas: &mut Map<String, Value>) {
    // A provider entry names at least one of three ids (and not as `null`).
    let one_of_three: Vec<Value> = [
        "provider_deployment_id",
        "provider_config_id",
        "provider_auth_config_id",
    ]
    .iter()
    .map(|k| json!({"required": [k], "properties": {*k: {"type": "string"}}}))
    .collect();
    for name in ["TemplateProviderInput", "CreateSessionTemplateProvider"] {
        if let Some(s) = schemas.get_mut(name) {
            s["anyOf"] = Value::from(one_of_three.clone());
        }
    }
    if let Some(props) = schemas
        .get_mut("CreateIntegrationSetupSession")
        .and_then(|s| s.get_mut("properties"))
    {
        // An absolute http(s) URL the WHATWG parser takes (the server
        // takes more: any absolute http(s) URL of at most 2,048 bytes).
        props["redirect_url"] = json!({
            "type": ["string", "null"],
            "maxLength": switchboard_model::request::MAX_REDIRECT_URL_LEN,
            "pattern": "^https?://([A-Za-z0-9-]+\\.)*[A-Za-z][A-Za-z0-9-]*(:[0-9]{1,4})?(/[A-Za-z0-9._~!$&'()*+,;=:@/-]*)?$",
            "description": "Where the page sends the user when done: an absolute `http` or `https` URL.",
        });
        // In the future: this document says from the year 2090 on (the
        // server takes any time after the request's).
        if let Some(e) = props.get_mut("expires_at") {
            e["pattern"] = Value::from(
                "^(209[0-9]|2[1-9][0-9]{2}|[3-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\\.[0-9]{3}Z$",
            );
        }
    }
    // Patterns are JavaScript regular expressions, checked when written.
    if let Some(Value::Array(rules)) = schemas.get_mut("Rule").and_then(|r| r.get_mut("oneOf")) {
        for rule in rules {
            if let Some(p) = rule.get_mut("properties").and_then(|p| p.get_mut("pattern")) {
                p["format"] = Value::from("regex");
            }
        }
    }
}
