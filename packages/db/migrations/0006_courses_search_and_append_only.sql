-- Catalog search: Vietnamese without diacritics ("ky nang so" finds "kỹ năng số") needs unaccent, and partial
-- words need trigrams. Both ship with PostgreSQL (contrib) and with PGlite (passed in by the client).
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
-- unaccent() is only STABLE (its dictionary could change), so it cannot appear in an index. Naming the
-- dictionary explicitly makes the result depend on the arguments alone, which is what IMMUTABLE promises.
CREATE OR REPLACE FUNCTION hts_fold(value text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, value)) $$;
--> statement-breakpoint
CREATE INDEX courses_search_fts ON courses USING gin (to_tsvector('simple', hts_fold(search_text)));
--> statement-breakpoint
CREATE INDEX courses_search_trgm ON courses USING gin (hts_fold(search_text) gin_trgm_ops);
--> statement-breakpoint
-- Published versions and course completions are evidence: rows are only ever added (the shared
-- reject_append_only_change() comes from the evidence-chain migration).
CREATE TRIGGER course_versions_immutable BEFORE UPDATE OR DELETE ON course_versions FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();
--> statement-breakpoint
CREATE TRIGGER course_completions_append_only BEFORE UPDATE OR DELETE ON course_completions FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();
