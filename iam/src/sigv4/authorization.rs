//! Parsing the `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`
//! header value.

use super::error::{Mismatch, SigV4Error};

/// The only algorithm SigV4 (not SigV4a) defines.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";

/// The last element of every SigV4 credential scope.
pub const TERMINATOR: &str = "aws4_request";

/// `Credential=AKID/20150830/us-east-1/iam/aws4_request`, split. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credential {
    pub access_key_id: String,
    /// `YYYYMMDD` as sent; checked against `X-Amz-Date` by `verify`.
    pub date: String,
    pub region: String,
    pub service: String,
}

impl Credential {
    /// `date/region/service/aws4_request`, the scope line of the string to sign.
    pub fn scope(&self) -> String {
        format!(
            "{}/{}/{}/{TERMINATOR}",
            self.date, self.region, self.service
        )
    }

    /// The region and service this server answers for must be the scope's, with AWS's messages
    /// when they are not. `verify` does not call this: the caller knows its region and service.
    pub fn check_scope(&self, region: &str, service: &str) -> Result<(), SigV4Error> {
        if self.region != region {
            return Err(SigV4Error::SignatureDoesNotMatch(Mismatch::ScopeRegion {
                found: self.region.clone(),
            }));
        }
        if self.service != service {
            return Err(SigV4Error::SignatureDoesNotMatch(Mismatch::ScopeService {
                expected: service.to_owned(),
            }));
        }
        Ok(())
    }
}

/// A parsed `Authorization` header.
#[derive(Clone, PartialEq, Eq)]
pub struct Authorization {
    pub credential: Credential,
    /// Lowercased, in the order sent (SigV4 clients send them sorted).
    pub signed_headers: Vec<String>,
    pub signature: [u8; 32],
}

impl std::fmt::Debug for Authorization {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Authorization")
            .field("credential", &self.credential)
            .field("signed_headers", &self.signed_headers)
            .field("signature", &hex::encode(self.signature))
            .finish()
    }
}

impl Authorization {
    /// Parses the header value. Components may come in any order, separated by commas and/or
    /// whitespace; for a repeated component the last wins; unknown components are ignored.
    pub fn parse(header_value: &str) -> Result<Authorization, SigV4Error> {
        let header = header_value.trim();
        let (algorithm, params) = header
            .split_once(|c: char| c.is_ascii_whitespace())
            .unwrap_or((header, ""));
        if algorithm != ALGORITHM {
            return Err(incomplete(format!(
                "Unsupported AWS 'algorithm': '{algorithm}'."
            )));
        }
        let (mut credential, mut signed_headers, mut signature) = (None, None, None);
        for param in params
            .split(|c: char| c == ',' || c.is_ascii_whitespace())
            .filter(|p| !p.is_empty())
        {
            let Some((key, value)) = param.split_once('=') else {
                return Err(incomplete(format!(
                    "'{param}' not a valid key=value pair (missing equal-sign) in Authorization \
                     header: '{header}'"
                )));
            };
            match key {
                "Credential" => credential = Some(value),
                "SignedHeaders" => signed_headers = Some(value),
                "Signature" => signature = Some(value),
                _ => {}
            }
        }
        let missing: Vec<&str> = [
            (credential.is_none(), "Credential"),
            (signature.is_none(), "Signature"),
            (signed_headers.is_none(), "SignedHeaders"),
        ]
        .iter()
        .filter(|(absent, _)| *absent)
        .map(|(_, name)| *name)
        .collect();
        let (Some(credential), Some(signed_headers), Some(signature)) =
            (credential, signed_headers, signature)
        else {
            let parts: Vec<String> = missing
                .iter()
                .map(|name| format!("Authorization header requires '{name}' parameter."))
                .collect();
            return Err(incomplete(format!(
                "{} Authorization={ALGORITHM}",
                parts.join(" ")
            )));
        };
        Ok(Authorization {
            credential: parse_credential(credential)?,
            signed_headers: signed_headers
                .split(';')
                .filter(|h| !h.is_empty())
                .map(str::to_ascii_lowercase)
                .collect(),
            signature: parse_signature(signature)?,
        })
    }
}

fn parse_credential(text: &str) -> Result<Credential, SigV4Error> {
    let parts: Vec<&str> = text.split('/').collect();
    let [key, date, region, service, terminator] = parts[..] else {
        return Err(incomplete(format!(
            "Credential must have exactly 5 slash-delimited elements, e.g. \
             keyid/date/region/service/term, got '{text}'"
        )));
    };
    if terminator != TERMINATOR {
        return Err(SigV4Error::SignatureDoesNotMatch(
            Mismatch::ScopeTerminator {
                found: terminator.to_owned(),
            },
        ));
    }
    Ok(Credential {
        access_key_id: key.to_owned(),
        date: date.to_owned(),
        region: region.to_owned(),
        service: service.to_owned(),
    })
}

/// A signature that is not 64 hex digits cannot match any we compute.
fn parse_signature(text: &str) -> Result<[u8; 32], SigV4Error> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out)
        .map_err(|_| SigV4Error::SignatureDoesNotMatch(Mismatch::Signature))?;
    Ok(out)
}

fn incomplete(message: String) -> SigV4Error {
    SigV4Error::IncompleteSignature(message)
}
