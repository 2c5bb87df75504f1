#![doc = include_str!("../README.md")]
#![cfg_attr(docsrs, feature(doc_cfg))]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use jsonschema::Draft;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use serde_json::Value;
use switchboard_model::error::{FieldError, PathSegment};
use switchboard_model::objects::{AuthMethod, ProviderTool};

mod drafts;
mod error;
mod fanout;
pub mod form;
mod limits;
mod report;

use report::{json_type, lowercase_first, pointer_of, unwrap_schema, without_value};

pub use error::{ErrorKind, SchemaError};
pub use limits::Limits;

/// A compiled schema.
#[derive(Debug)]
pub struct Compiled {
    validator: jsonschema::Validator,
}

/// Validates values against schemas, compiling each schema once.
#[derive(Debug)]
pub struct Validator {
    limits: Limits,
    cache: Mutex<Cache>,
}

#[derive(Debug, Default)]
struct Cache {
    entries: HashMap<String, (Arc<Compiled>, u64)>,
    tick: u64,
}

impl Default for Validator {
    fn default() -> Self {
        Validator::new(Limits::default())
    }
}

impl Validator {
    /// A validator with these limits.
    pub fn new(limits: Limits) -> Self {
        Validator {
            limits,
            cache: Mutex::new(Cache::default()),
        }
    }

    /// Compiles `schema` (a bare schema or the `{"type": "json_schema", "schema"}`
    /// wrapper), or returns the cached compilation. The draft comes from
    /// `$schema`, 2020-12 when absent.
    pub fn compile(&self, schema: &Value) -> Result<Arc<Compiled>, SchemaError> {
        let schema = unwrap_schema(schema);
        let key = serde_json::to_string(schema).unwrap_or_default();
        if key.len() > self.limits.max_schema_bytes {
            return Err(SchemaError::Limit(format!(
                "the schema is {} bytes, more than the limit of {}",
                key.len(),
                self.limits.max_schema_bytes
            )));
        }
        if switchboard_model::codec::json_depth(schema, self.limits.max_schema_depth + 1)
            > self.limits.max_schema_depth
        {
            return Err(SchemaError::Limit(format!(
                "the schema nests more than the limit of {} levels",
                self.limits.max_schema_depth
            )));
        }
        if let Some(hit) = self.lookup(&key) {
            return Ok(hit);
        }
        if let Some(pointer) = fanout::over_limit(schema, self.limits.max_fan_out) {
            return Err(SchemaError::Limit(format!(
                "the schema at {pointer} would check one value against more than {} subschemas \
                 through nested `allOf`/`anyOf`/`oneOf`/`not`/`if`/`$ref`",
                self.limits.max_fan_out
            )));
        }
        let mut options = jsonschema::options();
        if schema.get("$schema").is_none() {
            options = options.with_draft(Draft::Draft202012);
        }
        let drafted = drafts::as_drafted(schema, &key);
        let validator = options.build(&drafted).map_err(|e| match e.kind() {
            ValidationErrorKind::Referencing(r) => {
                let message = lowercase_first(&r.to_string());
                if message.starts_with("pointer '") {
                    SchemaError::MissingRef(message)
                } else if message.starts_with("unknown meta-schema")
                    || message.starts_with("unknown specification")
                {
                    SchemaError::UnknownDraft(message)
                } else {
                    SchemaError::RemoteRef(message)
                }
            }
            _ => SchemaError::InvalidSchema {
                pointer: pointer_of(e.instance_path()),
                message: lowercase_first(&e.to_string()),
            },
        })?;
        let compiled = Arc::new(Compiled { validator });
        self.store(key, Arc::clone(&compiled));
        Ok(compiled)
    }

    fn lookup(&self, key: &str) -> Option<Arc<Compiled>> {
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        cache.tick += 1;
        let tick = cache.tick;
        cache.entries.get_mut(key).map(|(c, used)| {
            *used = tick;
            Arc::clone(c)
        })
    }

