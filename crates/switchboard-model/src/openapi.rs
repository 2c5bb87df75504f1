//! JSON Schemas of the wire types (feature `openapi`), for OpenAPI 3.1
//! documents: the derived types describe themselves through serde's own
//! attributes; the types with a hand-written serde form get their schema
//! here, next to one another.
//!
//! Schemas describe what this crate *encodes*: ids with their canonical
//! prefix, timestamps in their canonical form, the values of an open enum
//! that this version knows. A decoder stays liberal (aliases, other forms);
//! a generator made with [`SchemaSettings::for_serialize`] describes responses.
//!
//! ```
//! use schemars::generate::SchemaSettings;
//! use switchboard_model::SessionTemplate;
//!
//! let mut generator = SchemaSettings::draft2020_12().for_serialize().into_generator();
//! let schema = generator.root_schema_for::<SessionTemplate>();
//! let json = serde_json::to_value(&schema)?;
//! assert_eq!(json["properties"]["object"]["const"], "session.template");
//! assert_eq!(json["$defs"]["SessionTemplateProvider"]["properties"]["id"]["pattern"], "^stp_[0-9A-Za-z]{1,64}$");
//! # Ok::<(), serde_json::Error>(())
//! ```
//!
//! [`SchemaSettings::for_serialize`]: schemars::generate::SchemaSettings::for_serialize

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::enums::*;
use crate::error::ErrorCode;
use crate::filter::{Rule, ToolFilter, ToolFiltersInput};
use crate::id::*;
use crate::json::{Metadata, RawJson};
use crate::objects::{AuthConfigPreview, TemplateAuthConfig};
use crate::patch::Patch;
use crate::request::Name;
use crate::tags;
use crate::timestamp::Timestamp;

/// `^pre_[0-9A-Za-z]{1,64}$`: the canonical form of an id.
macro_rules! id_schemas {
    ($($name:ident),* $(,)?) => {$(
        impl JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({
                    "type": "string",
                    "description": format!("Id of kind `{}`.", $name::KIND),
                    "pattern": format!("^{}_[0-9A-Za-z]{{1,{}}}$", $name::PREFIX, crate::id::MAX_BODY_LEN),
                })
            }
        }
    )*};
}

id_schemas!(
    ProviderId,
    ProviderVersionId,
    ProviderDeploymentId,
    ProviderConfigId,
    ProviderConfigVaultId,
    ProviderAuthConfigId,
    ProviderAuthCredentialsId,
    ProviderAuthMethodId,
    ProviderAuthMethodScopeId,
    ProviderSpecificationId,
    ProviderToolId,
    ProviderSetupSessionId,
    ProviderGroupId,
    ProviderCollectionId,
    ProviderCategoryId,
    SessionTemplateId,
    SessionTemplateProviderId,
    SessionId,
    SessionProviderId,
    IntegrationId,
    IntegrationProviderId,
    IntegrationProviderVersionId,
    IntegrationInstanceId,
    IntegrationInstanceProviderId,
    IntegrationSetupSessionId,
    IntegrationSetupSessionStepId,
    IdentityId,
    IdentityActorId,
);

/// A string enum: the values this version encodes.
macro_rules! enum_schemas {
    ($($name:ident = $values:expr),* $(,)?) => {$(
        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed(stringify!($name))
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({"type": "string", "enum": $values})
            }
        }
    )*};
}

enum_schemas!(
    SessionTemplateStatus = SessionTemplateStatus::KNOWN,
    SetupSessionStatus = SetupSessionStatus::KNOWN,
    SetupStepStatus = SetupStepStatus::KNOWN,
    ProviderSetupSessionStatus = ProviderSetupSessionStatus::KNOWN,
    IntegrationInstanceStatus = IntegrationInstanceStatus::KNOWN,
    ResourceStatus = ResourceStatus::KNOWN,
    AuthMethodType = AuthMethodType::KNOWN,
    ImplementationType = ImplementationType::KNOWN,
    ErrorCode = ErrorCode::KNOWN,
    Layout = Layout::KNOWN,
);

/// The fixed `object` strings.
macro_rules! tag_schemas {
    ($($name:ident),* $(,)?) => {$(
        impl JsonSchema for tags::$name {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed(concat!("Tag", stringify!($name)))
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!({"type": "string", "const": tags::$name::TEXT})
            }
        }
    )*};
}

