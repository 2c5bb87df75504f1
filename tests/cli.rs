//! The `switchboard` command, run in-process.

use switchboard_cli::{Outcome, run};

mod keys;

use crate::support::{read, testdata};

fn check(args: &[&str], stdin: &str) -> Outcome {
    let mut all = vec!["switchboard", "check"];
    all.extend_from_slice(args);
    run(all, stdin.as_bytes())
}

#[test]
fn check_prints_the_canonical_encoding() {
    let path = testdata("objects/integration-setup-session.seed-shape.fixed.json");
    let out = check(&["integration.setup_session", path.to_str().unwrap()], "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    let got: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let want: serde_json::Value = serde_json::from_str(&read(
        "objects/integration-setup-session.seed-shape.canonical.json",
    ))
    .unwrap();
    assert_eq!(got, want);
}

#[test]
fn check_reads_standard_input_for_dash_or_no_file() {
    let json = read("objects/session-template-list.json");
    for args in [
        &["list:session.template", "-"][..],
        &["list:session.template"][..],
    ] {
        let out = check(args, &json);
        assert_eq!(out.code, 0, "{}", out.stdout);
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&out.stdout).unwrap(),
            serde_json::from_str::<serde_json::Value>(&json).unwrap()
        );
    }
}

#[test]
fn invalid_input_prints_the_error_body_and_exits_2() {
    let out = check(
        &["request:create_session_template"],
        r#"{"name": "x", "providers": [{"provider_config_id": "pro_1"}]}"#,
    );
    assert_eq!(out.code, 2);
    insta::assert_snapshot!(out.stdout, @r#"
    {
      "object": "error",
      "ok": false,
      "status": 400,
      "code": "invalid_data",
      "message": "The provided data is invalid.",
      "entity": "body",
      "errors": [
        {
          "code": "invalid_value",
          "message": "expected a provider config id (prefix `pcf_`), found a provider id (prefix `pro_`)",
          "path": [
            "providers",
            0,
            "provider_config_id"
          ]
        }
      ]
    }
    "#);
}

#[test]
fn check_lists_every_problem_of_a_request_body_as_the_server_does() {
    let seed = read("objects/seed/session-template.create.json");
    let out = check(&["request:create_session_template"], &seed);
    assert_eq!(out.code, 2);
    let body: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let paths: Vec<String> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].to_string())
        .collect();
    insta::assert_snapshot!(paths.join("\n"), @r#"
    ["providers","provider_deployment_id"]
    ["providers","provider_auth_config_id"]
    ["providers","provider_config_id"]
    ["providers","tool_filters","type"]
    "#);
}

#[test]
fn strict_flag_rejects_unknown_keys() {
    let body = r#"{"integration_id": "int_1", "name": "x", "nmae": "y"}"#;
    assert_eq!(check(&["request:create_integration_setup_session"], body).code, 0);
    let out = check(&["request:create_integration_setup_session", "--strict"], body);
    assert_eq!(out.code, 2);
    assert!(out.stdout.contains("\"nmae\""), "{}", out.stdout);
}

#[test]
fn an_unknown_kind_lists_the_valid_ones_and_exits_2() {
    let out = check(&["session.templat"], "{}");
    assert_eq!(out.code, 2);
    let body: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(body["code"], "bad_request");
    let msg = body["message"].as_str().unwrap();
    assert!(
        msg.starts_with("unknown kind `session.templat`, expected one of: session.template, "),
        "{msg}"
    );
    assert!(
        msg.contains("list:integration.setup_session")
            && msg.contains("request:create_integration_setup_session")
    );
}

#[test]
fn a_missing_file_is_exit_1_with_a_message() {
    let out = check(&["session.template", "/nonexistent/x.json"], "");
    assert_eq!(out.code, 1);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr
            .starts_with("switchboard: cannot read /nonexistent/x.json: "),
        "{}",
        out.stderr
    );
}

#[test]
fn bundled_examples_check() {
    let root = env!("CARGO_MANIFEST_DIR");
    for (kind, file) in [
        (
            "integration.setup_session",
            "examples/integration-setup-session.json",
        ),
        ("session.template", "examples/session-template.json"),
        (
            "request:create_session_template",
            "examples/create-session-template.json",
        ),
    ] {
        let out = check(&[kind, &format!("{root}/{file}"), "--strict"], "");
        assert_eq!(out.code, 0, "{file}: {}", out.stdout);
    }
}

