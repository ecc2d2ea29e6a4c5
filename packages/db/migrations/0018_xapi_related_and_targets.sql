CREATE TABLE "xapi_statement_related" (
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"stored" timestamp (3) with time zone NOT NULL,
	"statement_id" uuid NOT NULL,
	CONSTRAINT "xapi_statement_related_kind_key_stored_statement_id_pk" PRIMARY KEY("kind","key","stored","statement_id")
);
--> statement-breakpoint
DROP INDEX "xapi_statements_related_agents_gin";--> statement-breakpoint
DROP INDEX "xapi_statements_related_activities_gin";--> statement-breakpoint
ALTER TABLE "xapi_statements" ADD COLUMN "targeted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "xapi_statements_targeted_actor_index" ON "xapi_statements" USING btree ("actor_ifi") WHERE "xapi_statements"."targeted";--> statement-breakpoint
CREATE INDEX "xapi_statements_targeted_object_agent_index" ON "xapi_statements" USING btree ("object_agent_ifi") WHERE "xapi_statements"."targeted";--> statement-breakpoint
CREATE INDEX "xapi_statements_targeted_verb_index" ON "xapi_statements" USING btree ("verb_id") WHERE "xapi_statements"."targeted";--> statement-breakpoint
CREATE INDEX "xapi_statements_targeted_activity_index" ON "xapi_statements" USING btree ("activity_id") WHERE "xapi_statements"."targeted";--> statement-breakpoint
CREATE INDEX "xapi_statements_targeted_registration_index" ON "xapi_statements" USING btree ("registration") WHERE "xapi_statements"."targeted";--> statement-breakpoint
CREATE INDEX "xapi_statements_targeted_related_agents_gin" ON "xapi_statements" USING gin ("related_agents") WHERE "xapi_statements"."targeted";--> statement-breakpoint
CREATE INDEX "xapi_statements_targeted_related_activities_gin" ON "xapi_statements" USING gin ("related_activities") WHERE "xapi_statements"."targeted";--> statement-breakpoint
-- Backfill: statements stored before this migration get their related rows and their targeted flag.
INSERT INTO "xapi_statement_related" ("kind", "key", "stored", "statement_id")
SELECT 'agent', k, s."stored", s."id" FROM "xapi_statements" s, unnest(s."related_agents") AS k
UNION
SELECT 'activity', k, s."stored", s."id" FROM "xapi_statements" s, unnest(s."related_activities") AS k;--> statement-breakpoint
UPDATE "xapi_statements" t SET "targeted" = true
WHERE EXISTS (SELECT 1 FROM "xapi_statements" s WHERE s."ref_id" = t."id");
