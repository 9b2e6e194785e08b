//! A PostgreSQL cluster of one test, which it can stop and start again.

use std::path::PathBuf;
use std::process::Command;

/// A PostgreSQL cluster of this test alone, so that it can be stopped and started again: the
/// steps of `scripts/with-postgres.sh`, as the `postgres` user when running as root.
pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
}

impl Cluster {
    pub fn start() -> Cluster {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .expect("PostgreSQL in /usr/lib/postgresql (scripts/with-postgres.sh installs it)")
            .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
            .filter(|b| b.join("initdb").exists())
            .max_by_key(|b| {
                let version = b
                    .parent()
                    .and_then(|v| v.file_name())
                    .map(|v| v.to_string_lossy().into_owned());
                version.and_then(|v| v.parse::<u32>().ok()).unwrap_or(0)
            })
            .expect("initdb");
        let dir = tempfile::tempdir().expect("tempdir");
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let cluster = Cluster { dir, bin, port };
        if Cluster::as_root() {
            let chown = Command::new("chown")
                .args(["-R", "postgres"])
                .arg(cluster.dir.path())
                .status()
                .expect("chown");
            assert!(chown.success());
        }
        let data = cluster.data();
        cluster.run(
            "initdb",
            &["-D", &data, "-A", "trust", "-U", "postgres", "--no-sync"],
        );
        cluster.pg_ctl_start();
        cluster
    }

    fn as_root() -> bool {
        Command::new("id")
            .arg("-u")
            .output()
            .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Runs a PostgreSQL program as the cluster's owner.
    fn run(&self, program: &str, args: &[&str]) {
        let program = self.bin.join(program);
        let output = if Cluster::as_root() {
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(&program)
                .args(args)
                .output()
        } else {
            Command::new(&program).args(args).output()
        }
        .expect("run a PostgreSQL program");
        assert!(
            output.status.success(),
            "{} {args:?}: {}{}",
            program.display(),
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }

    pub fn pg_ctl_start(&self) {
        let (data, log) = (
            self.data(),
            self.dir.path().join("server.log").display().to_string(),
        );
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1",
            self.port,
            self.dir.path().display()
        );
        self.run(
            "pg_ctl",
            &["-D", &data, "-w", "-l", &log, "-o", &options, "start"],
        );
    }

    pub fn stop(&self) {
        self.run("pg_ctl", &["-D", &self.data(), "-m", "fast", "-w", "stop"]);
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            self.run("pg_ctl", &["-D", &self.data(), "-m", "immediate", "stop"]);
        }));
    }
}