#[test]
fn query_prints_the_typed_parameters() {
    let out = run(
        [
            "switchboard",
            "query",
            "session-templates",
            "status[]=active&status%5B%5D=archived&limit=5&after=set_1",
        ],
        b"",
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(
        out.stdout,
        "{\"limit\":5,\"order\":\"asc\",\"after\":\"stm_1\",\"before\":null,\"filters\":{\"status\":[\"active\",\"archived\"]}}\n"
    );
}

#[test]
fn query_errors_are_error_bodies_with_exit_2() {
    let out = run(
        [
            "switchboard",
            "query",
            "integration-setup-sessions",
            "status=failed&limit=0",
        ],
        b"",
    );
    assert_eq!(out.code, 2);
    let body: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(body["code"], "invalid_data");
    assert_eq!(body["errors"][0]["path"], serde_json::json!(["limit"]));
    assert_eq!(body["errors"][1]["path"], serde_json::json!(["status", 0]));
    let out = run(["switchboard", "query", "sessions", ""], b"");
    assert_eq!(out.code, 2);
    assert!(
        out.stdout.contains("unknown resource `sessions`"),
        "{}",
        out.stdout
    );
}

#[test]
fn query_encode_is_the_reverse() {
    let json = r#"{"limit":5,"order":"desc","after":null,"before":"stm_9","filters":{"created_at":{"gt":"2026-01-01T00:00:00.000Z","gte":null,"lt":null,"lte":null}}}"#;
    let out = run(
        ["switchboard", "query", "--encode", "session-templates", "-"],
        json.as_bytes(),
    );
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert_eq!(
        out.stdout,
        "limit=5&order=desc&before=stm_9&created_at%5Bgt%5D=2026-01-01T00%3A00%3A00.000Z\n"
    );
    let back = run(
        ["switchboard", "query", "session-templates", out.stdout.trim_end()],
        b"",
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&back.stdout).unwrap(),
        serde_json::from_str::<serde_json::Value>(json).unwrap()
    );
}

#[test]
fn tools_prints_the_effective_set_and_explains() {
    let root = env!("CARGO_MANIFEST_DIR");
    let file = format!("{root}/examples/template-tools.json");
    let out = run(["switchboard", "tools", file.as_str()], b"");
    assert_eq!(out.code, 0, "{}", out.stdout);
    let tools: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(tools["object"], "provider.tools");
    assert_eq!(tools["items"].as_array().unwrap().len(), 5);
    let out = run(
        [
            "switchboard",
            "tools",
            file.as_str(),
            "--explain",
            "--policy",
            "prefix",
        ],
        b"",
    );
    let explained: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    let decisions = explained["decisions"].as_array().unwrap();
    assert_eq!(decisions.len(), 18);
    assert!(
        decisions
            .iter()
            .any(|d| d["name"] == "linear__create_issue" && d["allowed"] == true)
    );
    let out = run(["switchboard", "tools", file.as_str(), "--policy", "error"], b"");
    assert_eq!(out.code, 2);
    assert!(
        out.stdout.contains(
            "2 name collision(s): tool `create_issue` from github, linear; tool `list_issues` from github, linear"
        ),
        "{}",
        out.stdout
    );
}

#[test]
fn tools_refuses_a_bad_document_with_its_path() {
    let out = run(["switchboard", "tools", "-"], br#"{"providers": [{"name": "a", "template_provider_id": "stp_1", "filters": {"config": {"type": "tool_regex", "pattern": "(?=x)"}}}]}"#);
    assert_eq!(out.code, 2);
    let body: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(
        body["errors"][0]["path"],
        serde_json::json!(["providers", 0, "filters", "config", 0, "pattern"])
    );
}

#[test]
fn setup_runs_the_scenario_and_shows_any_moment() {
    let root = env!("CARGO_MANIFEST_DIR");
    let file = format!("{root}/examples/setup-scenario.json");
    let out = run(["switchboard", "setup", file.as_str()], b"");
    assert_eq!(out.code, 0, "{}", out.stdout);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["session"]["status"], "successful");
    assert_eq!(v["timeline"].as_array().unwrap().len(), 13);
    let early = run(
        [
            "switchboard",
            "setup",
            file.as_str(),
            "--at",
            "2026-01-01T10:04:00.000Z",
        ],
        b"",
    );
    let v: serde_json::Value = serde_json::from_str(&early.stdout).unwrap();
    let steps: Vec<&str> = v["session"]["steps"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["status"].as_str().unwrap())
        .collect();
    assert_eq!(steps, ["configured", "pending", "pending"]);
    let late = run(["switchboard", "setup", file.as_str(), "--at", "soon"], b"");
    assert_eq!(late.code, 2);
    assert!(late.stdout.contains("\"--at\""), "{}", late.stdout);
}

