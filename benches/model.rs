//! Decoding and encoding the complete setup-session fixture: the typed model
//! side by side with `serde_json::Value` on the same bytes.

// `criterion_group!` defines an undocumented public function.
#![allow(missing_docs)]
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use switchboard::model::{IntegrationSetupSession, decode};

const FIXTURE: &[u8] = include_bytes!("../testdata/objects/integration-setup-session.json");

fn decode_setup_session(c: &mut Criterion) {
    let mut g = c.benchmark_group("decode_setup_session");
    g.throughput(Throughput::Bytes(FIXTURE.len() as u64));
    g.bench_function(BenchmarkId::new("baseline", "serde_json::Value"), |b| {
        b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(FIXTURE)).unwrap())
    });
    g.bench_function(BenchmarkId::new("typed", "serde_json::from_slice"), |b| {
        b.iter(|| serde_json::from_slice::<IntegrationSetupSession>(black_box(FIXTURE)).unwrap())
    });
    g.bench_function(BenchmarkId::new("typed", "switchboard decode::from_slice"), |b| {
        b.iter(|| decode::from_slice::<IntegrationSetupSession>(black_box(FIXTURE)).unwrap())
    });
    g.finish();
}

fn encode_setup_session(c: &mut Criterion) {
    let value: serde_json::Value = serde_json::from_slice(FIXTURE).unwrap();
    let typed: IntegrationSetupSession = serde_json::from_slice(FIXTURE).unwrap();
    let mut g = c.benchmark_group("encode_setup_session");
    g.throughput(Throughput::Bytes(FIXTURE.len() as u64));
    g.bench_function(BenchmarkId::new("baseline", "serde_json::Value"), |b| {
        b.iter(|| serde_json::to_vec(black_box(&value)).unwrap())
    });
    g.bench_function(BenchmarkId::new("typed", "serde_json::to_vec"), |b| {
        b.iter(|| serde_json::to_vec(black_box(&typed)).unwrap())
    });
    // The same pair into one reused buffer: no allocation on either side, so
    // what remains is the serialization code alone.
    let mut buffer = Vec::with_capacity(2 * FIXTURE.len());
    g.bench_function(BenchmarkId::new("baseline", "Value, reused buffer"), |b| {
        b.iter(|| {
            buffer.clear();
            serde_json::to_writer(&mut buffer, black_box(&value)).unwrap();
            buffer.len()
        })
    });
    g.bench_function(BenchmarkId::new("typed", "reused buffer"), |b| {
        b.iter(|| {
            buffer.clear();
            serde_json::to_writer(&mut buffer, black_box(&typed)).unwrap();
            buffer.len()
        })
    });
    g.finish();
}

criterion_group!(benches, decode_setup_session, encode_setup_session);
criterion_main!(benches);
