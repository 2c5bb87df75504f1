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

mod rules;

use rules::{id_pattern, list_parameters, tighten};

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
