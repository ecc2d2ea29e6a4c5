ALTER TABLE "external_launches" ALTER COLUMN "enrolment_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "external_launches" ADD COLUMN "course_id" uuid;--> statement-breakpoint
ALTER TABLE "external_launches" ADD COLUMN "launch_mode" text DEFAULT 'Normal' NOT NULL;--> statement-breakpoint
ALTER TABLE "external_launches" ADD COLUMN "preview" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "external_launches" ADD COLUMN "last_statement_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "external_launches" ADD COLUMN "ended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "external_launches" ADD COLUMN "ended_as" text;--> statement-breakpoint
ALTER TABLE "external_launches" ADD CONSTRAINT "external_launches_course_id_courses_id_fk" FOREIGN KEY ("course_id") REFERENCES "public"."courses"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "external_launches_open_fetch_by_index" ON "external_launches" USING btree ("fetch_by") WHERE "external_launches"."ended_at" is null and "external_launches"."fetched_at" is null;--> statement-breakpoint
CREATE INDEX "external_launches_open_expires_at_index" ON "external_launches" USING btree ("expires_at") WHERE "external_launches"."ended_at" is null and "external_launches"."fetched_at" is not null;--> statement-breakpoint
CREATE INDEX "external_launches_ended_at_index" ON "external_launches" USING btree ("ended_at");--> statement-breakpoint
ALTER TABLE "external_launches" ADD CONSTRAINT "external_launches_ended_as" CHECK (("external_launches"."ended_at" is null) = ("external_launches"."ended_as" is null));--> statement-breakpoint
ALTER TABLE "external_launches" ADD CONSTRAINT "external_launches_registration" CHECK ("external_launches"."enrolment_id" is not null or "external_launches"."preview");--> statement-breakpoint
-- launches made before sessions were tracked: name their course, and close those already past their lifetime
-- without writing statements for them (no "launched" statement was ever written for them either)
UPDATE "external_launches" l SET "course_id" = e."course_id" FROM "enrolments" e WHERE e."id" = l."enrolment_id";--> statement-breakpoint
UPDATE "external_launches" SET "ended_at" = coalesce("expires_at", "fetch_by"), "ended_as" = 'abandoned' WHERE coalesce("expires_at", "fetch_by") < now();
