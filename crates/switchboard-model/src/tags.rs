//! Zero-sized markers for the fixed `object` strings of the wire format.
//!
//! Each encodes as its string and decodes only from it, so decoding a
//! `provider.tool` as a `session.template` is an error that names both.

macro_rules! tags {
    ($( $(#[$meta:meta])* $name:ident = $text:literal; )*) => {$(
        $(#[$meta])*
        #[doc = concat!("\n\nAlways `\"", $text, "\"`.")]
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
        pub struct $name;

        impl $name {
            /// The wire text.
            pub const TEXT: &'static str = $text;
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($text)
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl serde::de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("the string \"", $text, "\""))
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        if v == $text {
                            Ok($name)
                        } else {
                            Err(E::custom(format_args!(
                                "expected object \"{}\", found \"{}\"",
                                $text,
                                crate::error::shorten(v)
                            )))
                        }
                    }
                }
                d.deserialize_str(V)
            }
        }
    )*};
}

tags! {
    /// `session.template`
    SessionTemplate = "session.template";
    /// `session.template.provider`
    SessionTemplateProvider = "session.template.provider";
    /// `provider#preview`
    ProviderPreview = "provider#preview";
    /// `provider.deployment#preview`
    DeploymentPreview = "provider.deployment#preview";
    /// `provider.config#preview`
    ConfigPreview = "provider.config#preview";
    /// `provider.auth_config#preview`
    AuthConfigPreview = "provider.auth_config#preview";
    /// `provider.tool`
    ProviderTool = "provider.tool";
    /// `provider.tools`
    ProviderTools = "provider.tools";
    /// `integration.setup_session`
    SetupSession = "integration.setup_session";
    /// `integration.setup_session.step`
    SetupSessionStep = "integration.setup_session.step";
    /// `integration.instance`
    IntegrationInstance = "integration.instance";
    /// `integration.instance.provider`
    InstanceProvider = "integration.instance.provider";
    /// `integration.provider#snapshot`
    IntegrationProviderSnapshot = "integration.provider#snapshot";
    /// `integration.provider.version`
    IntegrationProviderVersion = "integration.provider.version";
    /// `provider.capabilities.auth_method`
    AuthMethod = "provider.capabilities.auth_method";
    /// `provider.capabilities.auth_method.scope`
    AuthMethodScope = "provider.capabilities.auth_method.scope";
    /// `provider.auth_credentials`
    AuthCredentials = "provider.auth_credentials";
    /// `error`
    Error = "error";
    /// `json_schema`, the `type` of a schema wrapper.
    JsonSchema = "json_schema";
}

/// The constant `false` of an error body's `ok`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "proptest", derive(proptest_derive::Arbitrary))]
pub struct False;

impl serde::Serialize for False {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bool(false)
    }
}

impl<'de> serde::Deserialize<'de> for False {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match bool::deserialize(d)? {
            false => Ok(False),
            true => Err(serde::de::Error::custom("an error body has `ok: false`")),
        }
    }
}
