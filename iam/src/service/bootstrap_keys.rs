//! Access keys made on the server's command line (`portcullis create-access-key
//! [--user-name NAME]`), to bootstrap API clients before anyone has signed in to the console.
//!
//! A key of the root user has no `users` row: it is stored with `is_root = 1` and no `user_id`
//! (migration 0013), authenticates as `Principal::Root`, and counts toward root's own limit of
//! two keys.

use serde_json::json;

use super::Iam;
use super::access_keys::{NewAccessKey, check_key_count, insert_new_key};
use crate::action::Action;
use crate::arn::Kind;
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::event::{EventName, NewEvent, RequestMeta};
use crate::principal::Principal;
use crate::service::common::{find_user, lock_row};
use crate::store::access_keys as keys;
use crate::store::events::insert_event;
use crate::store::root::root_email_in;

const COMMAND: &str = "create-access-key";

impl Iam {
    /// Creates an access key for the IAM user `user_name` (any case), or for the root user when
    /// `None`, and records `CreateAccessKey` as done from the command line (by root when root
    /// exists). The root user must exist for a root key; the account is created if needed.
    pub async fn create_bootstrap_access_key(
        &self,
        user_name: Option<&str>,
        now: UnixTime,
    ) -> Result<NewAccessKey, IamError> {
        let account = self.store().ensure_account(now).await?;
        let meta = RequestMeta::command_line(COMMAND);
        let mut tx = self.store().begin_write().await?;
        let root = root_email_in(&mut tx).await?.map(|email| Principal::Root {
            account_id: account.id.clone(),
            email,
        });
        let (holder, user_id, arn) = match user_name {
            Some(name) => {
                let not_found = || IamError::NotFound {
                    what: "user",
                    name: name.trim().to_owned(),
                };
                let user = find_user(&mut tx, &account.id, name.trim())
                    .await?
                    .ok_or_else(not_found)?;
                if !lock_row(&mut tx, Kind::User, &user.id).await? {
                    return Err(not_found());
                }
                let count = keys::count_for_user(&mut tx, &user.id).await?;
                check_key_count(count, &format!("user `{}`", user.name))?;
                let principal = Principal::User {
                    account_id: account.id.clone(),
                    user_id: user.id.clone(),
                    name: user.name.clone(),
                    path: user.path.clone(),
                };
                let arn = principal.arn();
                (user.name, Some(user.id), arn)
            }
            None => {
                let Some(root) = &root else {
                    return Err(IamError::Conflict {
                        field: "user_name",
                        message: "the root user does not exist yet, so it cannot have an access \
                                  key; create it first with `portcullis create-root`, or pass \
                                  --user-name for an IAM user"
                            .to_owned(),
                    });
                };
                check_key_count(keys::count_for_root(&mut tx).await?, "the root user")?;
                (root.user_name().to_owned(), None, root.arn())
            }
        };
        let (access_key_id, secret) = insert_new_key(
            &mut tx,
            self.master_key(),
            &account.id,
            user_id.as_deref(),
            now,
        )
        .await?;
        let mut event = NewEvent::new(
            EventName::Iam(Action::CreateAccessKey),
            &account.id,
            &meta,
            now,
        )
        .request(json!({ "userName": user_name.map(str::trim) }))
        .resources(json!([{ "ARN": arn, "accountId": account.id }]));
        if let Some(root) = &root {
            event = event.by(root);
        }
        insert_event(&mut tx, &event).await?;
        tx.commit().await?;
        tracing::info!(
            account_id = %account.id,
            access_key_id = %access_key_id,
            holder = %arn,
            "access key created from the command line"
        );
        Ok(NewAccessKey {
            access_key_id,
            secret,
            user_name: holder,
            created_at: now,
        })
    }
}
