//! `switchboard-query`: data-driven vectors in `testdata/query/`, property
//! tests, and error texts.

use proptest::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};
use switchboard::model::error::ApiError;
use switchboard::model::id::SessionTemplateId;
use switchboard::query::page::{PageRequest, paginate, walk};
use switchboard::query::{
    DecodeOptions, IntegrationSetupSessions, ListQuery, Order, PageSize, Position, Resource,
    SessionTemplateProviders, SessionTemplates, UnknownParams,
};

/// One vector: a query to decode (`query`) or a JSON form to encode (`encode`),
/// and what must come out.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    name: String,
    #[serde(default = "default_resource")]
    resource: String,
    #[serde(default)]
    strict: bool,
    query: Option<String>,
    encode: Option<Value>,
    expect: Option<Expect>,
    expect_query: Option<String>,
    error: Option<ExpectError>,
}

fn default_resource() -> String {
    "session-templates".to_owned()
}

/// The decoded query; absent keys are the defaults.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    #[serde(default = "default_limit")]
    limit: u64,
    #[serde(default = "default_order")]
    order: String,
    after: Option<String>,
    before: Option<String>,
    #[serde(default)]
    filters: serde_json::Map<String, Value>,
}

fn default_limit() -> u64 {
    20
}

fn default_order() -> String {
    "asc".to_owned()
}

/// The error body: its code, every `errors[].path`, and text that the
/// message, `Display` or hint must contain.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ExpectError {
    code: String,
    paths: Vec<Vec<Value>>,
    message_contains: Option<String>,
}

/// Decodes or encodes one vector for resource `R`; returns a description of any mismatch.
fn run_case<R: Resource>(case: &Case) -> Result<(), String> {
    let options = DecodeOptions {
        unknown: if case.strict {
            UnknownParams::Reject
        } else {
            UnknownParams::Ignore
        },
        ..DecodeOptions::default()
    };
    let result = match (&case.query, &case.encode) {
        (Some(q), None) => {
            ListQuery::<R>::decode_with(q, &options).map(|q| serde_json::to_value(&q).unwrap())
        }
        (None, Some(e)) => ListQuery::<R>::from_json(e).map(|q| Value::String(q.encode())),
        _ => return Err("a case has exactly one of `query` and `encode`".to_owned()),
    };
    match (result, &case.error) {
        (Ok(got), None) => {
            let want = match (&case.expect_query, &case.expect) {
                (Some(q), None) if case.encode.is_some() => json!(q),
                (None, Some(e)) if case.query.is_some() => json!({
                    "limit": e.limit,
                    "order": e.order,
                    "after": e.after,
                    "before": e.before,
                    "filters": e.filters,
                }),
                _ => {
                    return Err(
                        "a success case needs `expect` (decode) or `expect_query` (encode)".to_owned(),
                    );
                }
            };
            (got == want)
                .then_some(())
                .ok_or(format!("got {got}\nwant {want}"))
        }
        (Ok(got), Some(_)) => Err(format!("expected an error, got {got}")),
        (Err(e), None) => Err(format!("unexpected error: {e}")),
        (Err(e), Some(want)) => {
            let body = e.error_body();
            let paths: Vec<Vec<Value>> = body
                .errors
                .iter()
                .flatten()
                .map(|f| f.path.iter().map(|p| serde_json::to_value(p).unwrap()).collect())
                .collect();
            let mut problems = Vec::new();
            if body.code.as_str() != want.code {
                problems.push(format!("code {} != {}", body.code, want.code));
            }
            if paths != want.paths {
                problems.push(format!("paths {paths:?} != {:?}", want.paths));
            }
            if let Some(s) = &want.message_contains {
                let text = format!("{e} {} {}", body.message, body.hint.unwrap_or_default());
                if !text.contains(s.as_str()) {
                    problems.push(format!("message `{text}` lacks `{s}`"));
                }
            }
            if problems.is_empty() {
                Ok(())
            } else {
                Err(problems.join("; "))
            }
        }
    }
}

