//! Decisions of the contract the tool resolver once got wrong, each named
//! after what broke.

use switchboard::toolset::{
    Access, Capability, CollisionPolicy, ErrorKind, Kind, ProviderEntry, ResolveOptions, resolve,
};

fn provider(name: &str, caps: Vec<Capability>) -> ProviderEntry {
    ProviderEntry {
        name: name.to_owned(),
        capabilities: caps,
        ..ProviderEntry::default()
    }
}

#[test]
fn a_prompt_does_not_hide_a_tool_of_the_same_name() {
    let providers = [
        provider("a", vec![Capability::new(Kind::Prompt, "search")]),
        provider("b", vec![Capability::tool("search")]),
    ];
    let r = resolve(&providers, &ResolveOptions::default()).unwrap();
    let tool = r
        .entries
        .iter()
        .find(|e| e.provider == 1)
        .expect("b's tool is resolved");
    assert!(tool.decision.is_allowed(), "{:?}", tool.decision);
    assert_eq!(r.route(Kind::Tool, "search"), Some((1, 0)));
    assert_eq!(r.route(Kind::Prompt, "search"), Some((0, 0)));
    assert_eq!(r.check_tool("search").unwrap(), (1, 0));
    assert_eq!(r.check_prompt("search").unwrap(), (0, 0));
}

#[test]
fn a_tool_and_a_prompt_of_one_name_are_no_collision() {
    let one = [provider(
        "a",
        vec![Capability::tool("x"), Capability::new(Kind::Prompt, "x")],
    )];
    let error = ResolveOptions {
        policy: CollisionPolicy::Error,
        ..ResolveOptions::default()
    };
    let r = resolve(&one, &error).unwrap();
    assert_eq!(r.allowed().count(), 2);
    // Within one kind a name is still taken once.
    let two = [
        provider("a", vec![Capability::tool("x")]),
        provider(
            "b",
            vec![Capability::new(Kind::Prompt, "x"), Capability::tool("x")],
        ),
    ];
    let e = resolve(&two, &error).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Collision);
    insta::assert_snapshot!(e, @"1 name collision(s): tool `x` from a, b");
}

#[test]
fn empty_credential_scopes_with_an_unknown_auth_config_do_not_restrict() {
    let mut cap = Capability::tool("push");
    cap.required_scopes = vec![vec!["repo".to_owned()]];
    let scopes = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let (none, repo) = (scopes(&[]), scopes(&["repo"]));
    type Case<'a> = (Option<&'a [String]>, Option<&'a [String]>, bool);
    let cases: [Case; 7] = [
        // The credentials' scopes decide only when there are some ...
        (Some(&none), None, true),
        (Some(&repo), Some(&none), true),
        (Some(&scopes(&["read"])), Some(&repo), false),
        // ... else the auth config's, when known: `[]` grants nothing ...
        (Some(&none), Some(&none), false),
        (None, Some(&none), false),
        (None, Some(&repo), true),
        // ... else nothing is known and scopes do not restrict.
        (None, None, true),
    ];
    for (credentials, auth_config, allowed) in cases {
        let access = Access::from_known(credentials, auth_config, None);
        assert_eq!(
            access.missing_scopes(&cap).is_empty(),
            allowed,
            "credentials {credentials:?}, auth config {auth_config:?}"
        );
    }
}
