//! Test support: a fresh database on the real PostgreSQL or MariaDB server for one test,
//! created under a unique name and dropped when the handle goes (also when the test fails).
//!
//! The servers are `$HRSYNC_TEST_POSTGRES` (default `postgres://postgres@127.0.0.1:5432/postgres`)
//! and `$HRSYNC_TEST_MYSQL` (default `mysql://root@127.0.0.1:3306/`). When one cannot be
//! reached within two seconds its tests are skipped, with one line on stderr per group saying
//! what was skipped and why, unless `HRSYNC_REQUIRE_DATABASES=1` (CI), where that fails the
//! test. Never touches a database it did not create.

use super::DbTarget;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

const PROBE_TIMEOUT: Duration = Duration::from_secs(2);

static COUNTER: AtomicU32 = AtomicU32::new(0);
static SKIPPED: Mutex<Vec<String>> = Mutex::new(Vec::new());

fn server_url(var: &str, default: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| default.to_owned())
}

/// The PostgreSQL server tests use.
pub fn pg_server() -> String {
    server_url(
        "HRSYNC_TEST_POSTGRES",
        "postgres://postgres@127.0.0.1:5432/postgres",
    )
}

/// The MySQL/MariaDB server tests use.
pub fn mysql_server() -> String {
    server_url("HRSYNC_TEST_MYSQL", "mysql://root@127.0.0.1:3306/")
}

/// Says once per group (on the real stderr, past the test harness's capture) that `group`
/// was skipped, or fails when CI requires the databases.
#[allow(clippy::panic)]
fn skip(group: &str, why: &str) {
    if std::env::var("HRSYNC_REQUIRE_DATABASES").is_ok_and(|v| v == "1") {
        panic!("HRSYNC_REQUIRE_DATABASES=1 but {group} cannot run: {why}");
    }
    let mut skipped = SKIPPED
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !skipped.iter().any(|g| g == group) {
        skipped.push(group.to_owned());
        use std::io::Write;
        let _ = writeln!(std::io::stderr(), "skipped: {group} ({why})");
    }
}

fn unique_name() -> String {
    format!(
        "hrsync_t{}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed),
        rand::random::<u32>()
    )
}

/// Runs `f` on a fresh current-thread runtime in its own thread (usable from sync tests, from
/// async tests and from `Drop`).
pub fn block_on<F: Future + Send>(f: F) -> F::Output
where
    F::Output: Send,
{
    std::thread::scope(|s| {
        s.spawn(|| {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map(|rt| rt.block_on(f))
        })
        .join()
    })
    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
    .unwrap_or_else(|e| panic!("cannot build a runtime: {e}"))
}

/// A database of its own on a real server; dropped with the handle.
pub struct TestDb {
    /// A URL for the new database (the server's user and password).
    pub url: String,
    name: String,
    admin: String,
    pg: bool,
}

impl TestDb {
    /// A fresh PostgreSQL database, or `None` (after saying so) when there is no server.
    pub fn postgres(group: &str) -> Option<TestDb> {
        let admin = pg_server();
        let name = unique_name();
        let created = block_on(pg_exec(&admin, format!("CREATE DATABASE {name}")));
        if let Err(why) = created {
            skip(
                group,
                &format!(
                    "no PostgreSQL at {}: {why}",
                    super::without_userinfo(&admin)
                ),
            );
            return None;
        }
        let mut url = url::Url::parse(&admin).ok()?;
        url.set_path(&format!("/{name}"));
        Some(TestDb {
            url: url.to_string(),
            name,
            admin,
            pg: true,
        })
    }

    /// A fresh MySQL/MariaDB database, or `None` (after saying so) when there is no server.
    pub fn mysql(group: &str) -> Option<TestDb> {
        let admin = mysql_server();
        let name = unique_name();
        let created = block_on(mysql_exec(&admin, format!("CREATE DATABASE {name}")));
        if let Err(why) = created {
            skip(
                group,
                &format!(
                    "no MySQL/MariaDB at {}: {why}",
                    super::without_userinfo(&admin)
                ),
            );
            return None;
        }
        let mut url = url::Url::parse(&admin).ok()?;
        url.set_path(&format!("/{name}"));
        Some(TestDb {
            url: url.to_string(),
            name,
            admin,
            pg: false,
        })
    }

    /// Runs `sql` (one or more statements) in the test's database.
    pub fn exec(&self, sql: &str) -> Result<(), String> {
        if self.pg {
            block_on(pg_exec(&self.url, sql.to_owned()))
        } else {
            block_on(mysql_exec(&self.url, sql.to_owned()))
        }
    }

    /// The database's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let sql = if self.pg {
            format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)
        } else {
            format!("DROP DATABASE IF EXISTS {}", self.name)
        };
        let result = if self.pg {
            block_on(pg_exec(&self.admin, sql))
        } else {
            block_on(mysql_exec(&self.admin, sql))
        };
        if let Err(e) = result {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "could not drop test database {}: {e}",
                self.name
            );
        }
    }
}

async fn pg_exec(url: &str, sql: String) -> Result<(), String> {
    let target = DbTarget::parse(url)?;
    let client = super::pg::connect(&target, PROBE_TIMEOUT)
        .await
        .map_err(|e| e.to_string())?;
    client
        .batch_execute(&sql)
        .await
        .map_err(|e| super::pg::error_text(&e, &target))
}

async fn mysql_exec(url: &str, sql: String) -> Result<(), String> {
    use mysql_async::prelude::Queryable;
    let target = DbTarget::parse(url)?;
    let mut conn = super::mysql::connect(&target, PROBE_TIMEOUT)
        .await
        .map_err(|e| e.to_string())?;
    let result = conn.query_drop(sql).await;
    let _ = conn.disconnect().await;
    result.map_err(|e| super::mysql::error_text(&e, &target))
}