/// Runs every case of `testdata/query/<file>.json`.
fn check(file: &str) {
    let all: Vec<Case> = crate::support::cases(&format!("query/{file}.json"));
    let n = all.len();
    let mut failures = Vec::new();
    for case in &all {
        let outcome = match case.resource.as_str() {
            "session-templates" => run_case::<SessionTemplates>(case),
            "session-template-providers" => run_case::<SessionTemplateProviders>(case),
            "integration-setup-sessions" => run_case::<IntegrationSetupSessions>(case),
            other => Err(format!("unknown resource {other}")),
        };
        if let Err(why) = outcome {
            failures.push(format!("{file}: {:?}: {why}", case.name));
        }
    }
    crate::support::report(&failures, n);
}

#[test]
fn vectors_encodings() {
    check("encodings");
}

#[test]
fn vectors_pagination() {
    check("pagination");
}

#[test]
fn vectors_filters() {
    check("filters");
}

#[test]
fn vectors_dates() {
    check("dates");
}

#[test]
fn vectors_limits() {
    check("limits");
}

#[test]
fn vectors_encode() {
    check("encode");
}

#[test]
fn error_texts() {
    let e = ListQuery::<SessionTemplates>::decode(
        "limit=5&limit=x&order=up&status[0]=gone&created_at[gt]=2026-01-01T00:00:00.000 02:00",
    )
    .unwrap_err();
    insta::assert_snapshot!(e, @"limit: given 2 times; `limit` takes one value; order: unknown order `up`, expected one of `asc`, `desc`; status[0]: unknown status `gone`, expected one of `active`, `archived`; created_at.gt: `2026-01-01T00:00:00.000 02:00` is not an RFC 3339 timestamp such as `2025-09-15T10:30:00.000Z`; a `+` in a query string decodes to a space: encode it as `%2B`");
    let e = ListQuery::<SessionTemplates>::decode_with(
        "x=1&limit=2",
        &DecodeOptions {
            unknown: UnknownParams::Reject,
            ..Default::default()
        },
    )
    .unwrap_err();
    insta::assert_snapshot!(e, @"x: unknown parameter `x`, expected one of `limit`, `after`, `before`, `cursor`, `order`, `status`, `id`, `session_id`, `session_provider_id`, `provider_id`, `provider_deployment_id`, `provider_config_id`, `provider_auth_config_id`, `created_at`, `updated_at`");
    let e = ListQuery::<SessionTemplates>::decode("cursor=cur_zz").unwrap_err();
    insta::assert_snapshot!(e, @"invalid cursor format: the cursor does not hold JSON");
    // The body keeps the live service's message; the path names the parameter.
    insta::assert_snapshot!(serde_json::to_string(&e.error_body()).unwrap(), @r#"{"object":"error","ok":false,"status":400,"code":"bad_request","message":"Invalid cursor format","hint":"the cursor does not hold JSON","errors":[{"code":"invalid_cursor","message":"the cursor does not hold JSON","path":["cursor"]}]}"#);
}

#[test]
fn bound_cursors_round_trip_and_refuse_other_filters() {
    let q = ListQuery::<SessionTemplates>::decode("status=active&order=desc").unwrap();
    let c = q.cursor(&Position::After(SessionTemplateId::from_static("stm_9")));
    let again =
        ListQuery::<SessionTemplates>::decode(&format!("status=active&order=desc&cursor={c}")).unwrap();
    assert_eq!(
        again.position,
        Some(Position::After(SessionTemplateId::from_static("stm_9")))
    );
    let e =
        ListQuery::<SessionTemplates>::decode(&format!("status=archived&order=desc&cursor={c}")).unwrap_err();
    assert_eq!(e.error_body().code.as_str(), "bad_request");
}

// ---------------------------------------------------------------------------
// Property tests

fn any_filter_query() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        (1u32..=100).prop_map(|n| format!("limit={n}")),
        prop::sample::select(vec!["order=asc", "order=desc"]).prop_map(str::to_owned),
        "[0-9A-Za-z]{1,12}".prop_map(|b| format!("after=stm_{b}")),
        "[0-9A-Za-z]{1,12}".prop_map(|b| format!("before=set_{b}")),
        prop::sample::select(vec!["active", "archived"]).prop_map(|s| format!("status[]={s}")),
        "[0-9A-Za-z]{1,12}".prop_map(|b| format!("id%5B%5D=stm_{b}")),
        "[0-9A-Za-z]{1,12}".prop_map(|b| format!("provider_id=pro_{b}")),
        (0i64..4_000_000_000_000).prop_map(|ms| format!(
            "created_at[gt]={}",
            switchboard::model::Timestamp::from_millis(ms)
                .unwrap()
                .to_string()
                .replace(':', "%3A")
        )),
        (0i64..4_000_000_000_000).prop_map(|ms| format!(
            "updated_at%5Blte%5D={}",
            switchboard::model::Timestamp::from_millis(ms).unwrap()
        )),
    ];
    prop::collection::vec(piece, 0..10).prop_map(|v| v.join("&"))
}

