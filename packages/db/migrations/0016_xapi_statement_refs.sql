ALTER TABLE "xapi_statements" ADD COLUMN "ref_id" uuid;--> statement-breakpoint
ALTER TABLE "xapi_statements" ADD COLUMN "ref_chain" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "xapi_statements_ref_stored_index" ON "xapi_statements" USING btree ("stored","id") WHERE "xapi_statements"."ref_id" is not null;--> statement-breakpoint
CREATE INDEX "xapi_statements_ref_id_index" ON "xapi_statements" USING btree ("ref_id") WHERE "xapi_statements"."ref_id" is not null;--> statement-breakpoint
CREATE INDEX "xapi_statements_ref_chain_stored_index" ON "xapi_statements" USING btree ("stored","id") WHERE "xapi_statements"."ref_chain";--> statement-breakpoint
-- Backfill: statements stored before this migration get their StatementRef target and chain flag.
UPDATE "xapi_statements" SET "ref_id" = ("statement"->'object'->>'id')::uuid WHERE "statement"->'object'->>'objectType' = 'StatementRef';--> statement-breakpoint
UPDATE "xapi_statements" s SET "ref_chain" = true
WHERE s."ref_id" IS NOT NULL AND EXISTS (SELECT 1 FROM "xapi_statements" t WHERE t."id" = s."ref_id" AND t."ref_id" IS NOT NULL);
