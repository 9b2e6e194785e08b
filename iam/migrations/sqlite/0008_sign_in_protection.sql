-- sqlite
-- Sign-in protection (issue 5): consecutive failures per login, and sign-in
-- requests per client address. Keep it in step with
-- ../postgres/0008_sign_in_protection.sql.

-- One row per login that failed since its last success. `account_key` is the
-- account id, or the typed account (lowercased) when no such account exists;
-- `login_name` is the lowercased IAM user name, or `root:` and the lowercased
-- root email. Rows exist for names that do not exist too, so a lockout looks
-- the same for both. Every attempt counts as a failure when it starts (so
-- parallel guesses are all counted) and a success deletes the row.
CREATE TABLE sign_in_failures (
    account_key   TEXT    NOT NULL,
    login_name    TEXT    NOT NULL,
    failures      INTEGER  NOT NULL,
    -- Unix seconds before which the next attempt is refused; 0 when free.
    locked_until  INTEGER  NOT NULL,
    updated_at    INTEGER  NOT NULL,
    PRIMARY KEY (account_key, login_name)
);
CREATE INDEX sign_in_failures_updated_at_idx ON sign_in_failures (updated_at);

-- Sign-in requests per client address in fixed one-minute windows. In the
-- database rather than in memory so that several instances share the limit.
CREATE TABLE sign_in_rate (
    client_ip     TEXT    NOT NULL PRIMARY KEY,
    window_start  INTEGER  NOT NULL,
    attempts      INTEGER  NOT NULL
);
CREATE INDEX sign_in_rate_window_start_idx ON sign_in_rate (window_start);
