//! `portcullis policy validate` and `portcullis policy simulate`: the policy crate from the shell,
//! for scripts and CI pipelines that check policies before they reach the console.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use policy::validate::{FindingType, Validation};
use policy::{CompiledPolicySet, PolicyDocument, Request, Response};
use serde::Deserialize;

/// Inputs larger than this are refused rather than read: IAM's largest policy is 10,240
/// characters, and a simulation file holds at most a few hundred policies.
const MAX_INPUT_BYTES: u64 = 16 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum PolicyCliError {
    #[error("cannot read `{path}`: {source}; check the path and its permissions")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("`{path}` is larger than {MAX_INPUT_BYTES} bytes; split it into smaller files")]
    TooLarge { path: String },
    #[error(
        "`{path}` is not a simulation request: {message}; see `portcullis policy simulate --help`"
    )]
    SimulationInput { path: String, message: String },
    #[error(
        "policy {index} in `{path}` does not parse: {message}; run `portcullis policy validate` on it"
    )]
    Policy {
        path: String,
        index: String,
        message: String,
    },
    #[error("writing the output failed: {0}")]
    Write(std::io::Error),
}

/// Reads `path`, or standard input for `-` or no path.
fn read_input(path: Option<&Path>) -> Result<(String, String), PolicyCliError> {
    let name = match path {
        Some(p) if p != Path::new("-") => p.display().to_string(),
        _ => "<stdin>".to_owned(),
    };
    let mut text = String::new();
    let read = match path {
        Some(p) if p != Path::new("-") => std::fs::File::open(p)
            .and_then(|f| f.take(MAX_INPUT_BYTES + 1).read_to_string(&mut text)),
        _ => std::io::stdin()
            .take(MAX_INPUT_BYTES + 1)
            .read_to_string(&mut text),
    };
    read.map_err(|source| PolicyCliError::Read {
        path: name.clone(),
        source,
    })?;
    if text.len() as u64 > MAX_INPUT_BYTES {
        return Err(PolicyCliError::TooLarge { path: name });
    }
    Ok((name, text))
}

/// Prints the findings of one policy. Returns whether one is an ERROR.
pub fn validate(
    file: Option<&PathBuf>,
    json: bool,
    out: &mut impl Write,
) -> Result<bool, PolicyCliError> {
    let (name, text) = read_input(file.map(PathBuf::as_path))?;
    let validation = policy::validate::validate(&text);
    if json {
        serde_json::to_writer_pretty(&mut *out, &validation)
            .map_err(|e| PolicyCliError::Write(e.into()))?;
        writeln!(out).map_err(PolicyCliError::Write)?;
    } else {
        write_human(&name, &validation, out).map_err(PolicyCliError::Write)?;
    }
    Ok(validation.has_errors())
}

fn write_human(name: &str, validation: &Validation, out: &mut impl Write) -> std::io::Result<()> {
    for f in &validation.findings {
        let at = f.location.span.start;
        writeln!(
            out,
            "{name}:{}:{}: {} {}: {}",
            at.line,
            at.column,
            f.finding_type.label().to_lowercase(),
            f.issue_code,
            f.message
        )?;
    }
    let count = |t: FindingType| {
        validation
            .findings
            .iter()
            .filter(|f| f.finding_type == t)
            .count()
    };
    writeln!(
        out,
        "{name}: {} errors, {} security warnings, {} warnings, {} suggestions; {} of 6,144 characters",
        count(FindingType::Error),
        count(FindingType::SecurityWarning),
        count(FindingType::Warning),
        count(FindingType::Suggestion),
        validation.policy_size
    )
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Simulation {
    policies: Vec<serde_json::Value>,
    #[serde(default)]
    boundary: Option<serde_json::Value>,
    requests: Vec<Request>,
}

/// Decides each request of a simulation file and prints one JSON line per request.
pub fn simulate(file: Option<&PathBuf>, out: &mut impl Write) -> Result<(), PolicyCliError> {
    let (name, text) = read_input(file.map(PathBuf::as_path))?;
    let simulation: Simulation =
        serde_json::from_str(&text).map_err(|e| PolicyCliError::SimulationInput {
            path: name.clone(),
            message: e.to_string(),
        })?;
    let parse =
        |index: String, value: &serde_json::Value| -> Result<PolicyDocument, PolicyCliError> {
            // Policies go through the same parser as the console (duplicate keys, Principal, ...).
            policy::parse(&value.to_string()).map_err(|e| PolicyCliError::Policy {
                path: name.clone(),
                index,
                message: e.to_string(),
            })
        };
    let documents = simulation
        .policies
        .iter()
        .enumerate()
        .map(|(i, v)| parse(i.to_string(), v))
        .collect::<Result<Vec<_>, _>>()?;
    let boundary = simulation
        .boundary
        .as_ref()
        .map(|v| parse("`boundary`".to_owned(), v))
        .transpose()?;
    let names: Vec<String> = (0..documents.len()).map(|i| format!("policy{i}")).collect();
    let named: Vec<(&str, &PolicyDocument)> = names
        .iter()
        .map(String::as_str)
        .zip(documents.iter())
        .collect();
    let set = CompiledPolicySet::new(&named, boundary.as_ref());
    for request in &simulation.requests {
        let response: Response = set.evaluate(request);
        serde_json::to_writer(&mut *out, &response).map_err(|e| PolicyCliError::Write(e.into()))?;
        writeln!(out).map_err(PolicyCliError::Write)?;
    }
    Ok(())
}
