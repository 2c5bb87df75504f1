//! What a provider offers: capabilities, their kinds, and the levels of a filter chain.

use switchboard_model::ProviderTool;

switchboard_model::closed_enum! {
    /// What a capability is. Wire names (`tool`, `resource_template`, ...) are
    /// those of the `switchboard tools` document and of explanations.
    pub enum Kind as "capability kind" {
        /// A callable tool (`tool.callable`, `mcp.tool`).
        Tool = "tool",
        /// An MCP prompt.
        Prompt = "prompt",
        /// An MCP resource template (matched on its URI template).
        ResourceTemplate = "resource_template",
        /// Listing or reading a resource (matched on its URI).
        ResourceRead = "resource_read",
        /// A protocol utility (`logging/setLevel`, `completion/complete`): always denied.
        Utility = "utility",
    }
}

impl Kind {
    /// The kind in a sentence: `tool`, `resource template`, `protocol utility`.
    pub fn noun(self) -> &'static str {
        match self {
            Kind::Tool => "tool",
            Kind::Prompt => "prompt",
            Kind::ResourceTemplate => "resource template",
            Kind::ResourceRead => "resource",
            Kind::Utility => "protocol utility",
        }
    }
}

/// The longest tool key, id, callable id, MCP name or prompt name matched, in bytes.
pub const MAX_NAME_LEN: usize = 256;

/// The longest URI or URI template matched, in bytes.
pub const MAX_URI_LEN: usize = 2 * 1024;

/// One capability of a provider version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Capability {
    /// Its kind.
    pub kind: Kind,
    /// The tool key, prompt name, URI template, URI or method.
    pub key: String,
    /// A tool's id (`pto_...`).
    pub id: Option<String>,
    /// A tool's callable id.
    pub callable_id: Option<String>,
    /// A tool's MCP name.
    pub mcp_name: Option<String>,
    /// Required OAuth scopes: every group needs one of its scopes.
    pub required_scopes: Vec<Vec<String>>,
    /// Auth-method keys the capability works with; empty means any.
    pub auth_methods: Vec<String>,
    /// A tool's wire object, for the `provider.tools` output.
    pub tool: Option<Box<ProviderTool>>,
}

impl Capability {
    /// A capability of `kind` with only its key.
    pub fn new(kind: Kind, key: impl Into<String>) -> Self {
        Capability {
            kind,
            key: key.into(),
            id: None,
            callable_id: None,
            mcp_name: None,
            required_scopes: Vec::new(),
            auth_methods: Vec::new(),
            tool: None,
        }
    }

    /// A tool from its wire object: key, id and (for the output) the object
    /// itself (a boxed object is moved in, not copied).
    pub fn from_tool(tool: impl Into<Box<ProviderTool>>) -> Self {
        let tool = tool.into();
        let mut c = Capability::tool(tool.key.clone());
        c.id = Some(tool.id.to_string());
        c.tool = Some(tool);
        c
    }

    /// A tool with only its key.
    pub fn tool(key: impl Into<String>) -> Self {
        Capability::new(Kind::Tool, key)
    }

    /// The longest any of this capability's match keys may be.
    pub fn max_key_len(&self) -> usize {
        match self.kind {
            Kind::ResourceTemplate | Kind::ResourceRead => MAX_URI_LEN,
            _ => MAX_NAME_LEN,
        }
    }

    /// The first match key over [`Capability::max_key_len`]: `(field, length)`.
    /// Regex work is linear in the key, so keys are bounded like any input.
    pub fn overlong_key(&self) -> Option<(&'static str, usize)> {
        let limit = self.max_key_len();
        [
            ("key", Some(&self.key)),
            ("id", self.id.as_ref()),
            ("callable_id", self.callable_id.as_ref()),
            ("mcp_name", self.mcp_name.as_ref()),
        ]
        .into_iter()
        .find_map(|(field, v)| v.filter(|v| v.len() > limit).map(|v| (field, v.len())))
    }

    /// The keys tool rules match: key, id, callable id, MCP name.
    pub fn match_keys(&self) -> Vec<&str> {
        let mut keys = vec![self.key.as_str()];
        keys.extend(
            [&self.id, &self.callable_id, &self.mcp_name]
                .into_iter()
                .flatten()
                .map(String::as_str),
        );
        keys
    }
}

switchboard_model::closed_enum! {
    /// A level of the filter chain, parent to child.
    pub enum Level as "level" {
        /// The provider config.
        Config = "config",
        /// The auth config.
        AuthConfig = "auth_config",
        /// The deployment.
        Deployment = "deployment",
        /// The session template provider (or session provider).
        TemplateProvider = "template_provider",
        /// The integration provider.
        IntegrationProvider = "integration_provider",
        /// The integration instance provider.
        InstanceProvider = "instance_provider",
    }
}

impl Level {
    /// The level in a sentence: `auth config`, `template provider`.
    pub fn noun(self) -> &'static str {
        match self {
            Level::Config => "config",
            Level::AuthConfig => "auth config",
            Level::Deployment => "deployment",
            Level::TemplateProvider => "template provider",
            Level::IntegrationProvider => "integration provider",
            Level::InstanceProvider => "instance provider",
        }
    }
}
