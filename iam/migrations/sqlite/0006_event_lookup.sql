-- sqlite
-- Event history lookups (issue 6): one index per lookup attribute, each
-- ending in (event_time, event_id) so a lookup reads its page newest first
-- straight from the index, and a side table of the resources each event
-- names, so "Resource type" and "Resource name" lookups do not parse JSON.
-- Keep it in step with ../postgres/0006_event_lookup.sql.

CREATE TABLE event_resources (
    event_id       TEXT    NOT NULL REFERENCES events (event_id) ON DELETE CASCADE,
    event_time     INTEGER NOT NULL,
    resource_type  TEXT    NOT NULL,
    resource_name  TEXT    NOT NULL
);
CREATE INDEX event_resources_name_idx ON event_resources (resource_name, event_time, event_id);
CREATE INDEX event_resources_type_idx ON event_resources (resource_type, event_time, event_id);
CREATE INDEX event_resources_event_idx ON event_resources (event_id);

CREATE INDEX events_time_id_idx ON events (event_time, event_id);
CREATE INDEX events_read_only_idx ON events (read_only, event_time, event_id);
CREATE INDEX events_event_name_idx ON events (event_name, event_time, event_id);
CREATE INDEX events_user_name_idx ON events (user_name, event_time, event_id);
CREATE INDEX events_event_source_idx ON events (event_source, event_time, event_id);
CREATE INDEX events_access_key_id_idx ON events (access_key_id, event_time, event_id);

-- Events written before this migration: their resources are JSON arrays of
-- {"ARN": "arn:aws:iam::<12 digits>:<type>/<path><name>"}. The resource part
-- starts at character 27; the name follows the last `/` (rtrim by every
-- character that is not `/` leaves the part up to it).
INSERT INTO event_resources (event_id, event_time, resource_type, resource_name)
SELECT event_id, event_time,
       CASE substr(res, 1, instr(res, '/') - 1)
           WHEN 'user' THEN 'AWS::IAM::User'
           WHEN 'group' THEN 'AWS::IAM::Group'
           WHEN 'policy' THEN 'AWS::IAM::Policy'
           ELSE 'AWS::IAM::' || substr(res, 1, instr(res, '/') - 1)
       END,
       substr(res, length(rtrim(res, replace(res, '/', ''))) + 1)
FROM (
    SELECT e.event_id, e.event_time, substr(json_extract(j.value, '$.ARN'), 27) AS res
    FROM events e, json_each(e.resources) j
    WHERE e.resources IS NOT NULL AND json_extract(j.value, '$.ARN') LIKE 'arn:aws:iam::%:%/%'
);
