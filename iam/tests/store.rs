//! Store and service tests, each on a fresh SQLite file in its own tempdir.

mod store {
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod access_advisor;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod access_keys;
    mod advisor_scale;
    mod authz;
    mod connect;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod enforcement;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod event_history;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod groups;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod passwords;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod policies;
    mod postgres;
    mod sessions;
    mod setup;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod sign_in_protection;
    mod signin;
    #[expect(clippy::unwrap_used, reason = "fixtures fail the test loudly")]
    mod support;
    #[expect(clippy::unwrap_used, reason = "helpers fail the test loudly")]
    mod users;
}
