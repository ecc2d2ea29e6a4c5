ALTER TABLE "courses" ADD COLUMN "search_folded" text GENERATED ALWAYS AS (hts_fold(search_text)) STORED NOT NULL;--> statement-breakpoint
ALTER TABLE "courses" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('simple', hts_fold(search_text))) STORED NOT NULL;--> statement-breakpoint
CREATE INDEX "courses_search_vector_gin" ON "courses" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "courses_search_folded_trgm" ON "courses" USING gin ("search_folded" gin_trgm_ops);--> statement-breakpoint
-- The stored columns above carry their own indexes; the expression indexes of 0006 are no longer read.
DROP INDEX IF EXISTS "courses_search_fts";
--> statement-breakpoint
DROP INDEX IF EXISTS "courses_search_trgm";
