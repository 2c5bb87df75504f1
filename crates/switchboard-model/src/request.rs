//! Request bodies (contract §3, §4.1). Decoding enforces their rules, so a body
//! value that exists is valid: names are trimmed and not blank, every
//! template provider entry names at least one of its three ids, a template
//! lists at most [`MAX_TEMPLATE_PROVIDERS`] providers.
//!
//! ```
//! use switchboard_model::request::CreateSessionTemplate;
//!
//! // The seed's example sends `providers` as a single object; a list works too.
//! let body: CreateSessionTemplate = switchboard_model::decode::from_str(r#"{
//!     "name": "  Production  ",
//!     "providers": {"provider_deployment_id": "pde_1aBcDeFgHjKlMnPq",
//!                   "tool_filters": {"type": "tool_keys", "keys": ["create_issue"]}}
//! }"#)?;
//! assert_eq!(body.name.as_str(), "Production");
//! assert_eq!(body.providers.len(), 1);
//! assert_eq!(body.providers[0].tool_filters().rules().len(), 1);
//! Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Deserializer, Serialize};

use crate::filter::ToolFiltersInput;
use crate::id::*;
use crate::json::{Metadata, request_metadata};
use crate::objects::SetupConfiguration;
use crate::patch::Patch;
use crate::timestamp::Timestamp;

mod name;
pub use name::Name;

/// At most this many active providers per template.
pub const MAX_TEMPLATE_PROVIDERS: usize = 100;

/// Trims an optional description.
fn trimmed<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map(|s| s.trim().to_owned()))
}

/// A `null` name is an error; absent is `None`.
fn non_null_name<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Name>, D::Error> {
    match Option::<Name>::deserialize(d)? {
        Some(n) => Ok(Some(n)),
        None => Err(serde::de::Error::custom("name cannot be null")),
    }
}

/// One provider entry of a template create body: at least one of the three ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(try_from = "TemplateProviderWire", into = "TemplateProviderWire")]
pub struct TemplateProviderInput {
    deployment: Option<ProviderDeploymentId>,
    config: Option<ProviderConfigId>,
    auth_config: Option<ProviderAuthConfigId>,
    tool_filters: ToolFiltersInput,
}

impl TemplateProviderInput {
    /// Builds an entry; fails if all three ids are `None`.
    pub fn new(
        deployment: Option<ProviderDeploymentId>,
        config: Option<ProviderConfigId>,
        auth_config: Option<ProviderAuthConfigId>,
        tool_filters: ToolFiltersInput,
    ) -> Result<Self, crate::Error> {
        if deployment.is_none() && config.is_none() && auth_config.is_none() {
            return Err(crate::Error::no_provider_ids());
        }
        Ok(TemplateProviderInput {
            deployment,
            config,
            auth_config,
            tool_filters,
        })
    }

    /// `provider_deployment_id`.
    pub fn deployment_id(&self) -> Option<&ProviderDeploymentId> {
        self.deployment.as_ref()
    }

    /// `provider_config_id`.
    pub fn config_id(&self) -> Option<&ProviderConfigId> {
        self.config.as_ref()
    }

    /// `provider_auth_config_id`.
    pub fn auth_config_id(&self) -> Option<&ProviderAuthConfigId> {
        self.auth_config.as_ref()
    }

    /// The normalised filter (no rules: allow-all).
    pub fn tool_filters(&self) -> &ToolFiltersInput {
        &self.tool_filters
    }
}

#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
struct TemplateProviderWire {
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::id::strict_opt"
    )]
    provider_deployment_id: Option<ProviderDeploymentId>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::id::strict_opt"
    )]
    provider_config_id: Option<ProviderConfigId>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::id::strict_opt"
    )]
    provider_auth_config_id: Option<ProviderAuthConfigId>,
    #[serde(default, skip_serializing_if = "ToolFiltersInput::is_default")]
    tool_filters: ToolFiltersInput,
}

impl TryFrom<TemplateProviderWire> for TemplateProviderInput {
    type Error = crate::Error;
    fn try_from(w: TemplateProviderWire) -> Result<Self, crate::Error> {
        TemplateProviderInput::new(
            w.provider_deployment_id,
            w.provider_config_id,
            w.provider_auth_config_id,
            w.tool_filters,
        )
    }
}

