//! The test cluster: `scripts/postgres.sh` starts one and sets
//! `SWITCHBOARD_TEST_POSTGRES` to a superuser URL of it. Each test takes a
//! fresh database of its own; without the variable, PostgreSQL tests return
//! at once and say so (the suite then ran on SQLite alone).

use std::sync::atomic::{AtomicU32, Ordering};

use sqlx::Connection;

/// The cluster's superuser URL, if the tests have one.
pub fn admin_url() -> Option<String> {
    std::env::var("SWITCHBOARD_TEST_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty())
}

/// Says once per test that it did not run here, and why.
pub fn skipped(test: &str) {
    eprintln!(
        "{test}: skipped on PostgreSQL (SWITCHBOARD_TEST_POSTGRES not set: run under scripts/postgres.sh)"
    );
}

/// The URL of a new, empty database on the test cluster (`None`: no cluster).
pub async fn fresh_database() -> Option<String> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let admin = admin_url()?;
    let name = format!(
        "t_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    );
    let mut c = sqlx::PgConnection::connect(&admin)
        .await
        .expect("the test cluster answers");
    sqlx::raw_sql(&format!("CREATE DATABASE {name}"))
        .execute(&mut c)
        .await
        .expect("a test database is created");
    c.close().await.ok();
    let (base, _) = admin.rsplit_once('/').expect("the URL names a database");
    Some(format!("{base}/{name}"))
}

/// A cluster of a test's own, which the test may stop, kill, start again
/// or fail over (the shared test cluster is never touched): made with
/// `initdb` in a temporary directory, on a free loopback port, as the
/// `postgres` user when the tests run as root. Stopped and removed when
/// dropped, whether the test passed or not.
pub struct Cluster {
    bin: std::path::PathBuf,
    dir: std::path::PathBuf,
    /// Its port on 127.0.0.1.
    pub port: u16,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn is_root() -> bool {
    std::env::var("USER").is_ok_and(|u| u == "root")
        || std::process::Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| o.stdout.starts_with(b"0\n"))
}

impl Cluster {
    /// The PostgreSQL binaries the test cluster came from (`None`: no cluster).
    fn bin() -> Option<std::path::PathBuf> {
        admin_url()?;
        std::env::var_os("SWITCHBOARD_POSTGRES_BIN").map(Into::into)
    }

    fn run(&self, program: &str, args: &[&str]) -> std::process::Output {
        let path = self.bin.join(program);
        let mut command = if is_root() {
            let mut c = std::process::Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(&path);
            c
        } else {
            std::process::Command::new(&path)
        };
        command.args(args).output().expect("a PostgreSQL program runs")
    }

    fn must(&self, program: &str, args: &[&str]) {
        let out = self.run(program, args);
        assert!(
            out.status.success(),
            "{program} {args:?}: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn empty_dir() -> std::path::PathBuf {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "switchboard-cluster-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        if is_root() {
            std::process::Command::new("chown")
                .args(["postgres:", dir.to_str().unwrap()])
                .status()
                .unwrap();
        }
        dir
    }

    fn data(&self) -> String {
        self.dir.join("data").display().to_string()
    }

    /// A new primary, started, with `extra` settings (`name = value` lines);
    /// `None` without PostgreSQL.
    pub fn primary(extra: &str) -> Option<Cluster> {
        let bin = Cluster::bin()?;
        let c = Cluster {
            bin,
            dir: Cluster::empty_dir(),
            port: free_port(),
        };
        c.must(
            "initdb",
            &[
                "-D",
                &c.data(),
                "-U",
                "postgres",
                "--auth=trust",
                "--no-sync",
                "-E",
                "UTF8",
                "--locale=C",
            ],
        );
        c.configure(extra);
        c.start();
        Some(c)
    }

    /// A streaming-replication standby of `primary` (`pg_basebackup`),
    /// started, known to the primary as `application_name`.
    pub fn standby_of(primary: &Cluster, application_name: &str) -> Cluster {
        let c = Cluster {
            bin: primary.bin.clone(),
            dir: Cluster::empty_dir(),
            port: free_port(),
        };
        c.must(
            "pg_basebackup",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &primary.port.to_string(),
                "-U",
                "postgres",
                "-D",
                &c.data(),
                "-X",
                "stream",
                "-R",
                "--checkpoint=fast",
            ],
        );
        c.configure(&format!(
            "primary_conninfo = 'host=127.0.0.1 port={} user=postgres application_name={application_name}'",
            primary.port
        ));
        c.start();
        c
    }

    fn configure(&self, extra: &str) {
        let conf = format!(
            "listen_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = '{}'\nmax_connections = 100\n{extra}\n",
            self.port,
            self.dir.display()
        );
        let path = self.dir.join("data/postgresql.auto.conf");
        let mut text = std::fs::read_to_string(&path).unwrap_or_default();
        text.push_str(&conf);
        std::fs::write(&path, text).unwrap();
    }

    /// Starts it (waiting until it accepts connections).
    pub fn start(&self) {
        let log = self.dir.join("server.log").display().to_string();
        self.must("pg_ctl", &["-D", &self.data(), "-l", &log, "-w", "start"]);
    }

    /// Stops it at once, as a crash would (`immediate`).
    pub fn kill(&self) {
        self.must("pg_ctl", &["-D", &self.data(), "-m", "immediate", "-w", "stop"]);
    }

    /// Promotes a standby to primary (waiting until it is one).
    pub fn promote(&self) {
        self.must("pg_ctl", &["-D", &self.data(), "-w", "promote"]);
    }

    /// The superuser URL of database `db` on it.
    pub fn url(&self, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{}/{db}", self.port)
    }

    /// The URL of database `db` through `port` (a forwarder in front of it).
    pub fn url_via(port: u16, db: &str) -> String {
        format!("postgres://postgres@127.0.0.1:{port}/{db}")
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self.run("pg_ctl", &["-D", &self.data(), "-m", "immediate", "stop"]);
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// A TCP forwarder on loopback that the test points at one cluster, then
/// another (as a load balancer or a DNS name moves on failover): new
/// connections go to the current target; `retarget` also cuts those open.
pub struct Forwarder {
    /// Its port on 127.0.0.1.
    pub port: u16,
    target: std::sync::Arc<std::sync::atomic::AtomicU16>,
    generation: tokio::sync::watch::Sender<u64>,
    task: tokio::task::JoinHandle<()>,
}

impl Forwarder {
    /// Listens on a free port and forwards to `target`.
    pub async fn start(target: u16) -> Forwarder {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let current = std::sync::Arc::new(std::sync::atomic::AtomicU16::new(target));
        let (generation, watch) = tokio::sync::watch::channel(0u64);
        let to = current.clone();
        let task = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let port = to.load(Ordering::SeqCst);
                let mut cut = watch.clone();
                // Cut by a later retarget only, not by those before it.
                cut.borrow_and_update();
                tokio::spawn(async move {
                    let Ok(mut server) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await else {
                        return;
                    };
                    tokio::select! {
                        _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                        _ = cut.changed() => {}
                    }
                });
            }
        });
        Forwarder {
            port,
            target: current,
            generation,
            task,
        }
    }

    /// Points new connections at `target` and cuts the open ones.
    pub fn retarget(&self, target: u16) {
        self.target.store(target, Ordering::SeqCst);
        self.generation.send_modify(|g| *g += 1);
    }
}

impl Drop for Forwarder {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Creates database `db` on the cluster at `admin` (a superuser URL).
pub async fn create_database(admin: &str, db: &str) {
    let mut c = sqlx::PgConnection::connect(admin)
        .await
        .expect("the cluster answers");
    sqlx::raw_sql(&format!("CREATE DATABASE {db}"))
        .execute(&mut c)
        .await
        .expect("the database is created");
    c.close().await.ok();
}