#[test]
fn setup_reports_where_a_scenario_breaks() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut doc: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{root}/examples/setup-scenario.json")).unwrap(),
    )
    .unwrap();
    // Complete a child that was never started.
    let completion = doc["timeline"][1].clone();
    doc["timeline"].as_array_mut().unwrap().insert(0, completion);
    let out = run(["switchboard", "setup", "-"], doc.to_string().as_bytes());
    assert_eq!(out.code, 2);
    let body: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(body["code"], "bad_request");
    assert!(
        body["message"]
            .as_str()
            .unwrap()
            .starts_with("timeline[0] (child_completed): "),
        "{body}"
    );
}

#[test]
fn tools_table_for_people() {
    let file = format!("{}/examples/template-tools.json", env!("CARGO_MANIFEST_DIR"));
    let out = run(["switchboard", "tools", file.as_str(), "--format", "table"], b"");
    assert_eq!(out.code, 0);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines[0].starts_with("KEY") && lines[0].ends_with("REASON"),
        "{}",
        lines[0]
    );
    // Five tools, two prompts and one resource template are exposed.
    assert_eq!(lines.len(), 1 + 8, "{}", out.stdout);
}

#[test]
fn validate_reports_every_violation_or_valid() {
    let dir = std::env::temp_dir().join(format!("switchboard-validate-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let schema = dir.join("schema.json");
    std::fs::write(&schema, r#"{"type": "json_schema", "schema": {"type": "object", "required": ["repo"], "properties": {"repo": {"type": "string"}}}}"#).unwrap();
    let s = schema.to_str().unwrap();
    let ok = run(["switchboard", "validate", s, "-"], br#"{"repo": "acme/api"}"#);
    assert_eq!((ok.code, ok.stdout.as_str()), (0, "{\"valid\": true}\n"));
    let bad = run(["switchboard", "validate", s, "-"], br#"{"repo": 7}"#);
    assert_eq!(bad.code, 2);
    let body: serde_json::Value = serde_json::from_str(&bad.stdout).unwrap();
    assert_eq!(body["errors"][0]["path"], serde_json::json!(["repo"]));
    assert_eq!(body["errors"][0]["code"], "type");
    let both = run(["switchboard", "validate", "-", "-"], b"{}");
    assert_eq!(both.code, 1);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn invalid_utf8_on_standard_input_is_an_error_body() {
    let bytes: &[u8] = b"limit=5&status=\xff\xfe";
    let out = run(["switchboard", "query", "session-templates", "-"], bytes);
    assert_eq!(out.code, 2, "{}", out.stderr);
    insta::assert_snapshot!(out.stdout.trim(), @r#"
    {
      "object": "error",
      "ok": false,
      "status": 400,
      "code": "invalid_data",
      "message": "The provided data is invalid.",
      "entity": "input",
      "errors": [
        {
          "code": "invalid_utf8",
          "message": "standard input is not UTF-8 (byte 15)",
          "path": []
        }
      ]
    }
    "#);
    // Every command that reads JSON answers the same way.
    for args in [
        &["switchboard", "check", "session.template", "-"][..],
        &["switchboard", "setup", "-"][..],
        &["switchboard", "tools", "-"][..],
    ] {
        let out = run(args.iter().copied(), b"{\"name\": \"\xff\"}");
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        let body: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
        assert_eq!(body["code"], "invalid_data", "{args:?}");
    }
}

#[test]
fn a_key_cannot_forge_a_table_row_or_drive_the_terminal() {
    let doc = r#"{"providers": [{"name": "evil", "template_provider_id": "stp_1", "tools": [
        {"tool": {"object": "provider.tool", "id": "pto_1", "key": "fake\nROW  evil  yes  allowed\u001b[2J",
         "name": "x", "description": null, "capabilities": {}, "constraints": [], "instructions": [],
         "input_schema": null, "output_schema": null, "tags": null, "specification_id": "psp_1",
         "provider_id": "pro_1", "created_at": "2026-01-01T00:00:00.000Z", "updated_at": "2026-01-01T00:00:00.000Z"}}]}]}"#;
    let out = run(["switchboard", "tools", "-", "--format", "table"], doc.as_bytes());
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert_eq!(out.stdout.lines().count(), 2, "{}", out.stdout);
    assert!(!out.stdout.contains('\u{1b}'));
    assert!(out.stdout.contains(r"fake\u{a}ROW"), "{}", out.stdout);
}