    fn store(&self, key: String, compiled: Arc<Compiled>) {
        let mut cache = self
            .cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if self.limits.cache_size == 0 {
            return;
        }
        while cache.entries.len() >= self.limits.cache_size {
            // Evict the least recently used.
            let Some(oldest) = cache
                .entries
                .iter()
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone())
            else {
                break;
            };
            cache.entries.remove(&oldest);
        }
        cache.tick += 1;
        let tick = cache.tick;
        cache.entries.insert(key, (compiled, tick));
    }

    /// How many compiled schemas the cache holds.
    pub fn cached(&self) -> usize {
        self.cache
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .entries
            .len()
    }

    /// Validates `instance` against `schema`, reporting every violation up to the limit.
    pub fn validate(&self, schema: &Value, instance: &Value) -> Result<(), SchemaError> {
        let compiled = self.compile(schema)?;
        self.check(&compiled, instance)
    }

    /// Validates against an already compiled schema.
    pub fn check(&self, compiled: &Compiled, instance: &Value) -> Result<(), SchemaError> {
        if switchboard_model::codec::json_depth(instance, self.limits.max_instance_depth + 1)
            > self.limits.max_instance_depth
        {
            return Err(SchemaError::Limit(format!(
                "the value nests more than the limit of {} levels",
                self.limits.max_instance_depth
            )));
        }
        let max = self.limits.max_errors;
        let mut errors: Vec<FieldError> = compiled
            .validator
            .iter_errors(instance)
            .take(max.saturating_add(1))
            .map(|e| {
                let path = e
                    .instance_path()
                    .iter()
                    .map(|seg| match seg {
                        LocationSegment::Property(p) => PathSegment::Key(p.into_owned()),
                        LocationSegment::Index(i) => PathSegment::from(i),
                    })
                    .collect();
                let mut f = FieldError::new(
                    e.kind().keyword(),
                    without_value(&e.to_string(), e.instance()),
                    path,
                );
                if let ValidationErrorKind::Type { kind } = e.kind() {
                    f.expected = Some(match kind {
                        TypeKind::Single(t) => t.to_string(),
                        TypeKind::Multiple(set) => {
                            set.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(" or ")
                        }
                    });
                    f.received = Some(json_type(e.instance()).to_owned());
                }
                f
            })
            .collect();
        // Never a silent cut: past the limit, the last entry says there are more.
        if errors.len() > max {
            errors.truncate(max);
            errors.push(FieldError::new(
                "too_many_errors",
                format!("more than {max} violations; the first {max} are listed"),
                Vec::new(),
            ));
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(SchemaError::Invalid(errors))
        }
    }

    /// A tool call's arguments against the tool's `input_schema` (no schema: anything goes).
    pub fn validate_tool_arguments(&self, tool: &ProviderTool, arguments: &Value) -> Result<(), SchemaError> {
        match &tool.input_schema {
            Some(wrapper) => self.validate(&parsed(wrapper)?, arguments),
            None => Ok(()),
        }
    }

    /// A tool's result against its `output_schema` (no schema: anything goes).
    pub fn validate_tool_result(&self, tool: &ProviderTool, result: &Value) -> Result<(), SchemaError> {
        match &tool.output_schema {
            Some(wrapper) => self.validate(&parsed(wrapper)?, result),
            None => Ok(()),
        }
    }

    /// Auth input against the auth method's `input_schema` (no schema: anything goes).
    pub fn validate_auth_input(&self, method: &AuthMethod, input: &Value) -> Result<(), SchemaError> {
        match &method.input_schema {
            Some(wrapper) => self.validate(&parsed(wrapper)?, input),
            None => Ok(()),
        }
    }
}

/// A wrapper's schema text, parsed (it was checked to be JSON when decoded).
fn parsed(wrapper: &switchboard_model::json::JsonSchemaWrapper) -> Result<Value, SchemaError> {
    wrapper.schema_value().map_err(|e| SchemaError::InvalidSchema {
        pointer: String::new(),
        message: e.to_string(),
    })
}