/// The tokenizer's view of each piece, found one byte at a time with `qs`'s
/// rules: the oracle for the tokenizer, which skips ahead a word at a time.
fn reference_pieces(query: &str) -> Vec<switchboard::query::qs::Piece> {
    let b = query.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for end in (0..=b.len()).filter(|&i| i == b.len() || b[i] == b'&') {
        let first = |from: usize, to: usize, f: &dyn Fn(usize) -> bool| (from..to).find(|&i| f(i));
        let bracket_eq = first(start, end, &|i| b[i] == b'=' && i > start && b[i - 1] == b']');
        let split = bracket_eq.or_else(|| first(start, end, &|i| b[i] == b'='));
        let (key_end, value_start) = split.map_or((end, end), |at| (at, at + 1));
        if end > start {
            out.push(switchboard::query::qs::Piece {
                start,
                key_end,
                value_start,
                end,
                first_special: first(start, key_end, &|i| matches!(b[i], b'[' | b'%' | b'+'))
                    .unwrap_or(key_end),
                value_needs_decoding: first(value_start, end, &|i| matches!(b[i], b'%' | b'+')).is_some(),
            });
        }
        start = end + 1;
    }
    out
}

proptest! {
    #[test]
    fn decoding_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
        let text = String::from_utf8_lossy(&bytes);
        let _ = ListQuery::<SessionTemplates>::decode(&text);
        let _ = ListQuery::<SessionTemplateProviders>::decode(&text);
        let _ = ListQuery::<IntegrationSetupSessions>::decode(&text);
    }

    #[test]
    fn decoding_query_shaped_noise_never_panics(text in "[a-z_\\[\\]%0-9A-F=&+?.:-]{0,120}") {
        let _ = ListQuery::<SessionTemplates>::decode(&text);
        let _ = ListQuery::<IntegrationSetupSessions>::decode(&text);
    }

    #[test]
    fn decode_of_encode_is_the_identity(text in any_filter_query()) {
        // Duplicated scalars and bounds are errors; only valid queries are compared.
        if let Ok(q) = ListQuery::<SessionTemplates>::decode(&text) {
            let encoded = q.encode();
            prop_assert_eq!(ListQuery::<SessionTemplates>::decode(&encoded).unwrap(), q.clone());
            prop_assert_eq!(ListQuery::<SessionTemplates>::from_json(&q.to_json()).unwrap(), q);
        }
    }

    #[test]
    fn the_fast_path_agrees_with_the_exact_path(text in any_filter_query(), noise in "[a-z_\\[\\]%0-9=&+]{0,20}") {
        let options = DecodeOptions::default();
        for q in [text.clone(), format!("{text}&{noise}"), format!("{noise}&{text}")] {
            let exact = ListQuery::<SessionTemplates>::decode_exact(&q, &options);
            let public = ListQuery::<SessionTemplates>::decode_with(&q, &options);
            prop_assert_eq!(public, exact, "{}", q);
        }
    }

    #[test]
    fn the_tokenizer_splits_pieces_as_qs_does(text in "[ab=&\\[\\]%+]{0,80}") {
        prop_assert_eq!(switchboard::query::qs::pieces(&text), reference_pieces(&text), "{}", text);
    }

    #[test]
    fn base62_round_trips(bytes in prop::collection::vec(any::<u8>(), 1..80)) {
        let trimmed: Vec<u8> = bytes.iter().copied().skip_while(|&b| b == 0).collect();
        let text = switchboard::query::cursor::to_base62(&bytes);
        prop_assert_eq!(switchboard::query::cursor::from_base62(&text).unwrap(), trimmed);
    }

    #[test]
    fn paginator_walks_visit_every_item_once_in_order(
        n in 0u32..300,
        limit in 1u32..=100,
        desc in any::<bool>(),
        backward in any::<bool>(),
    ) {
        let items: Vec<u32> = (0..n).map(|i| i * 2 + 10).collect();
        let order = if desc { Order::Desc } else { Order::Asc };
        let limit = PageSize::new(limit).unwrap();
        // Start from the first page, or (backward) from past the end of the list.
        let start = if backward {
            let past_end = if desc { 0 } else { u32::MAX };
            PageRequest::new(limit, order, Some(Position::Before(past_end)))
        } else {
            PageRequest::new(limit, order, None)
        };
        let mut pages = 0;
        let all = walk(start, |x: &u32| *x, |req| {
            pages += 1;
            let page = paginate(&items, |x| x, req);
            // The flags are true exactly when items remain on that side.
            let (first, last) = (page.items.first().copied(), page.items.last().copied());
            let before_exists = first.is_some_and(|f| items.iter().any(|&x| if desc { x > f } else { x < f }));
            let after_exists = last.is_some_and(|l| items.iter().any(|&x| if desc { x < l } else { x > l }));
            if !page.items.is_empty() {
                assert_eq!(page.pagination.has_more_before, before_exists, "{req:?}");
                assert_eq!(page.pagination.has_more_after, after_exists, "{req:?}");
            }
            Ok::<_, switchboard::query::QueryError>(page)
        }).unwrap();
        let mut want = items.clone();
        if desc { want.reverse(); }
        prop_assert_eq!(all, want);
        prop_assert!(pages <= (n as usize).div_ceil(limit.get()).max(1));
    }

    #[test]
    fn has_more_is_exact_even_when_the_cursor_id_is_gone(
        n in 1u32..200, cursor in 0u32..500, limit in 1u32..=30, desc in any::<bool>(), before in any::<bool>()
    ) {
        let items: Vec<u32> = (0..n).map(|i| i * 2 + 1).collect(); // odd: an even cursor never exists
        let order = if desc { Order::Desc } else { Order::Asc };
        let pos = if before { Position::Before(cursor) } else { Position::After(cursor) };
        let page = paginate(&items, |x| x, &PageRequest::new(PageSize::new(limit).unwrap(), order, Some(pos)));
        let in_list_order = |a: u32, b: u32| if desc { a > b } else { a < b };
        // Brute force: the items on each side of the page in list order.
        let (lo, hi) = match (page.items.first(), page.items.last()) {
            (Some(&f), Some(&l)) => (f, l),
            _ => return Ok(()),
        };
        prop_assert_eq!(page.pagination.has_more_before, items.iter().any(|&x| in_list_order(x, lo)));
        prop_assert_eq!(page.pagination.has_more_after, items.iter().any(|&x| in_list_order(hi, x)));
    }
}

