-- postgres
-- Policy document drafts between the steps of Create policy, Edit policy and Generate policy
-- (issue 15): the document used to travel in the URL, where a large one got 414 and every one
-- landed in history, logs and Referer headers. In the database rather than in memory so that
-- any instance serves the next step. Keep it in step with ../sqlite/0010_policy_drafts.sql.

-- `id` is 128 random bits in hex, which the next step's URL carries; only the session that
-- saved a draft can read it, and the draft goes with that session. Each session keeps its 20
-- newest drafts, and none is kept longer than a day.
CREATE TABLE policy_drafts (
    id               TEXT    NOT NULL PRIMARY KEY,
    session_id_hash  TEXT    NOT NULL REFERENCES sessions (id_hash) ON DELETE CASCADE,
    document         TEXT    NOT NULL,
    created_at       BIGINT  NOT NULL
);
CREATE INDEX policy_drafts_session_idx ON policy_drafts (session_id_hash, created_at);
CREATE INDEX policy_drafts_created_at_idx ON policy_drafts (created_at);
