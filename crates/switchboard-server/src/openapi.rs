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

    fn input<T: JsonSchema>(&mut self) -> Option<Schema> {
        Some(self.input.subschema_for::<T>())
    }
}

fn operations(g: &mut Generators) -> Vec<Operation> {
    let templates = <<SessionTemplates as Resource>::Filter as Filter>::PARAMS;
    let providers = <<SessionTemplateProviders as Resource>::Filter as Filter>::PARAMS;
    let sessions = <<IntegrationSetupSessions as Resource>::Filter as Filter>::PARAMS;
    let op = |method, path, id, summary| (method, path, id, summary);
    let mut v = Vec::new();
    let mut push = |(method, path, id, summary), list, request, response| {
        v.push(Operation {
            method,
            path,
            id,
            summary,
            list,
            request,
            response,
        })
    };
    let t = "/session-templates";
    let one_t = "/session-templates/{id}";
    push(
        op("get", t, "listSessionTemplates", "List session templates"),
        Some(templates),
        None,
        g.out::<List<SessionTemplate>>(),
    );
    push(
        op("post", t, "createSessionTemplate", "Create a session template"),
        None,
        g.input::<CreateSessionTemplate>(),
        g.out::<SessionTemplate>(),
    );
    push(
        op("get", one_t, "getSessionTemplate", "Get a session template"),
        None,
        None,
        g.out::<SessionTemplate>(),
    );
    push(
        op(
            "patch",
            one_t,
            "updateSessionTemplate",
            "Update a session template",
        ),
        None,
        g.input::<UpdateSessionTemplate>(),
        g.out::<SessionTemplate>(),
    );
    push(
        op(
            "delete",
            one_t,
            "deleteSessionTemplate",
            "Archive a session template",
        ),
        None,
        None,
        g.out::<SessionTemplate>(),
    );
    push(
        op(
            "get",
            "/session-templates/{id}/tools",
            "listSessionTemplateTools",
            "The effective tool set of a session template",
        ),
        None,
        None,
        g.out::<ProviderTools>(),
    );
    let p = "/session-template-providers";
    let one_p = "/session-template-providers/{id}";
    push(
        op(
            "get",
            p,
            "listSessionTemplateProviders",
            "List session template providers",
        ),
        Some(providers),
        None,
        g.out::<List<SessionTemplateProvider>>(),
    );
    push(
        op(
            "post",
            p,
            "createSessionTemplateProvider",
            "Add a provider to a session template",
        ),
        None,
        g.input::<CreateSessionTemplateProvider>(),
        g.out::<SessionTemplateProvider>(),
    );
    push(
        op(
            "get",
            one_p,
            "getSessionTemplateProvider",
            "Get a session template provider",
        ),
        None,
        None,
        g.out::<SessionTemplateProvider>(),
    );
    push(
        op(
            "patch",
            one_p,
            "updateSessionTemplateProvider",
            "Update a session template provider",
        ),
        None,
        g.input::<UpdateSessionTemplateProvider>(),
        g.out::<SessionTemplateProvider>(),
    );
    push(
        op(
            "delete",
            one_p,
            "deleteSessionTemplateProvider",
            "Archive a session template provider",
        ),
        None,
        None,
        g.out::<SessionTemplateProvider>(),
    );
    let s = "/integration-setup-sessions";
    push(
        op(
            "get",
            s,
            "listIntegrationSetupSessions",
            "List integration setup sessions",
        ),
        Some(sessions),
        None,
        g.out::<List<IntegrationSetupSession>>(),
    );
    push(
        op(
            "post",
            s,
            "createIntegrationSetupSession",
            "Create an integration setup session",
        ),
        None,
        g.input::<CreateIntegrationSetupSession>(),
        g.out::<IntegrationSetupSession>(),
    );
    push(
        op(
            "get",
            "/integration-setup-sessions/{id}",
            "getIntegrationSetupSession",
            "Get an integration setup session",
        ),
        None,
        None,
        g.out::<IntegrationSetupSession>(),
    );
    v
}

/// A list's query parameters: pagination, then the resource's filters.
fn list_parameters(filters: &[&str]) -> Vec<Value> {
    let mut params = vec![
        json!({"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
               "description": "Page size; an integral number written as a float (`10.0`) is accepted."}),
        json!({"name": "after", "in": "query", "schema": {"type": "string"}, "description": "The page after this id."}),
        json!({"name": "before", "in": "query", "schema": {"type": "string"}, "description": "The page before this id."}),
        json!({"name": "cursor", "in": "query", "schema": {"type": "string"}, "description": "An opaque position from a previous page."}),
        json!({"name": "order", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"]}}),
    ];
    for name in filters {
        params.push(if name.ends_with("_at") {
            let bound = json!({"type": "string", "format": "date-time"});
            json!({"name": name, "in": "query", "style": "deepObject", "explode": true,
                   "schema": {"type": "object", "properties": {"gt": bound, "gte": bound, "lt": bound, "lte": bound},
                              "additionalProperties": false}})
        } else {
            json!({"name": name, "in": "query", "style": "form", "explode": true,
                   "schema": {"type": "array", "items": {"type": "string"}},
                   "description": "Repeated, comma-separated or bracketed (`name[]=`, `name[0]=`) values; any one matches."})
        });
    }
    params
}

/// Moves the request generator's schemas beside the response ones; a name
/// whose request schema differs from its response schema gets `Input` added.
fn merge(out: &mut Map<String, Value>, input: Map<String, Value>, requests: &mut [Value]) {
    let mut renames = Vec::new();
    for (name, schema) in &input {
        if out.get(name).is_some_and(|s| s != schema) {
            let mut new = format!("{name}Input");
            while out.contains_key(&new) || input.contains_key(&new) {
                new.push('_');
            }
            renames.push((
                format!("#{COMPONENTS}/{name}"),
                format!("#{COMPONENTS}/{new}"),
                name.clone(),
                new,
            ));
        }
    }
    let rename = |v: &mut Value| {
        rewrite_refs(
            v,
            &renames
                .iter()
                .map(|r| (r.0.as_str(), r.1.as_str()))
                .collect::<Vec<_>>(),
        )
    };
    for (mut name, mut schema) in input {
        rename(&mut schema);
        if let Some(r) = renames.iter().find(|r| r.2 == name) {
            name = r.3.clone();
        }
        out.insert(name, schema);
    }
    for r in requests {
        rename(r);
    }
}

fn rewrite_refs(v: &mut Value, renames: &[(&str, &str)]) {
    match v {
        Value::Object(m) => {
            if let Some(Value::String(r)) = m.get_mut("$ref")
                && let Some((_, new)) = renames.iter().find(|(old, _)| old == r)
            {
                *r = (*new).to_owned();
            }
            m.values_mut().for_each(|x| rewrite_refs(x, renames));
        }
        Value::Array(a) => a.iter_mut().for_each(|x| rewrite_refs(x, renames)),
        _ => {}
    }
}

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

    let mut paths = Map::new();
    for (op, request) in ops.iter().zip(requests) {
        let mut parameters = Vec::new();
        if op.path.contains("{id}") {
            parameters
                .push(json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}));
        }
        if let Some(filters) = op.list {
            parameters.extend(list_parameters(filters));
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
            "description": "Session templates, their providers and tools, and integration setup sessions.",
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