impl From<TemplateProviderInput> for TemplateProviderWire {
    fn from(p: TemplateProviderInput) -> Self {
        TemplateProviderWire {
            provider_deployment_id: p.deployment,
            provider_config_id: p.config,
            provider_auth_config_id: p.auth_config,
            tool_filters: p.tool_filters,
        }
    }
}

#[cfg(feature = "proptest")]
impl proptest::arbitrary::Arbitrary for TemplateProviderInput {
    type Parameters = ();
    type Strategy = proptest::strategy::BoxedStrategy<Self>;
    fn arbitrary_with(_: ()) -> Self::Strategy {
        use proptest::prelude::*;
        (
            any::<ProviderDeploymentId>(),
            any::<Option<ProviderConfigId>>(),
            any::<Option<ProviderAuthConfigId>>(),
            any::<ToolFiltersInput>(),
            any::<bool>(),
        )
            .prop_map(|(d, c, a, f, keep_d)| {
                let d = if keep_d || (c.is_none() && a.is_none()) {
                    Some(d)
                } else {
                    None
                };
                TemplateProviderInput::new(d, c, a, f).expect("one id is set")
            })
            .boxed()
    }
}

fn providers<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<TemplateProviderInput>, D::Error> {
    crate::one_or_many::deserialize_at_most(d, MAX_TEMPLATE_PROVIDERS, "providers in a template")
}

/// `POST /session-templates`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct CreateSessionTemplate {
    /// The name (required).
    pub name: Name,
    /// The description, trimmed.
    #[serde(
        default,
        deserialize_with = "trimmed",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "proptest", proptest(strategy = "crate::arbitrary::trimmed_text()"))]
    pub description: Option<String>,
    /// Free key-value pairs (at most 32 levels deep).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "request_metadata"
    )]
    pub metadata: Option<Metadata>,
    /// The providers: an array, or one object; at most [`MAX_TEMPLATE_PROVIDERS`].
    #[serde(
        default,
        deserialize_with = "providers",
        skip_serializing_if = "Vec::is_empty"
    )]
    #[cfg_attr(
        feature = "openapi",
        schemars(with = "crate::openapi::OneOrMany<TemplateProviderInput>")
    )]
    #[cfg_attr(feature = "proptest", proptest(strategy = "crate::arbitrary::small_vec()"))]
    pub providers: Vec<TemplateProviderInput>,
}

/// `PATCH /session-templates/{id}`: only `name`, `description`, `metadata`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct UpdateSessionTemplate {
    /// A new name; `null` is an error.
    #[serde(
        default,
        deserialize_with = "non_null_name",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schemars(with = "Name"))]
    pub name: Option<Name>,
    /// A new description (`null` clears it).
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub description: Patch<String>,
    /// New metadata (`null` clears it; at most 32 levels deep).
    #[serde(
        default,
        skip_serializing_if = "Patch::is_absent",
        deserialize_with = "crate::json::request_metadata_patch"
    )]
    pub metadata: Patch<Metadata>,
}

/// `POST /session-template-providers`: a template id plus one provider entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
#[serde(try_from = "CreateTemplateProviderWire", into = "CreateTemplateProviderWire")]
pub struct CreateSessionTemplateProvider {
    /// The template to add to.
    pub session_template_id: SessionTemplateId,
    /// The entry.
    pub provider: TemplateProviderInput,
}

#[derive(Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
struct CreateTemplateProviderWire {
    #[serde(deserialize_with = "crate::id::strict")]
    session_template_id: SessionTemplateId,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::id::strict_opt"
    )]
    provider_deployment_id: Option<ProviderDeploymentId>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::id::strict_opt"
    )]
    provider_config_id: Option<ProviderConfigId>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::id::strict_opt"
    )]
    provider_auth_config_id: Option<ProviderAuthConfigId>,
    #[serde(default, skip_serializing_if = "ToolFiltersInput::is_default")]
    tool_filters: ToolFiltersInput,
}

