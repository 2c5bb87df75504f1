//! The long help of each subcommand, with an example.

pub(crate) const TOOLS_HELP: &str = "\
Input: one JSON document.
  {\"providers\": [{
     \"name\": \"github\",                              short name, used by --policy prefix
     \"template_provider_id\": \"stp_...\",             providers resolve in id order
     \"filters\": {\"config\": F, \"auth_config\": F, \"deployment\": F, \"template_provider\": F},
     \"auth_method\": \"oauth2\",
     \"granted_scopes\": {\"credentials\": [...], \"auth_config\": [...]},   absent/null: unknown; []: none
     \"tools\": [{\"tool\": <provider.tool>, \"callable_id\", \"mcp_name\",
                \"required_scopes\": [[\"repo\", \"public_repo\"]], \"auth_methods\": [\"oauth2\"]}],
     \"prompts\": [\"summarize\"], \"resource_templates\": [\"github://{owner}/{repo}\"],
     \"resource_reads\": [\"github://acme/api/README.md\"], \"utilities\": [\"logging/setLevel\"]}]}
  F is a tool filter in any shape the API accepts: a rule, a list of rules,
  {\"type\": \"allow_all\"}, {\"type\": \"filter\", \"filters\": [...], \"ignore_parent_filters\": true}.
  Only name, template_provider_id and each tool's `tool` are required.
  At most 100 providers; names at most 256 bytes, URIs 2 KiB. Utilities are always denied.

Output: the `provider.tools` object; with --explain,
  {\"tools\": <provider.tools>, \"decisions\": [{provider, kind, key, name, allowed, reason}], \"warnings\": [...]}

Example:
  switchboard tools examples/template-tools.json --explain
  switchboard tools examples/template-tools.json --explain --format table";

pub(crate) const SETUP_HELP: &str = "\
Scenario: one JSON document.
  {\"base_url\": \"https://setup.example.com\",
   \"integration\": {\"id\": \"int_1\", \"active\": true, \"custom_tool_filters\": true,
                   \"override_tool_filters\": false, \"providers\": [P, ...]},
   \"ids\": {\"session\": \"iss_1\", \"instance\": \"ini_1\", \"steps\": [\"isst_1\", ...]},
   \"create\": <POST /integration-setup-sessions body>,
   \"now\": \"2026-01-01T10:00:00.000Z\",
   \"timeline\": [{\"at\": T, \"event\": {\"type\": \"child_started\", \"step\": \"isst_1\", \"child\": \"pas_1\"}}, ...]}
  P = {\"id\": \"inp_...\", \"active\": true, \"created_at\": T, \"provider\": <provider#preview>,
       \"snapshot\": <integration.provider#snapshot>}; one step id per active provider.
  Event types: child_started, child_completed (+ completion: {config, auth_config,
  tool_filter, explicit}), child_failed, child_expired, tools_confirmed,
  instance_provider_created (+ instance_provider), archive, delete, tick.

Output: {\"session\": <integration.setup_session>, \"created\": [effects], \"timeline\": [{at, event, version, effects}]}

Example:
  switchboard setup examples/setup-scenario.json --at 2026-01-01T10:45:00.000Z";

pub(crate) const VALIDATE_HELP: &str = "\
Prints {\"valid\": true} and exits 0, or the invalid_data error body with every
violation (path, failing keyword as code, message) and exits 2. Remote $refs are
never fetched; the draft comes from $schema (2020-12 when absent).

Example:
  echo '{\"repo\": 7}' | switchboard validate schema.json -";

pub(crate) const QUERY_HELP: &str = "\
Output (and --encode input):
  {\"limit\":20,\"order\":\"asc\",\"after\":null,\"before\":null,\"filters\":{...}}
  `after`/`before` come from whichever of after, before, cursor won; `filters` holds
  the filters given: lists as arrays of strings, date ranges as {\"gt\",\"gte\",\"lt\",\"lte\"}.

Examples:
  switchboard query session-templates 'status[]=active&status[]=archived&limit=5'
  switchboard query integration-setup-sessions 'created_at%5Bgt%5D=2026-01-01T00:00:00.000Z'
  switchboard query --encode session-templates '{\"filters\":{\"status\":[\"active\"]}}'";

pub(crate) const CHECK_HELP: &str = "\
Kinds:
  session.template  session.template.provider  integration.setup_session
  integration.setup_session.step  integration.instance  integration.instance.provider
  provider.tool  provider.tools  error
  list:<any object kind above>
  request:create_session_template  request:update_session_template
  request:create_session_template_provider  request:update_session_template_provider
  request:create_integration_setup_session

Example:
  switchboard check integration.setup_session examples/integration-setup-session.json";

/// Every kind `check` accepts, for the error message.
pub(crate) const OBJECT_KINDS: &[&str] = &[
    "session.template",
    "session.template.provider",
    "integration.setup_session",
    "integration.setup_session.step",
    "integration.instance",
    "integration.instance.provider",
    "provider.tool",
    "provider.tools",
    "error",
];
pub(crate) const REQUEST_KINDS: &[&str] = &[
    "request:create_session_template",
    "request:update_session_template",
    "request:create_session_template_provider",
    "request:update_session_template_provider",
    "request:create_integration_setup_session",
];
