CREATE TABLE "assessment_attestations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assessment_id" uuid NOT NULL,
	"criterion_id" text NOT NULL,
	"attested_by" uuid,
	"comment" text,
	"attested_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "collective_title_awards" DROP CONSTRAINT "collective_title_awards_awarded_by_users_id_fk";
--> statement-breakpoint
ALTER TABLE "person_title_awards" ADD COLUMN "revocation_decision_number" text;--> statement-breakpoint
ALTER TABLE "person_title_awards" ADD COLUMN "revocation_decision_date" date;--> statement-breakpoint
ALTER TABLE "collective_title_awards" ADD COLUMN "revoked_by" uuid;--> statement-breakpoint
ALTER TABLE "collective_title_awards" ADD COLUMN "revocation_decision_number" text;--> statement-breakpoint
ALTER TABLE "collective_title_awards" ADD COLUMN "revocation_decision_date" date;--> statement-breakpoint
ALTER TABLE "assessment_attestations" ADD CONSTRAINT "assessment_attestations_assessment_id_self_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."self_assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_attestations" ADD CONSTRAINT "assessment_attestations_attested_by_users_id_fk" FOREIGN KEY ("attested_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_attestations_criterion_key" ON "assessment_attestations" USING btree ("assessment_id","criterion_id");--> statement-breakpoint
ALTER TABLE "collective_title_awards" ADD CONSTRAINT "collective_title_awards_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collective_title_awards" ADD CONSTRAINT "collective_title_awards_awarded_by_users_id_fk" FOREIGN KEY ("awarded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
-- Awards stay revoke-only with the new revocation decision columns, and collective title awards get the same
-- guard as person titles: never deleted, and once written only their revocation may be recorded.
CREATE OR REPLACE FUNCTION reject_award_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '% rows are never deleted (revoke instead)', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.revoked_at IS NOT NULL THEN
    RAISE EXCEPTION '% row % is already revoked', TG_TABLE_NAME, OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (to_jsonb(NEW) - 'revoked_at' - 'revocation_reason' - 'revoked_reason' - 'revoked_by' - 'revocation_decision_number' - 'revocation_decision_date')
     <> (to_jsonb(OLD) - 'revoked_at' - 'revocation_reason' - 'revoked_reason' - 'revoked_by' - 'revocation_decision_number' - 'revocation_decision_date') THEN
    RAISE EXCEPTION 'only the revocation of a % row may be recorded', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER collective_title_awards_revoke_only BEFORE UPDATE OR DELETE ON collective_title_awards FOR EACH ROW EXECUTE FUNCTION reject_award_change();
