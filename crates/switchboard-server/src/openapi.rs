//! `GET /openapi.json`: the API as an OpenAPI 3.1 document, built from the
//! types. Response schemas come from the model types as they encode
//! (`schemars`, serialize contract), request bodies from the request types
//! as they decode, list parameters from the query crate's filters; only the
//! route table below is written by hand, and a test holds it to the router.

use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::{JsonSchema, Schema};
use serde_json::{Map, Value, json};
use switchboard_model::error::ErrorBody;
use switchboard_model::request::{
    CreateIntegrationSetupSession, CreateSessionTemplate, CreateSessionTemplateProvider,
    UpdateSessionTemplate, UpdateSessionTemplateProvider,
};
use switchboard_model::{
    IntegrationSetupSession, List, ProviderTools, SessionTemplate, SessionTemplateProvider,
};
use switchboard_query::filter::{Filter, Resource};
use switchboard_query::{IntegrationSetupSessions, SessionTemplateProviders, SessionTemplates};

/// Where the document keeps its named schemas.
const COMPONENTS: &str = "/components/schemas";

/// The id prefix of the objects under `path`.
fn prefix_of_path(path: &str) -> &'static str {
    use switchboard_model::id::*;
    if path.starts_with("/session-template-providers") {
        SessionTemplateProviderId::PREFIX
    } else if path.starts_with("/session-templates") {
        SessionTemplateId::PREFIX
    } else {
        IntegrationSetupSessionId::PREFIX
    }
}

/// The operations a create's answer leads to, by the new object's id
/// (OpenAPI links, for stateful testing).
fn links_of(operation: &str) -> &'static [&'static str] {
    match operation {
        "createSessionTemplate" => &[
            "getSessionTemplate",
            "updateSessionTemplate",
            "deleteSessionTemplate",
            "listSessionTemplateTools",
        ],
        "createSessionTemplateProvider" => &[
            "getSessionTemplateProvider",
            "updateSessionTemplateProvider",
            "deleteSessionTemplateProvider",
        ],
        "createIntegrationSetupSession" => &["getIntegrationSetupSession"],
        _ => &[],
    }
}

/// One operation of the route table.
struct Operation {
    method: &'static str,
    path: &'static str,
    id: &'static str,
    summary: &'static str,
    /// The list parameters, for a list.
    list: Option<&'static [&'static str]>,
    request: Option<Schema>,
    response: Schema,
}

impl Operation {
    fn new(
        method: &'static str,
        path: &'static str,
        id: &'static str,
        summary: &'static str,
        response: Schema,
    ) -> Self {
        Operation {
            method,
            path,
            id,
            summary,
            list: None,
            request: None,
            response,
        }
    }

    /// A list, with these filter parameters besides pagination.
    fn list(self, filters: &'static [&'static str]) -> Self {
        Operation {
            list: Some(filters),
            ..self
        }
    }

    /// With a JSON request body.
    fn body(self, schema: Schema) -> Self {
        Operation {
            request: Some(schema),
            ..self
        }
    }
}

/// The two generators: responses as they encode, requests as they decode.
struct Generators {
    out: SchemaGenerator,
    input: SchemaGenerator,
}

impl Generators {
    fn new() -> Self {
        let settings = SchemaSettings::draft2020_12().with(|s| s.definitions_path = COMPONENTS.into());
        Generators {
            out: settings.clone().for_serialize().into_generator(),
            input: settings.for_deserialize().into_generator(),
        }
    }

    fn out<T: JsonSchema>(&mut self) -> Schema {
        self.out.subschema_for::<T>()
    }

    fn input<T: JsonSchema>(&mut self) -> Schema {
        self.input.subschema_for::<T>()
    }
}

