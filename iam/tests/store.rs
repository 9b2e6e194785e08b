//! Store and service tests, each on a fresh SQLite file in its own tempdir.

mod store {
    mod authz;
    mod connect;
    mod postgres;
    mod sessions;
    mod setup;
    mod signin;
    #[expect(clippy::unwrap_used, reason = "fixtures fail the test loudly")]
    mod support;
}
