//! List queries: decoding 20 realistic query strings into typed parameters,
//! side by side with `serde_qs` decoding the same strings into an equivalent
//! struct; and paging deep into a million ids versus the first page.

// `criterion_group!` defines an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use serde::Deserialize;
use switchboard::model::Timestamp;
use switchboard::model::id::SessionTemplateId;
use switchboard::query::page::{PageRequest, paginate};
use switchboard::query::{ListQuery, Order, PageSize, Position, SessionTemplates};

/// Twenty queries as the official clients send them: arrays in every form,
/// date ranges, cursors, percent-encoding.
const QUERIES: [&str; 20] = [
    "limit=20",
    "limit=50&order=desc",
    "status=active&status=archived",
    "status[]=active&status[]=archived&limit=10",
    "status%5B0%5D=active&status%5B1%5D=archived&order=desc",
    "after=stm_0mhx7k2abSeSsIoNaBcDe&limit=100",
    "before=stm_0mhx7k2abSeSsIoNaBcDe&order=desc&limit=25",
    "created_at%5Bgt%5D=2026-01-01T00%3A00%3A00.000Z&created_at%5Blt%5D=2026-02-01T00%3A00%3A00.000Z",
    "created_at[gt]=2026-01-01T00:00:00.000Z&updated_at[lt]=2026-03-01T12:30:00.000Z&limit=5",
    "provider_id=pro_5gHjKlMnPqRsTuVw&provider_id=pro_0mhx7k2ab9QxTzLw3PqR",
    "provider_id%5B0%5D=pro_5gHjKlMnPqRsTuVw&provider_deployment_id%5B0%5D=pde_1aBcDeFgHjKlMnPq",
    "provider_config_id[]=pcf_7dEfGhJkLmNpQrSt&provider_auth_config_id[]=pac_3kLmNpQrStUvWxYz",
    "id=stm_2bCdEfGhJkLmNpQr&id=stm_3cDeFgHjKlMnPqRs&id=stm_4dEfGhJkLmNpQrSt&id=stm_5eFgHjKlMnPqRsTu",
    "session_id%5B0%5D=ses_0mhx7k2abSeSsIoNaBcDe&session_provider_id%5B0%5D=spr_0mhx7k2abSeSsIoNaBcDe",
    "cursor=cur_6kKUNBbiexhOKJyMCtyrcTLQGWrISG1XVAG6rrGXcjYZYshWxB&limit=20",
    "status=active&provider_id=pro_5gHjKlMnPqRsTuVw&created_at%5Bgt%5D=2025-09-15T10%3A30%3A00.000Z&limit=20&order=asc",
    "updated_at%5Bgt%5D=2026-01-01T00%3A00%3A00.000Z&status%5B0%5D=archived&after=stm_0mhx7k2abSeSsIoNaBcDe",
    "id%5B0%5D=stm_a1&id%5B1%5D=stm_a2&id%5B2%5D=stm_a3&id%5B3%5D=stm_a4&id%5B4%5D=stm_a5&id%5B5%5D=stm_a6",
    "limit=30&order=desc&provider_deployment_id=pde_1aBcDeFgHjKlMnPq&created_at%5Blt%5D=2026-06-01T00%3A00%3A00.000Z",
    "?status=active&limit=15&before=set_2bCdEfGhJkLmNpQr",
];

/// What `serde_qs` decodes into: the same parameters as plain strings and lists.
#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct QsDateRange {
    gt: Option<String>,
    lt: Option<String>,
}

#[derive(Debug, Deserialize)]
#[allow(dead_code)]
struct QsQuery {
    limit: Option<u32>,
    order: Option<String>,
    after: Option<String>,
    before: Option<String>,
    cursor: Option<String>,
    #[serde(default)]
    status: Vec<String>,
    #[serde(default)]
    id: Vec<String>,
    #[serde(default)]
    session_id: Vec<String>,
    #[serde(default)]
    session_provider_id: Vec<String>,
    #[serde(default)]
    provider_id: Vec<String>,
    #[serde(default)]
    provider_deployment_id: Vec<String>,
    #[serde(default)]
    provider_config_id: Vec<String>,
    #[serde(default)]
    provider_auth_config_id: Vec<String>,
    created_at: Option<QsDateRange>,
    updated_at: Option<QsDateRange>,
}

fn decode_queries(c: &mut Criterion) {
    let qs = serde_qs::Config::new();
    // Both decoders must accept every query, or the comparison means nothing.
    for q in QUERIES {
        if let Err(e) = ListQuery::<SessionTemplates>::decode(q) {
            panic!("{q}: {e}");
        }
        if let Err(e) = qs.deserialize_str::<QsQuery>(q.trim_start_matches('?')) {
            panic!("serde_qs: {q}: {e}");
        }
    }
    let mut g = c.benchmark_group("decode_20_queries");
    g.bench_function(BenchmarkId::new("baseline", "serde_qs"), |b| {
        b.iter(|| {
            let mut ok = 0;
            for q in QUERIES {
                ok += usize::from(
                    qs.deserialize_str::<QsQuery>(black_box(q.trim_start_matches('?')))
                        .is_ok(),
                );
            }
            ok
        })
    });
    g.bench_function(BenchmarkId::new("typed", "ListQuery::decode"), |b| {
        b.iter(|| {
            let mut ok = 0;
            for q in QUERIES {
                ok += usize::from(ListQuery::<SessionTemplates>::decode(black_box(q)).is_ok());
            }
            ok
        })
    });
    g.finish();
}

fn paginate_deep(c: &mut Criterion) {
    // A million generated session template ids, in list (id) order.
    let start = Timestamp::parse("2025-01-01T00:00:00.000Z").unwrap();
    let ids: Vec<SessionTemplateId> = (0..1_000_000u64)
        .map(|i| {
            let t = start.checked_add_millis(i as i64).unwrap();
            SessionTemplateId::generate(t, u128::from(i).wrapping_mul(0x9e37_79b9_7f4a_7c15)).unwrap()
        })
        .collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    let limit = PageSize::new(100).unwrap();
    let first = PageRequest::new(limit, Order::Asc, None);
    let deep = PageRequest::new(limit, Order::Asc, Some(Position::After(ids[999_000].clone())));
    let mut g = c.benchmark_group("paginate_1m_ids");
    g.bench_function(BenchmarkId::new("baseline", "first page"), |b| {
        b.iter(|| paginate(black_box(&ids), |x| x, black_box(&first)))
    });
    g.bench_function(BenchmarkId::new("deep", "after the 999,000th id"), |b| {
        b.iter(|| paginate(black_box(&ids), |x| x, black_box(&deep)))
    });
    g.finish();
}

criterion_group!(benches, decode_queries, paginate_deep);
criterion_main!(benches);