/// The route table: every operation the router serves.
fn operations(g: &mut Generators) -> Vec<Operation> {
    const T: &str = "/session-templates";
    const ONE_T: &str = "/session-templates/{id}";
    const P: &str = "/session-template-providers";
    const ONE_P: &str = "/session-template-providers/{id}";
    const S: &str = "/integration-setup-sessions";
    const ONE_S: &str = "/integration-setup-sessions/{id}";
    let templates = <<SessionTemplates as Resource>::Filter as Filter>::PARAMS;
    let providers = <<SessionTemplateProviders as Resource>::Filter as Filter>::PARAMS;
    let sessions = <<IntegrationSetupSessions as Resource>::Filter as Filter>::PARAMS;
    vec![
        Operation::new(
            "get",
            T,
            "listSessionTemplates",
            "List session templates",
            g.out::<List<SessionTemplate>>(),
        )
        .list(templates),
        Operation::new(
            "post",
            T,
            "createSessionTemplate",
            "Create a session template",
            g.out::<SessionTemplate>(),
        )
        .body(g.input::<CreateSessionTemplate>()),
        Operation::new(
            "get",
            ONE_T,
            "getSessionTemplate",
            "Get a session template",
            g.out::<SessionTemplate>(),
        ),
        Operation::new(
            "patch",
            ONE_T,
            "updateSessionTemplate",
            "Update a session template",
            g.out::<SessionTemplate>(),
        )
        .body(g.input::<UpdateSessionTemplate>()),
        Operation::new(
            "delete",
            ONE_T,
            "deleteSessionTemplate",
            "Archive a session template",
            g.out::<SessionTemplate>(),
        ),
        Operation::new(
            "get",
            "/session-templates/{id}/tools",
            "listSessionTemplateTools",
            "The effective tool set of a session template",
            g.out::<ProviderTools>(),
        ),
        Operation::new(
            "get",
            P,
            "listSessionTemplateProviders",
            "List session template providers",
            g.out::<List<SessionTemplateProvider>>(),
        )
        .list(providers),
        Operation::new(
            "post",
            P,
            "createSessionTemplateProvider",
            "Add a provider to a session template",
            g.out::<SessionTemplateProvider>(),
        )
        .body(g.input::<CreateSessionTemplateProvider>()),
        Operation::new(
            "get",
            ONE_P,
            "getSessionTemplateProvider",
            "Get a session template provider",
            g.out::<SessionTemplateProvider>(),
        ),
        Operation::new(
            "patch",
            ONE_P,
            "updateSessionTemplateProvider",
            "Update a session template provider",
            g.out::<SessionTemplateProvider>(),
        )
        .body(g.input::<UpdateSessionTemplateProvider>()),
        Operation::new(
            "delete",
            ONE_P,
            "deleteSessionTemplateProvider",
            "Archive a session template provider",
            g.out::<SessionTemplateProvider>(),
        ),
        Operation::new(
            "get",
            S,
            "listIntegrationSetupSessions",
            "List integration setup sessions",
            g.out::<List<IntegrationSetupSession>>(),
        )
        .list(sessions),
        Operation::new(
            "post",
            S,
            "createIntegrationSetupSession",
            "Create an integration setup session",
            g.out::<IntegrationSetupSession>(),
        )
        .body(g.input::<CreateIntegrationSetupSession>()),
        Operation::new(
            "get",
            ONE_S,
            "getIntegrationSetupSession",
            "Get an integration setup session",
            g.out::<IntegrationSetupSession>(),
        ),
    ]
}

/// The pattern of an id of kind `prefix` as a caller writes it (its
/// canonical prefix; aliases are accepted too, and left out here).
fn id_pattern(prefix: &str) -> String {
    format!(
        "^{prefix}_[0-9A-Za-z]{{1,{}}}$",
        switchboard_model::id::MAX_BODY_LEN
    )
}

