//! Deciding what a principal may do: root by rule, IAM users by their effective identity policies
//! (attached to the user, attached to their groups, and their groups' inline policies), evaluated
//! by the `policy` engine with the request context AWS gives (`aws:username`, `aws:userid`,
//! `aws:PrincipalArn`, `aws:PrincipalTag/*`, `aws:CurrentTime`, `aws:SourceIp`, ...).
//!
//! The policies are read from the database on every decision, so a change takes effect at the next
//! request on every instance that shares the database.

use sqlx::AnyConnection;

use crate::authz::{self, Action, Authorized, RequestFacts};
use crate::error::IamError;
use crate::principal::Principal;
use crate::service::Iam;
use crate::store::effective;
use crate::store::{group_inline_policies, tags};

/// One identity policy in force for a user, named as the decision reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EffectivePolicy {
    /// The managed policy's ARN, or `<group>/<policy name>` for a group's inline policy.
    pub name: String,
    pub document: String,
}

impl Iam {
    /// Decides whether `principal` may perform `action` on `resource` (an ARN, or `*`), with only
    /// the current time known about the request. The returned proof is what store methods require.
    /// Request handlers that know the caller's address use [`Iam::authorize_request`].
    pub async fn authorize(
        &self,
        principal: &Principal,
        action: Action,
        resource: &str,
    ) -> Result<Authorized, IamError> {
        let facts = RequestFacts::at(crate::clock::UnixTime::now());
        self.authorize_request(principal, action, resource, &facts)
            .await
    }

    /// Decides whether `principal` may perform `action` on `resource`, with the request's facts
    /// available to policy conditions.
    pub async fn authorize_request(
        &self,
        principal: &Principal,
        action: Action,
        resource: &str,
        facts: &RequestFacts,
    ) -> Result<Authorized, IamError> {
        let decision = self.decide(principal, action, resource, facts).await;
        match &decision {
            Ok(_) => self.record_access(principal, action.as_str(), true, facts.now),
            Err(IamError::AccessDenied { .. }) => {
                self.record_access(principal, action.as_str(), false, facts.now);
                // The denial goes to the Event history too; failing to write it must not turn
                // the refusal into a server error.
                let meta = crate::event::RequestMeta::new(
                    facts.source_ip.clone().unwrap_or_default(),
                    String::new(),
                );
                if let Err(e) = self
                    .record_access_denied(principal, action, resource, &meta, facts.now)
                    .await
                {
                    tracing::warn!(error = %e, "recording a denied request in the Event history failed");
                }
            }
            // The decision could not be made (database down): nothing was attempted.
            Err(_) => {}
        }
        decision
    }

    async fn decide(
        &self,
        principal: &Principal,
        action: Action,
        resource: &str,
        facts: &RequestFacts,
    ) -> Result<Authorized, IamError> {
        if principal.is_root() {
            return authz::decide(principal, action, resource);
        }
        let identity = self.compiled_identity(principal).await?;
        let denied = || IamError::AccessDenied {
            action,
            resource: resource.to_owned(),
        };
        let policies = identity.policies.as_ref().ok_or_else(denied)?;
        let context = identity.context(principal, facts, policy::Context::new());
        authz::decide_by_policies(principal, action, resource, policies, context)
    }

    /// An IAM user's policies, compiled, and the user's tags.
    pub(crate) async fn compiled_identity(
        &self,
        principal: &Principal,
    ) -> Result<CompiledIdentity, IamError> {
        let mut conn = self.store().pool().acquire().await?;
        let policies = effective_policies(&mut conn, principal).await?;
        let tags = match principal {
            Principal::User { user_id, .. } => user_tags(&mut conn, user_id).await?,
            Principal::Root { .. } => Vec::new(),
        };
        drop(conn);
        Ok(CompiledIdentity {
            policies: compile(&policies),
            tags,
        })
    }

    /// Which of `checks` (action, resource) `principal` may perform, without a proof and without
    /// recording an access: for hiding what the console's controls cannot do (a denial is still
    /// decided, and recorded, when the person tries).
    pub async fn permitted(
        &self,
        principal: &Principal,
        checks: &[(Action, &str)],
        facts: &RequestFacts,
    ) -> Result<Vec<bool>, IamError> {
        if principal.is_root() {
            return Ok(checks
                .iter()
                .map(|(action, resource)| authz::decide(principal, *action, resource).is_ok())
                .collect());
        }
        let identity = self.compiled_identity(principal).await?;
        let Some(policies) = &identity.policies else {
            return Ok(vec![false; checks.len()]);
        };
        let context = identity.context(principal, facts, policy::Context::new());
        Ok(checks
            .iter()
            .map(|(action, resource)| {
                let request = policy::Request {
                    action: action.as_str().to_owned(),
                    resource: (*resource).to_owned(),
                    context: context.clone(),
                };
                policies.evaluate(&request).decision == policy::Decision::Allow
            })
            .collect())
    }

