//! Command-line interface and configuration; every setting also comes from the environment.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// Portcullis: a self-hosted identity and access console speaking AWS IAM's policy language.
#[derive(Debug, Parser)]
#[command(name = "portcullis", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub serve: ServeArgs,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the console (the default when no command is given).
    Serve,
    /// Create the root user without the setup link; the password is read from standard input.
    CreateRoot {
        /// The root user's email address.
        #[arg(long)]
        email: String,
        /// Database URL.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
        database_url: String,
    },
    /// Check and try out IAM policies without a server.
    Policy {
        #[command(subcommand)]
        command: PolicyCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Print the validation findings of an identity-based policy; exit with 1 when one is an
    /// ERROR (the console would refuse to save it).
    Validate {
        /// The policy document (JSON); `-` or nothing reads standard input.
        file: Option<PathBuf>,
        /// Print the findings as JSON instead of `file:line:column: type CODE: message` lines.
        #[arg(long)]
        json: bool,
    },
    /// Decide requests against policies. Input:
    /// `{"policies": [DOC, ...], "boundary": DOC, "requests": [{"action": "s3:GetObject",
    /// "resource": "arn:...", "context": {"aws:username": "mary"}}]}` (boundary optional).
    /// Output: one JSON line per request, `{"decision": ..., "matched": [...], "errors": [...]}`.
    Simulate {
        /// The simulation file (JSON); `-` or nothing reads standard input.
        file: Option<PathBuf>,
    },
}

pub const DEFAULT_DATABASE_URL: &str = "sqlite:./data/portcullis.db";

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "PORTCULLIS_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: String,

    /// Database URL: `sqlite:PATH` (created if missing) or `postgres://…`.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    pub database_url: String,

    /// The public base URL of the console, such as `https://iam.example.com`. With https the
    /// session cookie is `Secure` and `__Host-` prefixed. Default: http on the listening address.
    #[arg(long, env = "PORTCULLIS_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Folder with the built browser assets (`pkg/`, `favicon.svg`).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: PathBuf,

    /// Days to keep Event history records (1 to 3650); older ones are deleted every hour.
    #[arg(
        long,
        env = "PORTCULLIS_EVENT_RETENTION_DAYS",
        default_value_t = iam::DEFAULT_EVENT_RETENTION_DAYS,
        value_parser = clap::value_parser!(u32).range(1..=3650)
    )]
    pub event_retention_days: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn help_documents_address_and_database_settings() {
        let help = Cli::command().render_long_help().to_string();
        for needle in [
            "PORTCULLIS_ADDR",
            "DATABASE_URL",
            "--addr",
            "--database-url",
            "create-root",
            "--event-retention-days",
            "PORTCULLIS_EVENT_RETENTION_DAYS",
        ] {
            assert!(
                help.contains(needle),
                "`{needle}` missing from --help:\n{help}"
            );
        }
    }
}