/// The id kind (prefix) of a filter parameter, `own` for `id`.
fn filter_prefix(name: &str, own: &'static str) -> Option<&'static str> {
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
fn statuses(own: &str) -> &'static [&'static str] {
    use switchboard_model::enums::{SetupSessionListStatus, TemplateListStatus};
    if own == switchboard_model::id::IntegrationSetupSessionId::PREFIX {
        SetupSessionListStatus::VALUES
    } else {
        TemplateListStatus::VALUES
    }
}

/// A list's query parameters: pagination, then the resource's filters;
/// `own` is the prefix of the listed objects' ids.
fn list_parameters(filters: &[&str], own: &'static str) -> Vec<Value> {
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
fn tighten(schemas: &mut Map<String, Value>) {
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

/// Moves the request generator's schemas beside the response ones; a name
/// whose request schema differs from its response schema gets `Input` added.
fn merge(out: &mut Map<String, Value>, input: Map<String, Value>, requests: &mut [Value]) {
    // Old name to new name, for each request schema that differs.
    let mut renames = std::collections::HashMap::new();
    for (name, schema) in &input {
        if out.get(name).is_some_and(|s| s != schema) {
            let mut new = format!("{name}Input");
            while out.contains_key(&new) || input.contains_key(&new) {
                new.push('_');
            }
            renames.insert(name.clone(), new);
        }
    }
    for (name, mut schema) in input {
        rewrite_refs(&mut schema, &renames);
        out.insert(renames.get(&name).cloned().unwrap_or(name), schema);
    }
    for r in requests {
        rewrite_refs(r, &renames);
    }
}

/// Points every `$ref` to a renamed schema at its new name.
fn rewrite_refs(v: &mut Value, renames: &std::collections::HashMap<String, String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get_mut("$ref")
                && let Some(new) = r
                    .strip_prefix(&format!("#{COMPONENTS}/"))
                    .and_then(|name| renames.get(name))
            {
                *r = format!("#{COMPONENTS}/{new}");
            }
            m.values_mut().for_each(|x| rewrite_refs(x, renames));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| rewrite_refs(x, renames)),
        _ => {}
    }
}

/// Error codes of this server's own answers, beyond the service's.
const SERVER_CODES: &[&str] = &[
    "method_not_allowed",
    "payload_too_large",
    "unsupported_media_type",
    "request_timeout",
    "uri_too_long",
    "request_header_fields_too_large",
    "service_unavailable",
];

/// The OpenAPI 3.1 document of this server, with `server_url` as its server.
pub fn document(server_url: &str) -> Value {
    let mut g = Generators::new();
    let error = g.out::<ErrorBody>();
    let ops = operations(&mut g);
    let mut requests: Vec<Value> = ops
        .iter()
        .map(|o| o.request.as_ref().map_or(Value::Null, |s| s.as_value().clone()))
        .collect();
    let mut schemas = g.out.take_definitions(true);
    merge(&mut schemas, g.input.take_definitions(true), &mut requests);
    tighten(&mut schemas);
    // The codes this server answers besides the service's own (the
    // framework's rejections, timeouts): an error body's `code` is one of all.
    if let Some(Value::Array(codes)) = schemas.get_mut("ErrorCode").and_then(|c| c.get_mut("enum")) {
        for code in SERVER_CODES {
            if !codes.iter().any(|c| c == code) {
                codes.push(Value::from(*code));
            }
        }
    }

    let mut paths = Map::new();
    for (op, request) in ops.iter().zip(requests) {
        let mut parameters = Vec::new();
        if op.path.contains("{id}") {
            parameters.push(json!({"name": "id", "in": "path", "required": true,
                                   "schema": {"type": "string", "pattern": id_pattern(prefix_of_path(op.path))}}));
        }
        if let Some(filters) = op.list {
            parameters.extend(list_parameters(filters, prefix_of_path(op.path)));
        }
        let mut operation = json!({
            "operationId": op.id,
            "summary": op.summary,
            "parameters": parameters,
            "responses": {
                "200": {"description": "OK", "content": {"application/json": {"schema": op.response}}},
                "default": {"description": "An error (contract §7)", "content": {"application/json": {"schema": error}}},
            },
        });
        let links: Map<String, Value> = links_of(op.id)
            .iter()
            .map(|to| {
                (
                    (*to).to_owned(),
                    json!({"operationId": to, "parameters": {"id": "$response.body#/id"}}),
                )
            })
            .collect();
        if !links.is_empty() {
            operation["responses"]["200"]["links"] = Value::Object(links);
        }
        if !request.is_null() {
            operation["requestBody"] =
                json!({"required": true, "content": {"application/json": {"schema": request}}});
        }
        let item = paths.entry(op.path.to_owned()).or_insert_with(|| json!({}));
        item[op.method] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "switchboard",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Session templates, their providers and tools, and integration setup sessions. \
                The hosted setup pages a session's `url` opens (`/integration-setup-session/...`, \
                `/oauth/callback`, `/setup.css`) are HTML for end users, outside this document: \
                see the contract's section 9.",
        },
        "servers": [{"url": server_url}],
        "security": [{"bearer": []}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer", "description": "A secret key, `metorial_sk_...`."}},
        },
    })
}
