//! Store and service tests, each on a fresh database of its own, on either backend.
//!
//! SQLite by default (a file in a tempdir). With `PORTCULLIS_TEST_BACKEND=postgres` every test
//! gets a fresh database on the server named by `PORTCULLIS_TEST_POSTGRES_URL`, dropped when the
//! test ends:
//!
//! ```sh
//! scripts/with-postgres.sh env PORTCULLIS_TEST_BACKEND=postgres cargo nextest run -p iam --test store
//! ```
//!
//! Tests about SQLite itself use `test_sqlite_store()` and run on SQLite in both passes.

mod store {
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod access_advisor;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod access_keys;
    mod advisor_scale;
    mod authz;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod bootstrap_keys;
    mod connect;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod enforcement;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod event_history;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod groups;
    mod one_time_secrets;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod passwords;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod permissions_changed_access_keys;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod permissions_changed_cascades;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod permissions_changed_groups;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod permissions_changed_login_profiles;
    mod permissions_changed_policies;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod policies;
    mod policy_drafts;
    mod postgres;
    mod sessions;
    mod setup;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod sign_in_protection;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod signed_requests;
    mod signin;
    #[expect(clippy::unwrap_used, reason = "fixtures fail the test loudly")]
    mod support;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod users;
}
