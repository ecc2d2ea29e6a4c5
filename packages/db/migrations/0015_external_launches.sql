CREATE TABLE "external_launches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"enrolment_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"lesson_id" text NOT NULL,
	"activity_id" text NOT NULL,
	"fetch_code_hash" text NOT NULL,
	"fetch_by" timestamp with time zone NOT NULL,
	"fetched_at" timestamp with time zone,
	"token_hash" text,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "external_launches" ADD CONSTRAINT "external_launches_enrolment_id_enrolments_id_fk" FOREIGN KEY ("enrolment_id") REFERENCES "public"."enrolments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "external_launches" ADD CONSTRAINT "external_launches_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "external_launches_enrolment_id_lesson_id_index" ON "external_launches" USING btree ("enrolment_id","lesson_id");