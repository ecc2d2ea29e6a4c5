ALTER TABLE "indicator_dirty_communes" ADD COLUMN "inputs" text[];--> statement-breakpoint
ALTER TABLE "indicator_dirty_communes" ADD COLUMN "from_year" integer;