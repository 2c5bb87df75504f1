//! The server under load, from a separate process: this binary prepares a
//! database, starts `switchboard serve` (release build) and a bare axum
//! server returning the same bytes from memory as children, drives both over
//! loopback with keep-alive connections, and prints the figures.
//!
//!   bash benches/load.sh            (builds the server, then runs this)
//!
//! Settings (environment): `LOAD_TEMPLATES` (default 1,000,000),
//! `LOAD_SECONDS` per phase (5), `LOAD_CONNECTIONS` (16).

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use switchboard_model::catalog::Catalog;
use switchboard_model::id::{SessionTemplateId, SessionTemplateProviderId};
use switchboard_model::{SessionTemplate, Timestamp, decode};
use switchboard_store::{ApiKey, Store};

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn at(text: &str) -> Timestamp {
    text.parse().unwrap()
}

/// A catalog of `n` providers of `m` tools each, every level filtered.
fn big_catalog(n: usize, m: usize) -> Catalog {
    let t = "2026-01-01T00:00:00.000Z";
    let schema = json!({"type": "json_schema", "schema": {"type": "object", "properties": {"repo": {"type": "string"}}}});
    let mut c = json!({"providers": [], "provider_versions": [], "deployments": [], "configs": []});
    for p in 0..n {
        c["providers"].as_array_mut().unwrap().push(json!({"id": format!("pro_P{p}"), "name": format!("P{p}"), "slug": format!("p{p}"), "description": null, "created_at": t, "updated_at": t}));
        let tools: Vec<Value> = (0..m).map(|i| json!({"tool": {"id": format!("pto_P{p}T{i}"), "key": format!("p{p}_tool_{i:04}"), "name": "Tool", "description": "Does one thing.", "input_schema": schema, "output_schema": null, "tags": null, "specification_id": format!("psp_P{p}"), "provider_id": format!("pro_P{p}"), "created_at": t, "updated_at": t}})).collect();
        c["provider_versions"].as_array_mut().unwrap().push(json!({"id": format!("prv_P{p}"), "provider_id": format!("pro_P{p}"), "tools": tools, "created_at": t}));
        c["deployments"].as_array_mut().unwrap().push(json!({"id": format!("pde_P{p}"), "provider_id": format!("pro_P{p}"), "is_default": true, "default_config_id": format!("pcf_P{p}"), "tool_filter": {"type": "filter", "filters": [{"type": "tool_regex", "pattern": format!("^p{p}_tool_0")}]}, "created_at": t, "updated_at": t}));
        c["configs"].as_array_mut().unwrap().push(json!({"id": format!("pcf_P{p}"), "provider_id": format!("pro_P{p}"), "deployment_id": format!("pde_P{p}"), "is_default": true, "tool_filter": {"type": "filter", "filters": [{"type": "tool_keys", "keys": (0..m / 2).map(|i| format!("p{p}_tool_{:04}", i * 2)).collect::<Vec<_>>()}]}, "created_at": t, "updated_at": t}));
    }
    // An integration of two providers, for the setup-session page.
    c["integrations"] = json!([{"id": "int_Load", "name": "Load", "providers": [
        {"id": "inp_Load0", "provider_id": "pro_P0", "deployment_id": "pde_P0"},
        {"id": "inp_Load1", "provider_id": "pro_P1", "deployment_id": "pde_P1"}],
        "created_at": t, "updated_at": t}]);
    decode::from_str(&c.to_string()).unwrap()
}