    /// The identity policies in force for `principal` (none for root, which needs none).
    pub async fn effective_policies(
        &self,
        principal: &Principal,
    ) -> Result<Vec<EffectivePolicy>, IamError> {
        let mut conn = self.store().pool().acquire().await?;
        effective_policies(&mut conn, principal).await
    }
}

/// A principal's identity policies, compiled once for any number of decisions.
pub(crate) struct CompiledIdentity {
    /// `None` when a stored policy does not parse. It was validated when saved, so this means a
    /// damaged row, and every request is refused: the policy might have held a Deny, so guessing
    /// would not fail closed.
    pub(crate) policies: Option<policy::CompiledPolicySet>,
    tags: Vec<(String, String)>,
}

impl CompiledIdentity {
    /// The request context: `extra` (keys a caller of the authorization API passes), then the
    /// principal's and the request's keys, which callers cannot override.
    pub(crate) fn context(
        &self,
        principal: &Principal,
        facts: &RequestFacts,
        extra: policy::Context,
    ) -> policy::Context {
        request_context(principal, &self.tags, facts, extra)
    }
}

fn compile(policies: &[EffectivePolicy]) -> Option<policy::CompiledPolicySet> {
    let mut parsed = Vec::with_capacity(policies.len());
    for p in policies {
        match policy::parse(&p.document) {
            Ok(doc) => parsed.push(doc),
            Err(e) => {
                tracing::error!(policy = %p.name, error = %e, "a stored policy does not parse; refusing every request of its principals");
                return None;
            }
        }
    }
    let named: Vec<(&str, &policy::PolicyDocument)> = policies
        .iter()
        .zip(&parsed)
        .map(|(p, doc)| (p.name.as_str(), doc))
        .collect();
    Some(policy::CompiledPolicySet::new(&named, None))
}

pub(crate) async fn effective_policies(
    conn: &mut AnyConnection,
    principal: &Principal,
) -> Result<Vec<EffectivePolicy>, IamError> {
    let Principal::User {
        account_id,
        user_id,
        ..
    } = principal
    else {
        return Ok(Vec::new());
    };
    // Managed policies attached to the user or to any of the user's groups, each once, with the
    // default version's document for customer managed ones (AWS managed ones have no row).
    let managed = effective::managed_for_user(conn, account_id, user_id).await?;
    let inline = group_inline_policies::for_member(conn, user_id).await?;

    let mut policies = Vec::with_capacity(managed.len() + inline.len());
    for row in managed {
        let arn = row.policy_arn;
        let document = match row.document {
            Some(d) => d,
            None => match policy::managed::by_arn(&arn) {
                Some(aws) => aws.document.to_owned(),
                // An attachment whose policy is gone grants nothing; deleting a policy detaches
                // it, so this only happens in a damaged database.
                None => {
                    tracing::warn!(policy = %arn, "an attached policy does not exist; ignoring it");
                    continue;
                }
            },
        };
        policies.push(EffectivePolicy {
            name: arn,
            document,
        });
    }
    for p in inline {
        policies.push(EffectivePolicy {
            name: format!("{}/{}", p.group_name, p.name),
            document: p.document,
        });
    }
    Ok(policies)
}

async fn user_tags(
    conn: &mut AnyConnection,
    user_id: &str,
) -> Result<Vec<(String, String)>, IamError> {
    let tags = tags::list(conn, user_id).await?;
    Ok(tags.into_iter().map(|t| (t.key, t.value)).collect())
}

/// The global condition keys AWS sets for an IAM user's request.
fn request_context(
    principal: &Principal,
    tags: &[(String, String)],
    facts: &RequestFacts,
    extra: policy::Context,
) -> policy::Context {
    let mut context = extra;
    if let Principal::User {
        account_id,
        user_id,
        name,
        ..
    } = principal
    {
        context.insert("aws:username", name.as_str());
        context.insert("aws:userid", user_id.as_str());
        context.insert("aws:PrincipalAccount", account_id.as_str());
    }
    context.insert("aws:PrincipalArn", principal.arn());
    context.insert("aws:PrincipalType", "User");
    for (key, value) in tags {
        context.insert(&format!("aws:PrincipalTag/{key}"), value.as_str());
    }
    // The time is the server's unless an API caller describes a request made at another time.
    if context.get("aws:CurrentTime").is_none() {
        context.insert("aws:CurrentTime", facts.now.to_iso8601());
    }
    if context.get("aws:EpochTime").is_none() {
        context.insert("aws:EpochTime", facts.now.as_secs());
    }
    if let Some(ip) = &facts.source_ip {
        context.insert("aws:SourceIp", ip.as_str());
    }
    if let Some(secure) = facts.secure_transport {
        context.insert("aws:SecureTransport", secure);
    }
    if let Some(mfa) = facts.mfa_present {
        context.insert("aws:MultiFactorAuthPresent", mfa);
    }
    context
}
