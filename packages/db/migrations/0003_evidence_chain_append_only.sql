-- The evidence chain is only ever appended to: reject UPDATE, DELETE and TRUNCATE at the database, as for
-- the audit log. `evidence verify` still detects an edit made by someone who disables this trigger.
-- One function for any append-only table: it names the table from the trigger.
CREATE FUNCTION reject_append_only_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only (% rejected)', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER evidence_chain_no_update BEFORE UPDATE OR DELETE ON evidence_chain FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();
--> statement-breakpoint
CREATE TRIGGER evidence_chain_no_truncate BEFORE TRUNCATE ON evidence_chain FOR EACH STATEMENT EXECUTE FUNCTION reject_append_only_change();
--> statement-breakpoint
-- The daily anchor: the hash of the last entry of each UTC day. Publishing it lets an outside party hold
-- the platform to everything written up to that day (it commits to the whole chain before it).
CREATE VIEW evidence_daily_anchors AS
  SELECT DISTINCT ON (day) day, seq AS last_seq, entry_hash
  FROM (SELECT (created_at AT TIME ZONE 'UTC')::date AS day, seq, entry_hash FROM evidence_chain) AS entries
  ORDER BY day, seq DESC;
