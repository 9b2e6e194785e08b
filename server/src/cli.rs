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
        #[command(flatten)]
        account: AccountArgs,
    },
    /// Create an access key for the root user, or for the IAM user `--user-name`, and print it
    /// as `aws iam create-access-key` does (JSON on standard output, nothing else there), so the
    /// AWS CLI and SDKs can be set up without a browser.
    CreateAccessKey {
        /// The IAM user to create the key for; without it, the root user.
        #[arg(long)]
        user_name: Option<String>,
        /// Database URL.
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
        database_url: String,
        /// The master key file the server uses (see `serve --help`): the secret is sealed
        /// under it.
        #[arg(long, env = "PORTCULLIS_MASTER_KEY_FILE")]
        master_key_file: Option<PathBuf>,
        #[command(flatten)]
        account: AccountArgs,
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

    /// Proxies, as addresses or networks such as `10.0.0.0/8`, whose `X-Forwarded-For` and
    /// `X-Forwarded-Proto` headers name the client. Without one, the connecting address is the
    /// client and those headers are ignored, so nobody can forge them.
    #[arg(
        long = "trusted-proxy",
        env = "PORTCULLIS_TRUSTED_PROXY",
        value_delimiter = ',',
        value_parser = parse_network
    )]
    pub trusted_proxies: Vec<policy::Cidr>,

    /// Console sign-in requests per minute from one client address (1 to 100000); more are
    /// answered 429 until the minute ends.
    #[arg(
        long,
        env = "PORTCULLIS_SIGN_IN_RATE_LIMIT",
        default_value_t = iam::DEFAULT_SIGN_INS_PER_MINUTE,
        value_parser = clap::value_parser!(u32).range(1..=100_000)
    )]
    pub sign_in_rate_limit: u32,

    /// The file holding the master key (64 hex digits) that seals one-time secrets in the
    /// database. Default with SQLite: `master.key` beside the database, generated at first
    /// start. Required with PostgreSQL, and the same file for every instance.
    #[arg(long, env = "PORTCULLIS_MASTER_KEY_FILE")]
    pub master_key_file: Option<PathBuf>,

    #[command(flatten)]
    pub account: AccountArgs,
}

/// The account's id, chosen when the account is first created.
#[derive(Debug, Clone, Args)]
pub struct AccountArgs {
    /// The 12-digit AWS account id to create the account with, so that policies and ARNs
    /// copied from AWS keep theirs. Only before the first start: once the account exists, a
    /// different id stops the command with an error.
    #[arg(long, env = "PORTCULLIS_ACCOUNT_ID", value_parser = parse_account_id)]
    pub account_id: Option<iam::AccountId>,
}

fn parse_account_id(raw: &str) -> Result<iam::AccountId, String> {
    iam::AccountId::parse(raw.trim()).ok_or_else(|| {
        format!("`{raw}` is not an account id; give the 12 digits of one, such as 123456789012")
    })
}

fn parse_network(raw: &str) -> Result<policy::Cidr, String> {
    policy::Cidr::parse(raw.trim()).ok_or_else(|| {
        format!(
            "`{raw}` is not an IP address or network; give one such as `10.0.0.2` or `10.0.0.0/8`"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::{CommandFactory, Parser};

    #[test]
    fn trusted_proxies_are_addresses_or_networks() {
        let cli = Cli::try_parse_from([
            "portcullis",
            "--trusted-proxy",
            "10.0.0.0/8,::1",
            "--trusted-proxy",
            "192.0.2.7",
        ])
        .expect("valid");
        let args = cli.serve;
        assert_eq!(args.trusted_proxies.len(), 3);
        assert_eq!(args.sign_in_rate_limit, iam::DEFAULT_SIGN_INS_PER_MINUTE);
        let err = Cli::try_parse_from(["portcullis", "--trusted-proxy", "10.0.0.0/33"])
            .expect_err("invalid")
            .to_string();
        assert!(
            err.contains("`10.0.0.0/33` is not an IP address or network"),
            "{err}"
        );
    }

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
            "--trusted-proxy",
            "PORTCULLIS_TRUSTED_PROXY",
            "--sign-in-rate-limit",
        ] {
            assert!(
                help.contains(needle),
                "`{needle}` missing from --help:\n{help}"
            );
        }
    }
}