#[test]
fn walker_stops_when_a_server_repeats_a_page() {
    let page = switchboard::model::List {
        items: vec![1u32, 2],
        pagination: switchboard::model::objects::Pagination {
            has_more_before: false,
            has_more_after: true,
        },
    };
    let err = walk(
        PageRequest::new(PageSize::default(), Order::Asc, None),
        |x: &u32| *x,
        |_| Ok::<_, switchboard::query::QueryError>(page.clone()),
    )
    .unwrap_err();
    assert_eq!(err.kind(), switchboard::query::ErrorKind::Stuck);
    insta::assert_snapshot!(err, @"the server returned a page that does not advance past `2`");
    assert_eq!(err.error_body().status, 500);
}

#[test]
fn sql_shape_of_a_backward_page() {
    let req = PageRequest::new(
        PageSize::new(10).unwrap(),
        Order::Asc,
        Some(Position::Before("stm_5")),
    );
    let f = req.fetch();
    assert_eq!(
        (f.bound.map(|(c, id)| (c.sql(), *id)), f.sort, f.rows),
        (Some(("<", "stm_5")), Order::Desc, 11)
    );
    assert_eq!(req.probe().map(|(c, id)| (c.sql(), *id)), Some((">=", "stm_5")));
}

#[test]
fn an_alias_after_does_not_restart_pagination() {
    // Stored ids are canonical; a client sends the alias the live service emits.
    let stored: Vec<SessionTemplateId> = ["stm_1a", "stm_1b", "stm_1c", "stm_1d"]
        .iter()
        .map(|s| s.parse().unwrap())
        .collect();
    let q = ListQuery::<SessionTemplates>::decode("after=set_1b&limit=2").unwrap();
    assert!(matches!(&q.position, Some(Position::After(id)) if id.as_str() == "stm_1b"));
    let page = paginate(&stored, |x| x, &PageRequest::from(&q));
    let ids: Vec<&str> = page.items.iter().map(|i| i.as_str()).collect();
    assert_eq!(ids, ["stm_1c", "stm_1d"]);
    assert!(page.pagination.has_more_before && !page.pagination.has_more_after);
    // A cursor holding the alias lands on the same page.
    let cursor = switchboard::query::cursor::Cursor {
        direction: switchboard::query::cursor::Direction::After,
        id: "set_1b".to_owned(),
        binding: None,
    };
    let q2 = ListQuery::<SessionTemplates>::decode(&format!("cursor={}&limit=2", cursor.encode())).unwrap();
    assert_eq!(q2.position, q.position);
}

