//! `Iam`: the service the server holds, bundling the store, the password
//! hasher, the master key and the SigV4 signing-key cache. Each method takes
//! `now` from the caller.

mod access_advisor;
mod access_keys;
mod access_records;
mod account_settings;
mod attachments;
mod authorization;
mod authorization_api;
mod bootstrap_keys;
pub(crate) mod common;
mod event_history;
mod groups;
mod iam_users;
mod login_profiles;
mod one_time_secrets;
mod policies;
mod policy_drafts;
mod policy_generation;
mod sessions;
mod setup;
mod sign_in_guard;
mod signed_requests;
mod signin;
mod users_batch;

pub use access_advisor::{ActionAccess, ServiceAccess, TRACKING_PERIOD_DAYS};
pub use access_keys::{
    AccessKeyInfo, AccessKeySecret, AccessKeyStatus, KeyHolder, MAX_ACCESS_KEYS_PER_USER,
    NewAccessKey,
};
pub use authorization::EffectivePolicy;
pub use authorization_api::{
    AUTHORIZE_ACTION, ApiCaller, AuthzAnswer, AuthzQuery, MAX_BATCH_REQUESTS,
};
pub use event_history::{
    DEFAULT_EVENT_RETENTION_DAYS, EventFilter, EventPage, EventRecord, EventResource,
    LookupAttribute, MAX_EVENTS_PER_PAGE, UserIdentity,
};
pub use one_time_secrets::{MasterKeyCheck, OneTimeKind};
pub use policy_generation::{DEFAULT_ACTIVITY_DAYS, GeneratedPolicy, MAX_ACTIVITY_DAYS};
pub use sign_in_guard::{
    DEFAULT_SIGN_INS_PER_MINUTE, FREE_SIGN_IN_FAILURES, MAX_SIGN_IN_WAIT_SECS,
};

use crate::account::{Account, AccountId};
use crate::authz::Authorized;
use crate::clock::UnixTime;
use crate::error::IamError;
use crate::master_key::MasterKey;
use crate::password::PasswordHasher;
use crate::secret::SetupToken;
use crate::store::{AccountSummary, Store};

/// The IAM service. Cheap to clone: clones share the pool and the hashing limit.
#[derive(Debug, Clone)]
pub struct Iam {
    store: Store,
    hasher: PasswordHasher,
    access: access_records::AccessRecorder,
    /// Sign-in requests per client address per minute; `None` for no limit.
    sign_ins_per_minute: Option<u32>,
    /// Seals one-time secrets. [`Iam::new`] makes a random one that lives as long as the process;
    /// the server sets the one from its key file with [`Iam::with_master_key`].
    master_key: MasterKey,
    /// SigV4 signing keys derived from sealed access-key secrets, per key, day, region and
    /// service.
    signing_keys: signed_requests::SigningKeyCache,
}

impl Iam {
    /// The service over `store`, hashing with at most one argon2 job per CPU.
    pub fn new(store: Store) -> Iam {
        Iam::with_hasher(store, PasswordHasher::new())
    }

    ///
    /// # Panics
    ///
    /// When the OS has no random bytes for the process's master key.
    pub fn with_hasher(store: Store, hasher: PasswordHasher) -> Iam {
        Iam {
            store,
            hasher,
            access: access_records::AccessRecorder::default(),
            sign_ins_per_minute: Some(sign_in_guard::DEFAULT_SIGN_INS_PER_MINUTE),
            master_key: MasterKey::generate()
                .expect("the OS random number generator gives a master key"),
            signing_keys: signed_requests::SigningKeyCache::default(),
        }
    }

    /// Sets the master key one-time secrets are sealed with; every instance on one database
    /// needs the same one.
    pub fn with_master_key(mut self, key: MasterKey) -> Iam {
        self.master_key = key;
        self.signing_keys = signed_requests::SigningKeyCache::default();
        self
    }

    pub(crate) fn master_key(&self) -> &MasterKey {
        &self.master_key
    }

    pub(crate) fn signing_keys(&self) -> &signed_requests::SigningKeyCache {
        &self.signing_keys
    }

    /// Sets the per-address sign-in limit (requests per minute); `None` turns it off.
    pub fn with_sign_ins_per_minute(mut self, limit: Option<u32>) -> Iam {
        self.sign_ins_per_minute = limit;
        self
    }

    pub(crate) fn sign_ins_per_minute(&self) -> Option<u32> {
        self.sign_ins_per_minute
    }

    pub(crate) fn access_recorder(&self) -> &access_records::AccessRecorder {
        &self.access
    }

    /// Connects to `database_url` (see [`Store::connect`]).
    pub async fn connect(database_url: &str) -> Result<Iam, IamError> {
        Ok(Iam::new(Store::connect(database_url).await?))
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn hasher(&self) -> &PasswordHasher {
        &self.hasher
    }

    /// See [`Store::ensure_account`].
    pub async fn ensure_account(&self, now: UnixTime) -> Result<Account, IamError> {
        self.store.ensure_account(now).await
    }

    /// See [`Store::ensure_account_with_id`].
    pub async fn ensure_account_with_id(
        &self,
        now: UnixTime,
        id: Option<&AccountId>,
    ) -> Result<Account, IamError> {
        self.store.ensure_account_with_id(now, id).await
    }

    /// The account, for the top bar and dashboard. Every signed-in principal
    /// may see its own account id and alias, as in AWS.
    pub async fn account(&self) -> Result<Account, IamError> {
        self.store.account().await
    }

    /// See [`Store::root_exists`].
    pub async fn root_exists(&self) -> Result<bool, IamError> {
        self.store.root_exists().await
    }

    /// See [`Store::issue_setup_token`].
    pub async fn issue_setup_token(&self, now: UnixTime) -> Result<Option<SetupToken>, IamError> {
        self.store.issue_setup_token(now).await
    }

    /// The dashboard's counts.
    ///
    /// **Permissions**: `iam:GetAccountSummary`.
    pub async fn account_summary(&self, auth: &Authorized) -> Result<AccountSummary, IamError> {
        self.store.account_summary(auth).await
    }

    /// The account's permissions version, which grows with every committed write that can
    /// change what a principal may do; a cache of decisions is valid while it stays the same.
    pub async fn permissions_version(&self, account: &AccountId) -> Result<i64, IamError> {
        let mut conn = self.store.pool().acquire().await?;
        crate::store::permissions::version(&mut conn, account).await
    }
}