/// Prepares the database: the catalog; an instance with `count` small
/// templates; another with one 100-provider template (so that it is on no
/// page of the first). Returns both keys and the big template's id.
async fn prepare(
    db: &str,
    count: u64,
    catalog: &Catalog,
) -> (String, String, String, Vec<SessionTemplateId>) {
    let store = Store::open(db).await.unwrap();
    let now = at("2026-06-01T00:00:00.000Z");
    let tenant = store.ensure_instance("load", now).await.unwrap();
    let key = ApiKey::from_random([9; 32]);
    store.add_key(&tenant, &key, now).await.unwrap();
    let tools_tenant = store.ensure_instance("tools", now).await.unwrap();
    let tools_key = ApiKey::from_random([8; 32]);
    store.add_key(&tools_tenant, &tools_key, now).await.unwrap();
    store.save_catalog(catalog).await.unwrap();
    let index = catalog.clone().index().unwrap();
    let mut ids = switchboard_model::id::IdGenerator::new();
    let entries: Vec<_> = (0..catalog.providers.len())
        .map(|p| {
            switchboard_model::request::TemplateProviderInput::new(
                Some(format!("pde_P{p}").parse().unwrap()),
                None,
                None,
                Default::default(),
            )
            .unwrap()
        })
        .collect();
    let big_id: SessionTemplateId = ids.next(now, 1).unwrap();
    let providers = entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let id: SessionTemplateProviderId = ids.next(now, i as u128).unwrap();
            index
                .resolve_entry(e, &[])
                .unwrap()
                .into_template_provider(id, big_id.clone(), e, now)
        })
        .collect();
    let body = decode::from_str(r#"{"name": "big"}"#).unwrap();
    store
        .insert_template(
            &tools_tenant,
            &SessionTemplate::create(big_id.clone(), body, providers, now),
        )
        .await
        .unwrap();
    let started = Instant::now();
    let mut small = Vec::with_capacity(count as usize);
    let mut batch = Vec::new();
    for i in 0..count {
        let body = decode::from_str(r#"{"name": "t"}"#).unwrap();
        let t = SessionTemplate::create(
            ids.next(now, u128::from(i) * 7_919).unwrap(),
            body,
            Vec::new(),
            now,
        );
        small.push(t.id.clone());
        batch.push(t);
        if batch.len() == 10_000 {
            store.insert_templates(&tenant, &batch).await.unwrap();
            batch.clear();
        }
    }
    store.insert_templates(&tenant, &batch).await.unwrap();
    eprintln!(
        "prepared {count} templates in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    store.close().await;
    (
        key.secret().to_owned(),
        tools_key.secret().to_owned(),
        big_id.to_string(),
        small,
    )
}

/// A child process, killed and waited for when dropped (also when a phase
/// panics), so that no server outlives the bench.
struct Running(Child);

impl Running {
    fn id(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts a child and waits for its `listening on http://...` line.
fn start(mut cmd: Command) -> (Running, String) {
    let mut child = Running(cmd.stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap());
    let out = BufReader::new(child.0.stdout.take().unwrap());
    for line in out.lines() {
        let line = line.unwrap();
        if let Some(base) = line.strip_prefix("listening on ") {
            return (child, base.to_owned());
        }
    }
    panic!("the child did not start");
}

/// Requests per second over `secs` with `conns` keep-alive connections.
async fn throughput(client: &reqwest::Client, url: &str, key: &str, conns: u64, secs: u64) -> f64 {
    let done = Arc::new(AtomicU64::new(0));
    let end = Instant::now() + Duration::from_secs(secs);
    let tasks: Vec<_> = (0..conns)
        .map(|_| {
            let (client, url, key, done) = (client.clone(), url.to_owned(), key.to_owned(), done.clone());
            tokio::spawn(async move {
                while Instant::now() < end {
                    let r = client.get(&url).bearer_auth(&key).send().await.unwrap();
                    assert!(r.status().is_success(), "{url}: {}", r.status());
                    r.bytes().await.unwrap();
                    done.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    done.load(Ordering::Relaxed) as f64 / secs as f64
}

/// Median latency of `n` sequential requests, in microseconds.
async fn latency(client: &reqwest::Client, url: &str, key: &str, n: usize) -> f64 {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let start = Instant::now();
        let r = client.get(url).bearer_auth(key).send().await.unwrap();
        assert!(r.status().is_success(), "{url}: {}", r.status());
        r.bytes().await.unwrap();
        times.push(start.elapsed().as_secs_f64() * 1e6);
    }
    times.sort_by(f64::total_cmp);
    times[n / 2]
}

fn peak_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse().unwrap_or(0))
        })
        .unwrap_or(0)
}

async fn baseline_server(file: String) {
    let bytes = axum::body::Bytes::from(std::fs::read(file).unwrap());
    let app = axum::Router::new().route(
        "/",
        axum::routing::get(move || {
            let bytes = bytes.clone();
            async move { ([("content-type", "application/json")], bytes) }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    println!("listening on http://{}", listener.local_addr().unwrap());
    axum::serve(listener, app).await.unwrap();
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    if args.get(1).map(String::as_str) == Some("--baseline-server") {
        return rt.block_on(baseline_server(args[2].clone()));
    }
    if args.iter().any(|a| a == "--list") || args.iter().any(|a| a == "--test") {
        return; // nothing to list for `cargo test --benches`
    }
    rt.block_on(run());
}

async fn run() {
    let (count, secs, conns) = (
        env("LOAD_TEMPLATES", 1_000_000),
        env("LOAD_SECONDS", 5),
        env("LOAD_CONNECTIONS", 16),
    );
    let work = std::env::temp_dir().join(format!("switchboard-load-{}", std::process::id()));
    std::fs::create_dir_all(&work).unwrap();
    let db = format!("sqlite://{}/load.db", work.display());
    let catalog = big_catalog(100, 100);
    let (key, tools_key, big, small) = prepare(&db, count, &catalog).await;
    let bin = std::env::var("SWITCHBOARD_BIN").unwrap_or_else(|_| "target/release/switchboard".to_owned());
    let mut serve = Command::new(&bin);
    serve
        .args([
            "serve",
            "--database",
            &db,
            "--listen",
            "127.0.0.1:0",
            "--rate-limit",
            "0",
        ])
        .env("RUST_LOG", "warn");
    let (server, base) = start(serve);
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(64)
        .build()
        .unwrap();

    // 1. One template, beside a bare axum route with the same bytes.
    let one = format!("{base}/session-templates/{}", small[small.len() / 2]);
    let bytes = client
        .get(&one)
        .bearer_auth(&key)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let file = work.join("one.json");
    std::fs::write(&file, &bytes).unwrap();
    let mut bare_cmd = Command::new(std::env::current_exe().unwrap());
    bare_cmd.args(["--baseline-server", file.to_str().unwrap()]);
    let (bare, bare_base) = start(bare_cmd);
    // The bare route is measured before and after, and the better run kept,
    // so that warming up favours neither side.
    let bare_before = throughput(&client, &format!("{bare_base}/"), &key, conns, secs).await;
    let one_rps = throughput(&client, &one, &key, conns, secs).await;
    let bare_after = throughput(&client, &format!("{bare_base}/"), &key, conns, secs).await;
    let bare_rps = bare_before.max(bare_after);
    println!(
        "| GET one template | bare axum route, same bytes from memory: {bare_rps:.0} req/s | {one_rps:.0} req/s | **{:.0}%** of the bare route |",
        100.0 * one_rps / bare_rps
    );
    drop(bare);

    // 2. The first page and the page after the 999,000th template (each warmed up first).
    let deep_at = &small[(small.len() * 999 / 1000).min(small.len() - 1)];
    let deep_url = format!("{base}/session-templates?limit=100&after={deep_at}");
    latency(&client, &format!("{base}/session-templates?limit=100"), &key, 50).await;
    latency(&client, &deep_url, &key, 50).await;
    let first = latency(&client, &format!("{base}/session-templates?limit=100"), &key, 200).await;
    let deep_at = &small[(small.len() * 999 / 1000).min(small.len() - 1)];
    let deep = latency(
        &client,
        &format!("{base}/session-templates?limit=100&after={deep_at}"),
        &key,
        200,
    )
    .await;
    println!(
        "| list, 100 per page, {count} templates | first page: {first:.0} µs | after the {}th: {deep:.0} µs | **{:.2}x** the first page |",
        small.len() * 999 / 1000,
        deep / first
    );

    // 3. Tools of a 100 x 100 template, beside the in-memory resolve of the same data.
    let tools_url = format!("{base}/session-templates/{big}/tools");
    let served = latency(&client, &tools_url, &tools_key, 50).await;
    let index = catalog.clone().index().unwrap();
    let template: SessionTemplate = client
        .get(format!("{base}/session-templates/{big}"))
        .bearer_auth(&tools_key)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut times = Vec::new();
    for _ in 0..20 {
        let start = Instant::now();
        let entries =
            switchboard_toolset::template::entries(&template, &index, &mut Default::default()).unwrap();
        let r = switchboard_toolset::resolve(&entries, &Default::default()).unwrap();
        std::hint::black_box(serde_json::to_vec(&r.provider_tools_view()).unwrap());
        times.push(start.elapsed().as_secs_f64() * 1e6);
    }
    times.sort_by(f64::total_cmp);
    let in_memory = times[times.len() / 2];
    println!(
        "| tools of a 100 x 100 template, repeated | in-memory entries + resolve + encode: {in_memory:.0} µs | over HTTP: {served:.0} µs | **{:.2}x** the in-memory resolve |",
        served / in_memory
    );

    // 4. Creates per second.
    let created = Arc::new(AtomicU64::new(0));
    let end = Instant::now() + Duration::from_secs(secs);
    let tasks: Vec<_> = (0..conns)
        .map(|_| {
            let (client, base, key, created) = (client.clone(), base.clone(), key.clone(), created.clone());
            tokio::spawn(async move {
                while Instant::now() < end {
                    let body = json!({"name": "load", "providers": [{"provider_deployment_id": "pde_P1"}]});
                    let r = client
                        .post(format!("{base}/session-templates"))
                        .bearer_auth(&key)
                        .json(&body)
                        .send()
                        .await
                        .unwrap();
                    assert!(r.status().is_success());
                    r.bytes().await.unwrap();
                    created.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    for t in tasks {
        t.await.unwrap();
    }
    let creates = created.load(Ordering::Relaxed) as f64 / secs as f64;
    println!(
        "| creates (template + 1 provider, one transaction each, SQLite WAL, synchronous=NORMAL) | | {creates:.0} per second | |"
    );

    // 5. A setup session's hosted overview page beside the JSON GET of the
    //    same session: five paired runs, each a median of 200 requests.
    let session: Value = client
        .post(format!("{base}/integration-setup-sessions"))
        .bearer_auth(&key)
        .json(&json!({"integration_id": "int_Load", "name": "Load"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let api = format!(
        "{base}/integration-setup-sessions/{}",
        session["id"].as_str().unwrap()
    );
    let page = session["url"].as_str().unwrap().to_owned();
    latency(&client, &api, &key, 50).await;
    latency(&client, &page, "", 50).await;
    let mut pairs = Vec::new();
    for _ in 0..5 {
        let (j, h) = (
            latency(&client, &api, &key, 200).await,
            latency(&client, &page, "", 200).await,
        );
        pairs.push((j, h, h / j));
    }
    pairs.sort_by(|a, b| a.2.total_cmp(&b.2));
    let (j, h, ratio) = pairs[2];
    println!(
        "| setup session, 2 steps | JSON `GET /integration-setup-sessions/{{id}}`: {j:.0} µs | overview page (HTML): {h:.0} µs | **{ratio:.2}x** the JSON GET (median of 5 paired runs) |"
    );
    println!(
        "| peak memory of the server over the run | | {} MiB | |",
        peak_kib(server.id()) / 1024
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&work);
}
