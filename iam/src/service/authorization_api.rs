//! The authorization API's domain side: other services ask whether a principal of this account may
//! perform an action on a resource, in the shape of Amazon Verified Permissions' `IsAuthorized`.
//!
//! The caller authenticates with an IAM user's access key and needs `portcullis:Authorize` on `*`.
//! [`ApiCaller`] is the proof of both, and the only way to ask. Each answer is decided by the
//! `policy` engine over the asked-about principal's identity policies and is recorded as an access
//! of that principal (for the Access Advisor).

use std::collections::HashMap;

use crate::arn::{self, Kind};
use serde_json::json;

use crate::authz::{Action, RequestFacts};
use crate::error::IamError;
use crate::event::{EventName, NewEvent, RequestMeta};
use crate::principal::Principal;
use crate::service::Iam;
use crate::service::access_keys::KeyHolder;
use crate::service::authorization::CompiledIdentity;
use crate::service::common::find_user;
use crate::store::events::insert_event;

/// The action an API caller needs.
pub const AUTHORIZE_ACTION: &str = Action::Authorize.as_str();

/// The most requests one batch may hold.
pub const MAX_BATCH_REQUESTS: usize = 100;

/// Proof that an access key was checked and its user may call the authorization API.
#[derive(Debug)]
pub struct ApiCaller {
    holder: KeyHolder,
    /// Where the call came from, for the Event history.
    source_ip: Option<String>,
}

impl ApiCaller {
    pub fn principal(&self) -> &Principal {
        &self.holder.principal
    }

    pub fn access_key_id(&self) -> &str {
        &self.holder.access_key_id
    }
}

/// One question: may `principal` (a user name or user ARN) perform `action` on `resource`?
#[derive(Debug, Clone)]
pub struct AuthzQuery {
    pub principal: String,
    pub action: String,
    pub resource: String,
    /// Condition keys describing the request (`aws:SourceIp`, `s3:prefix`, ...). The principal's
    /// own keys (`aws:username`, `aws:PrincipalTag/...`) come from the store and override these.
    pub context: policy::Context,
}

/// The answer: the decision and the statements that decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthzAnswer {
    pub decision: policy::Decision,
    pub matched: Vec<policy::MatchedStatement>,
    /// Statements that could not be evaluated (they fail closed).
    pub errors: Vec<policy::EvalError>,
    /// False when no user of this account has that name or ARN (the decision is then a deny).
    pub principal_found: bool,
}

impl Iam {
    /// Checks an access key and that its user may call the authorization API.
    ///
    /// Errors: `InvalidCredentials` for a wrong, inactive or deleted key; `AccessDenied` when the
    /// user's policies do not allow `portcullis:Authorize` on `*`.
    pub async fn authorize_api_caller(
        &self,
        access_key_id: &str,
        secret: &str,
        facts: &RequestFacts,
    ) -> Result<ApiCaller, IamError> {
        let holder = self
            .authenticate_access_key(access_key_id, secret, facts.now)
            .await?;
        let identity = self.compiled_identity(&holder.principal).await?;
        let allowed = identity.policies.as_ref().is_some_and(|policies| {
            let request = policy::Request {
                action: AUTHORIZE_ACTION.to_owned(),
                resource: "*".to_owned(),
                context: identity.context(&holder.principal, facts, policy::Context::new()),
            };
            policies.evaluate(&request).decision == policy::Decision::Allow
        });
        self.record_access(&holder.principal, AUTHORIZE_ACTION, allowed, facts.now);
        if allowed {
            Ok(ApiCaller {
                holder,
                source_ip: facts.source_ip.clone(),
            })
        } else {
            Err(IamError::AccessDenied {
                action: Action::Authorize,
                resource: "*".to_owned(),
            })
        }
    }