tag_schemas!(
    SessionTemplate,
    SessionTemplateProvider,
    ProviderPreview,
    DeploymentPreview,
    ConfigPreview,
    AuthConfigPreview,
    ProviderTool,
    ProviderTools,
    SetupSession,
    SetupSessionStep,
    IntegrationInstance,
    InstanceProvider,
    IntegrationProviderSnapshot,
    IntegrationProviderVersion,
    AuthMethod,
    AuthMethodScope,
    AuthCredentials,
    Error,
    JsonSchema,
);

/// A type whose schema is one fixed, inlined value.
macro_rules! fixed_schemas {
    ($($ty:ty = $name:literal => $schema:tt;)*) => {$(
        impl JsonSchema for $ty {
            fn inline_schema() -> bool {
                true
            }
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        }
    )*};
}

fixed_schemas! {
    tags::False = "False" => {"type": "boolean", "const": false};
    Timestamp = "Timestamp" => {
        "type": "string",
        "format": "date-time",
        "description": "UTC with milliseconds.",
        "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$",
    };
    Metadata = "Metadata" => {"type": "object", "description": "Free key-value pairs."};
    RawJson = "AnyJson" => {"description": "Any JSON, kept as sent."};
    Name = "Name" => {
        "type": "string",
        "minLength": 1,
        "description": "A name, trimmed; not blank: at least one character that is not whitespace, a control character or an invisible one (zero-width, formatting).",
        "pattern": "[^\\u0000-\\u0020\\u007F-\\u00A0\\u00AD\\u034F\\u061C\\u115F\\u1160\\u1680\\u17B4\\u17B5\\u180B-\\u180F\\u2000-\\u200F\\u2028-\\u202F\\u205F-\\u206F\\u3000\\u3164\\uFE00-\\uFE0F\\uFEFF\\uFFA0\\uFFF0-\\uFFF8]",
    };
}

impl<T: JsonSchema> JsonSchema for Patch<T> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        Cow::Owned(format!("Nullable_{}", T::schema_name()))
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        json_schema!({"anyOf": [generator.subschema_for::<T>(), {"type": "null"}]})
    }
}

impl JsonSchema for TemplateAuthConfig {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("TemplateAuthConfig")
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let (tag, id) = (
            generator.subschema_for::<tags::AuthConfigPreview>(),
            generator.subschema_for::<ProviderAuthConfigId>(),
        );
        json_schema!({
            "description": "The auth config: a reference (`object` and `id`), the whole preview, or (abridged documentation examples only) `object` alone.",
            "anyOf": [
                {"type": "object", "properties": {"object": tag, "id": id}, "required": ["object", "id"], "additionalProperties": false},
                generator.subschema_for::<AuthConfigPreview>(),
                {"type": "object", "properties": {"object": tag}, "required": ["object"], "additionalProperties": false},
            ],
        })
    }
}

impl JsonSchema for ToolFiltersInput {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("ToolFiltersInput")
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let rule = generator.subschema_for::<Rule>();
        json_schema!({
            "description": "One rule, an array of rules, the legacy `{\"tool_keys\": [...]}`, the output form, or null (allow-all).",
            "anyOf": [
                {"type": "null"},
                rule,
                {"type": "array", "items": rule},
                {"type": "object", "properties": {"tool_keys": {"type": "array", "items": {"type": "string"}}}, "required": ["tool_keys"]},
                generator.subschema_for::<ToolFilter>(),
            ],
        })
    }
}

/// The schema of a list that also takes a single item on input (the seeds
/// send `providers` and the provider search lists as one object): an array
/// when describing what is sent, the item or an array when describing what
/// is accepted.
#[derive(Debug)]
pub struct OneOrMany<T>(std::marker::PhantomData<T>);

impl<T: JsonSchema> JsonSchema for OneOrMany<T> {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        Cow::Owned(format!("OneOrMany_{}", T::schema_name()))
    }
    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let item = generator.subschema_for::<T>();
        if generator.contract().is_deserialize() {
            json_schema!({"anyOf": [item, {"type": "array", "items": item}]})
        } else {
            json_schema!({"type": "array", "items": item})
        }
    }
}