#[test]
fn an_alias_id_filter_matches_the_stored_id() {
    let q = ListQuery::<SessionTemplates>::decode("id=set_1b&id[]=stm_1c").unwrap();
    let stored: SessionTemplateId = "stm_1b".parse().unwrap();
    assert!(q.filter.id.contains(&stored));
    // Encoded back in canonical form, so a store compares text with text.
    assert_eq!(q.encode(), "id%5B0%5D=stm_1b&id%5B1%5D=stm_1c");
}

proptest::proptest! {
    /// Every cursor decodes to what was encoded, whether it takes the plain
    /// reader (the shape this crate issues) or the JSON route (escapes, quotes).
    #[test]
    fn cursors_round_trip_through_either_reader(
        after in proptest::bool::ANY,
        id in "[ -~]{0,24}|\\PC{0,8}",
        binding in proptest::option::of("[0-9a-f\"\\\\,]{0,16}"),
    ) {
        use switchboard::query::cursor::{Cursor, Direction};
        let c = Cursor {
            direction: if after { Direction::After } else { Direction::Before },
            id,
            binding,
        };
        proptest::prop_assert_eq!(Cursor::decode(&c.encode()).unwrap(), c);
    }
}

#[test]
fn a_bracket_nested_too_deep_is_reported_at_the_deepest_valid_path() {
    let e = ListQuery::<SessionTemplates>::decode("created_at[gt][x]=2026-01-01T00:00:00.000Z").unwrap_err();
    assert_eq!(e.errors()[0].code, "too_deep");
    assert_eq!(
        serde_json::to_value(&e.errors()[0].path).unwrap(),
        json!(["created_at", "gt"])
    );
    let e = ListQuery::<SessionTemplates>::decode("status%5B0%5D%5B1%5D%5B2%5D=active").unwrap_err();
    assert_eq!(
        serde_json::to_value(&e.errors()[0].path).unwrap(),
        json!(["status", "0"])
    );
}