    /// Decides each query, in order. Principals are looked up and compiled once per batch.
    pub async fn is_authorized(
        &self,
        caller: &ApiCaller,
        queries: Vec<AuthzQuery>,
        now: crate::clock::UnixTime,
    ) -> Result<Vec<AuthzAnswer>, IamError> {
        if queries.len() > MAX_BATCH_REQUESTS {
            return Err(IamError::validation(
                "requests",
                format!(
                    "a batch holds at most {MAX_BATCH_REQUESTS} requests and this one has {}; split it",
                    queries.len()
                ),
            ));
        }
        let account_id = caller.principal().account_id().clone();
        let mut identities: HashMap<String, Option<(Principal, CompiledIdentity)>> = HashMap::new();
        let mut answers = Vec::with_capacity(queries.len());
        // The request described is another service's; only the time is ours.
        let facts = RequestFacts::at(now);
        let asked: Vec<(String, String, String)> = queries
            .iter()
            .map(|q| (q.principal.clone(), q.action.clone(), q.resource.clone()))
            .collect();
        for query in queries {
            if !identities.contains_key(&query.principal) {
                let found = match self
                    .resolve_principal(&account_id, &query.principal)
                    .await?
                {
                    Some(principal) => {
                        let identity = self.compiled_identity(&principal).await?;
                        Some((principal, identity))
                    }
                    None => None,
                };
                identities.insert(query.principal.clone(), found);
            }
            let Some(Some((principal, identity))) = identities.get(&query.principal) else {
                answers.push(AuthzAnswer {
                    decision: policy::Decision::ImplicitDeny,
                    matched: Vec::new(),
                    errors: Vec::new(),
                    principal_found: false,
                });
                continue;
            };
            let answer = match &identity.policies {
                Some(policies) => {
                    let request = policy::Request {
                        action: query.action.clone(),
                        resource: query.resource,
                        context: identity.context(principal, &facts, query.context),
                    };
                    let response = policies.evaluate(&request);
                    AuthzAnswer {
                        decision: response.decision,
                        matched: response.matched,
                        errors: response.errors,
                        principal_found: true,
                    }
                }
                None => AuthzAnswer {
                    decision: policy::Decision::ImplicitDeny,
                    matched: Vec::new(),
                    errors: Vec::new(),
                    principal_found: true,
                },
            };
            self.record_access(
                principal,
                &query.action,
                answer.decision == policy::Decision::Allow,
                now,
            );
            answers.push(answer);
        }
        self.record_decisions(caller, &asked, &answers, now).await?;
        Ok(answers)
    }

    /// Writes one read-only `Authorize` event per decision (event source
    /// `portcullis.amazonaws.com`), by the caller and its access key, in one transaction.
    async fn record_decisions(
        &self,
        caller: &ApiCaller,
        asked: &[(String, String, String)],
        answers: &[AuthzAnswer],
        now: crate::clock::UnixTime,
    ) -> Result<(), IamError> {
        let meta = RequestMeta::new(caller.source_ip.clone().unwrap_or_default(), String::new());
        let account_id = caller.principal().account_id();
        let mut tx = self.store().begin_write().await?;
        for ((principal, action, resource), answer) in asked.iter().zip(answers) {
            let event = NewEvent::new(EventName::Iam(Action::Authorize), account_id, &meta, now)
                .by(caller.principal())
                .with_access_key(caller.access_key_id())
                .request(json!({ "principal": principal, "action": action, "resource": resource }))
                .response(json!({
                    "decision": answer.decision,
                    "principalFound": answer.principal_found,
                }));
            insert_event(&mut tx, &event).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The user a query names: a user name (any case) or a user ARN of this account.
    async fn resolve_principal(
        &self,
        account_id: &crate::account::AccountId,
        name_or_arn: &str,
    ) -> Result<Option<Principal>, IamError> {
        let (path, name) = if name_or_arn.starts_with("arn:") {
            match arn::parse(name_or_arn, account_id, Kind::User) {
                Some((path, name)) => (Some(path), name),
                None => return Ok(None),
            }
        } else {
            (None, name_or_arn)
        };
        if name.is_empty() || name.len() > 64 {
            return Ok(None);
        }
        let mut conn = self.store().pool().acquire().await?;
        let Some(row) = find_user(&mut conn, account_id, name).await? else {
            return Ok(None);
        };
        // An ARN names the user exactly: path and case.
        if path.is_some_and(|p| p != row.path || name != row.name) {
            return Ok(None);
        }
        Ok(Some(Principal::User {
            account_id: account_id.clone(),
            user_id: row.id,
            name: row.name,
            path: row.path,
        }))
    }
}
