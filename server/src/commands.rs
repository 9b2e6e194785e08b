//! What each CLI command does.

use std::io::Read;
use std::process::ExitCode;

use crate::cli::{Cli, Command, PolicyCommand};
use crate::policy_cli::{self, PolicyCliError};

#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("{0}")]
    Iam(#[from] iam::IamError),
    #[error("{0}")]
    Serve(#[from] crate::serve::ServeError),
    #[error("{0}")]
    Policy(#[from] PolicyCliError),
    #[error("{0}")]
    AccessKey(#[from] crate::access_key_cli::AccessKeyCliError),
    #[error("reading the password from standard input failed: {0}")]
    Stdin(std::io::Error),
}

pub async fn run(cli: Cli) -> Result<ExitCode, CommandError> {
    match cli.command {
        None | Some(Command::Serve) => {
            crate::serve::serve(cli.serve).await?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::CreateRoot {
            email,
            database_url,
            account,
        }) => {
            let password = read_password()?;
            let store = iam::Store::connect(&database_url).await?;
            let iam = iam::Iam::new(store);
            let now = iam::UnixTime::now();
            iam.store()
                .ensure_account_with_id(now, account.account_id.as_ref())
                .await?;
            iam.create_root(email.trim(), &password, now).await?;
            eprintln!(
                "created the root user `{}`; sign in at /signin",
                email.trim()
            );
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::CreateAccessKey {
            user_name,
            database_url,
            master_key_file,
            account,
        }) => {
            let json = crate::access_key_cli::create_access_key(
                user_name.as_deref(),
                &database_url,
                master_key_file.as_deref(),
                account.account_id.as_ref(),
            )
            .await?;
            println!("{json}");
            Ok(ExitCode::SUCCESS)
        }
        Some(Command::Policy { command }) => {
            let mut out = std::io::stdout().lock();
            match command {
                PolicyCommand::Validate { file, json } => {
                    let has_errors = policy_cli::validate(file.as_ref(), json, &mut out)?;
                    Ok(if has_errors {
                        ExitCode::FAILURE
                    } else {
                        ExitCode::SUCCESS
                    })
                }
                PolicyCommand::Simulate { file } => {
                    policy_cli::simulate(file.as_ref(), &mut out)?;
                    Ok(ExitCode::SUCCESS)
                }
            }
        }
    }
}

/// The password is the first line of standard input, so that it never shows in `ps` or history.
fn read_password() -> Result<String, CommandError> {
    let mut input = String::new();
    std::io::stdin()
        .take(4096)
        .read_to_string(&mut input)
        .map_err(CommandError::Stdin)?;
    Ok(input.lines().next().unwrap_or_default().to_owned())
}
