//! Starting the console: database, account, first-run setup link, router, listener.

use std::net::SocketAddr;

use app::ssr::{AppState, CookieConfig};
use leptos::config::LeptosOptions;

use crate::cli::ServeArgs;

#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error("{0}")]
    Iam(#[from] iam::IamError),
    #[error(
        "`{addr}` is not a socket address such as `127.0.0.1:3000`; fix `--addr` or `PORTCULLIS_ADDR`"
    )]
    BadAddress { addr: String },
    #[error("`{url}` is not an http or https URL; fix `--public-url` or `PORTCULLIS_PUBLIC_URL`")]
    BadPublicUrl { url: String },
    #[error("cannot listen on `{addr}`: {source}; choose another `--addr` or stop what uses it")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("{0}")]
    MasterKeyFile(#[from] crate::master_key_file::MasterKeyFileError),
    #[error(
        "the master key in `{path}` is not the one this database was set up with, so it cannot open the secrets sealed there; start with the original key file (`--master-key-file` or `PORTCULLIS_MASTER_KEY_FILE`)"
    )]
    WrongMasterKey { path: String },
    #[error("the server stopped: {0}")]
    Io(#[from] std::io::Error),
}

pub async fn serve(args: ServeArgs) -> Result<(), ServeError> {
    let addr: SocketAddr = args.addr.parse().map_err(|_| ServeError::BadAddress {
        addr: args.addr.clone(),
    })?;
    let public_url = match &args.public_url {
        Some(raw) => {
            let url =
                url::Url::parse(raw).map_err(|_| ServeError::BadPublicUrl { url: raw.clone() })?;
            if !matches!(url.scheme(), "http" | "https") {
                return Err(ServeError::BadPublicUrl { url: raw.clone() });
            }
            Some(url)
        }
        None => None,
    };

    // Bind first, so that `--addr 127.0.0.1:0` gets a free port that the links below can name.
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| ServeError::Bind { addr, source })?;
    let addr = listener.local_addr()?;

    // The key is read before the database is touched, so a missing one stops the server before
    // anything is created.
    let (key_path, may_create) =
        crate::master_key_file::key_path(args.master_key_file.as_deref(), &args.database_url)?;
    let master_key = crate::master_key_file::load(&key_path, may_create)?;
    let store = iam::Store::connect(&args.database_url).await?;
    let now = iam::UnixTime::now();
    let account = store
        .ensure_account_with_id(now, args.account.account_id.as_ref())
        .await?;
    tracing::info!(account_id = %account.id, database = %redact_url(&args.database_url), "store ready");
    let base = public_url
        .as_ref()
        .map(|u| u.as_str().trim_end_matches('/').to_owned())
        .unwrap_or_else(|| format!("http://{addr}"));
    if let Some(token) = store.issue_setup_token(now).await? {
        // The one place a secret is printed on purpose: it is how the first admin gets in.
        tracing::info!(
            "no root user yet; open {base}/setup?token={} to create it",
            token.as_str()
        );
    }

    let leptos_options = LeptosOptions::builder()
        .output_name("portcullis")
        .site_root(args.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(addr)
        .build();
    let iam = iam::Iam::new(store)
        .with_sign_ins_per_minute(Some(args.sign_in_rate_limit))
        .with_master_key(master_key);
    if iam.check_master_key(now).await? == iam::MasterKeyCheck::Mismatch {
        return Err(ServeError::WrongMasterKey {
            path: key_path.display().to_string(),
        });
    }
    let state = AppState {
        leptos_options,
        iam: iam.clone(),
        cookies: CookieConfig {
            secure: public_url.as_ref().is_some_and(|u| u.scheme() == "https"),
        },
        public_url: public_url.map(|u| u.as_str().trim_end_matches('/').to_owned()),
    };
    if !args.trusted_proxies.is_empty() {
        tracing::info!(
            proxies = args.trusted_proxies.len(),
            "X-Forwarded-For is believed from the trusted proxies only"
        );
    }
    let trusted = crate::middleware::client::TrustedProxies::new(args.trusted_proxies.clone());
    let router = crate::router::router(state, trusted);
    tokio::spawn(prune_events_hourly(iam.clone(), args.event_retention_days));

    tracing::info!("serving the console on {base}");
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await?;
    // Access records are written once a second; write the last second's before exiting.
    if let Err(e) = iam.flush_access_records().await {
        tracing::warn!(error = %e, "writing the last access records failed");
    }
    Ok(())
}

/// Deletes Event history records older than `retention_days`, sign-in failure counts nobody
/// continued for a day, and policy drafts older than a day, at start and then every hour.
async fn prune_events_hourly(iam: iam::Iam, retention_days: u32) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match iam.prune_events(retention_days, iam::UnixTime::now()).await {
            Ok(0) => {}
            Ok(deleted) => tracing::info!(deleted, retention_days, "deleted old events"),
            Err(e) => tracing::warn!(error = %e, "deleting old events failed; retrying in an hour"),
        }
        if let Err(e) = iam.prune_sign_in_records(iam::UnixTime::now()).await {
            tracing::warn!(error = %e, "forgetting old sign-in failures failed; retrying in an hour");
        }
        if let Err(e) = iam.prune_one_time_secrets(iam::UnixTime::now()).await {
            tracing::warn!(error = %e, "pruning one-time secrets failed");
        }
        if let Err(e) = iam.prune_policy_drafts(iam::UnixTime::now()).await {
            tracing::warn!(error = %e, "deleting old policy drafts failed; retrying in an hour");
        }
    }
}

/// Database URLs may carry a password; logs get everything but that.
fn redact_url(raw: &str) -> String {
    match url::Url::parse(raw) {
        Ok(mut url) if url.password().is_some() => {
            let _ = url.set_password(Some("redacted"));
            url.to_string()
        }
        _ => raw.to_owned(),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        if let Ok(mut sig) =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            sig.recv().await;
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn database_passwords_are_redacted() {
        assert_eq!(
            redact_url("postgres://app:s3cret@db:5432/iam"),
            "postgres://app:redacted@db:5432/iam"
        );
        assert_eq!(
            redact_url("sqlite:./data/portcullis.db"),
            "sqlite:./data/portcullis.db"
        );
    }
}
