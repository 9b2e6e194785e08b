-- postgres
-- A per-account counter that every write changing what a principal may do bumps, in that
-- write's transaction (issue 16): membership, attachments, group inline policies, default
-- versions, tags, renames, deletes, console access and access keys. A cache of compiled
-- identities keeps the value it was built at and rebuilds when the stored value differs.
-- A row rather than an append-only log: the row lock orders the bumps with their commits, so a
-- reader that sees value n also sees every write that produced it.
-- Keep it in step with ../sqlite/0011_permissions_version.sql.
ALTER TABLE accounts ADD COLUMN permissions_version BIGINT NOT NULL DEFAULT 0;
