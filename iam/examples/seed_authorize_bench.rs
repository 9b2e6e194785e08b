//! Seeds a fresh SQLite database for `bench/authorize-api.sh` (the store of `benches/fixture`:
//! root, 1,000 users in PowerUsers with PowerUserAccess, the caller `authz-caller` allowed
//! `portcullis:Authorize`) and prints the caller's access key as `<access key id>:<secret>`, the
//! form of the API's `Authorization: Bearer` header. The CLI can only create root, and the server
//! has no way in but the console, so the benchmark seeds through `Iam` like the tests do.
//!
//! `cargo run --release -p iam --example seed_authorize_bench -- sqlite:/tmp/x/portcullis.db`

#[path = "../benches/fixture/mod.rs"]
mod fixture;

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let Some(url) = std::env::args().nth(1) else {
        eprintln!("usage: seed_authorize_bench sqlite:PATH (a new database)");
        return ExitCode::from(2);
    };
    match seed(&url).await {
        Ok(key) => {
            println!("{key}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("seeding {url} failed: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn seed(url: &str) -> Result<String, fixture::BoxError> {
    let started = std::time::Instant::now();
    let iam = iam::Iam::connect(url).await?;
    if iam.root_exists().await? {
        return Err("the database already has a root user; give a new one".into());
    }
    let seeded = fixture::seed(&iam, iam::UnixTime::now()).await?;
    iam.store().close().await;
    eprintln!(
        "seeded {} users in PowerUsers and `{}` with an access key in {:.1?}",
        fixture::USERS,
        fixture::CALLER,
        started.elapsed()
    );
    Ok(format!("{}:{}", seeded.access_key_id, seeded.secret))
}