impl TryFrom<CreateTemplateProviderWire> for CreateSessionTemplateProvider {
    type Error = crate::Error;
    fn try_from(w: CreateTemplateProviderWire) -> Result<Self, crate::Error> {
        Ok(CreateSessionTemplateProvider {
            session_template_id: w.session_template_id,
            provider: TemplateProviderInput::new(
                w.provider_deployment_id,
                w.provider_config_id,
                w.provider_auth_config_id,
                w.tool_filters,
            )?,
        })
    }
}

impl From<CreateSessionTemplateProvider> for CreateTemplateProviderWire {
    fn from(c: CreateSessionTemplateProvider) -> Self {
        let p = TemplateProviderWire::from(c.provider);
        CreateTemplateProviderWire {
            session_template_id: c.session_template_id,
            provider_deployment_id: p.provider_deployment_id,
            provider_config_id: p.provider_config_id,
            provider_auth_config_id: p.provider_auth_config_id,
            tool_filters: p.tool_filters,
        }
    }
}

/// `PATCH /session-template-providers/{id}`: only `tool_filters`
/// (absent: unchanged; `null`: reset to allow-all; a value: replace).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct UpdateSessionTemplateProvider {
    /// The new filter.
    #[serde(default, skip_serializing_if = "Patch::is_absent")]
    pub tool_filters: Patch<ToolFiltersInput>,
}

/// The longest `redirect_url` a setup session takes, in bytes.
pub const MAX_REDIRECT_URL_LEN: usize = 2048;

/// An absolute `http` or `https` URL, kept as written; `null` is `None`.
fn redirect_url<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    use serde::de::Error;
    let Some(text) = Option::<String>::deserialize(d)? else {
        return Ok(None);
    };
    if text.len() > MAX_REDIRECT_URL_LEN {
        return Err(D::Error::custom(format!(
            "the URL is {} bytes, more than the limit of {MAX_REDIRECT_URL_LEN}",
            text.len()
        )));
    }
    if let Some(at) = text.bytes().position(|b| b <= b' ' || b == 0x7f) {
        return Err(D::Error::custom(format!(
            "the URL has a space or control character at byte {at}"
        )));
    }
    match url::Url::parse(&text) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.has_host() => Ok(Some(text)),
        Ok(u) => Err(D::Error::custom(format!(
            "expected an absolute `http` or `https` URL, found scheme `{}`",
            crate::error::shorten(u.scheme())
        ))),
        Err(e) => Err(D::Error::custom(format!(
            "expected an absolute `http` or `https` URL such as `https://app.example.com/done` ({e})"
        ))),
    }
}

/// `POST /integration-setup-sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct CreateIntegrationSetupSession {
    /// The integration to set up.
    #[serde(deserialize_with = "crate::id::strict")]
    pub integration_id: IntegrationId,
    /// The name of the session and its instance.
    pub name: Name,
    /// The description, trimmed.
    #[serde(
        default,
        deserialize_with = "trimmed",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "proptest", proptest(strategy = "crate::arbitrary::trimmed_text()"))]
    pub description: Option<String>,
    /// Free key-value pairs (at most 32 levels deep).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "request_metadata"
    )]
    pub metadata: Option<Metadata>,
    /// Stored, never returned (at most 32 levels deep).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "request_metadata"
    )]
    pub private_metadata: Option<Metadata>,
    /// The identity actor.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::id::strict_opt"
    )]
    pub identity_actor_id: Option<IdentityActorId>,
    /// The identity.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::id::strict_opt"
    )]
    pub identity_id: Option<IdentityId>,
    /// When the session expires (default: 30 minutes after creation; must be in the future).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<Timestamp>,
    /// Where the page sends the user when done: an absolute `http` or
    /// `https` URL of at most [`MAX_REDIRECT_URL_LEN`] bytes.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "redirect_url"
    )]
    #[cfg_attr(feature = "proptest", proptest(strategy = "crate::arbitrary::redirect_url()"))]
    pub redirect_url: Option<String>,
    /// Page configuration; single objects are accepted where arrays are
    /// expected. Its ids are a caller's, so strict: each of its own kind
    /// (contract §2), though the type is shared with liberal responses.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::objects::setup::request_configuration"
    )]
    #[cfg_attr(
        feature = "proptest",
        proptest(strategy = "crate::arbitrary::request_configuration()")
    )]
    pub configuration: Option<SetupConfiguration>,
}
