CREATE TYPE "public"."criteria_set_kind" AS ENUM('criteria_set', 'digital_skill_rule');--> statement-breakpoint
CREATE TYPE "public"."criteria_set_status" AS ENUM('active', 'superseded');--> statement-breakpoint
CREATE TYPE "public"."digital_skill_source" AS ENUM('automatic', 'import', 'officer');--> statement-breakpoint
CREATE TYPE "public"."review_action" AS ENUM('submit', 'confirm', 'return', 'approve');--> statement-breakpoint
CREATE TYPE "public"."self_assessment_status" AS ENUM('draft', 'submitted', 'returned', 'confirmed', 'approved');--> statement-breakpoint
CREATE TABLE "assessment_attachments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"owner_id" uuid NOT NULL,
	"object_key" text NOT NULL,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "assessment_attachments_objectKey_unique" UNIQUE("object_key")
);
--> statement-breakpoint
CREATE TABLE "assessment_review_steps" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"assessment_id" uuid NOT NULL,
	"actor_id" uuid,
	"action" "review_action" NOT NULL,
	"comment" text,
	"decision_number" text,
	"decision_date" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "criteria_set_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"code" text NOT NULL,
	"version" text NOT NULL,
	"kind" "criteria_set_kind" NOT NULL,
	"target_group_id" uuid,
	"year_from" integer NOT NULL,
	"year_to" integer NOT NULL,
	"status" "criteria_set_status" DEFAULT 'active' NOT NULL,
	"superseded_by" text,
	"superseded_at" timestamp with time zone,
	"content_hash" text NOT NULL,
	"definition" jsonb NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "criteria_set_versions_years_check" CHECK ("criteria_set_versions"."year_from" <= "criteria_set_versions"."year_to")
);
--> statement-breakpoint
CREATE TABLE "digital_skill_confirmations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"rule_version_id" text NOT NULL,
	"source" "digital_skill_source" NOT NULL,
	"source_ref" text,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"commune_id" uuid,
	"target_group_id" uuid,
	"confirmed_by" uuid,
	"confirmed_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revocation_reason" text
);
--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"read_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "person_title_awards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"title" text DEFAULT 'cong-dan-hoc-tap' NOT NULL,
	"classification" text NOT NULL,
	"score" integer NOT NULL,
	"assessment_id" uuid,
	"criteria_set_version_id" text NOT NULL,
	"commune_id" uuid NOT NULL,
	"target_group_id" uuid,
	"decision_number" text NOT NULL,
	"decision_date" date NOT NULL,
	"approved_by" uuid,
	"awarded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"revocation_reason" text,
	"revoked_by" uuid
);
--> statement-breakpoint
CREATE TABLE "self_assessment_items" (
	"assessment_id" uuid NOT NULL,
	"criterion_id" text NOT NULL,
	"basis" text NOT NULL,
	"points" integer NOT NULL,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"attachment_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"comment" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "self_assessment_items_assessment_id_criterion_id_pk" PRIMARY KEY("assessment_id","criterion_id"),
	CONSTRAINT "self_assessment_items_basis_check" CHECK ("self_assessment_items"."basis" in ('declared', 'evidence')),
	CONSTRAINT "self_assessment_items_points_check" CHECK ("self_assessment_items"."points" >= 0)
);
--> statement-breakpoint
CREATE TABLE "self_assessments" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"criteria_set_version_id" text NOT NULL,
	"commune_id" uuid,
	"target_group_id" uuid,
	"disadvantaged_area" boolean DEFAULT false NOT NULL,
	"status" "self_assessment_status" DEFAULT 'draft' NOT NULL,
	"score" integer DEFAULT 0 NOT NULL,
	"predicted_pass" boolean DEFAULT false NOT NULL,
	"classification" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"confirmed_at" timestamp with time zone,
	"returned_at" timestamp with time zone,
	"approved_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "assessment_attachments" ADD CONSTRAINT "assessment_attachments_owner_id_users_id_fk" FOREIGN KEY ("owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_review_steps" ADD CONSTRAINT "assessment_review_steps_assessment_id_self_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."self_assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_review_steps" ADD CONSTRAINT "assessment_review_steps_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "criteria_set_versions" ADD CONSTRAINT "criteria_set_versions_target_group_id_target_groups_id_fk" FOREIGN KEY ("target_group_id") REFERENCES "public"."target_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "criteria_set_versions" ADD CONSTRAINT "criteria_set_versions_superseded_by_criteria_set_versions_id_fk" FOREIGN KEY ("superseded_by") REFERENCES "public"."criteria_set_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "digital_skill_confirmations" ADD CONSTRAINT "digital_skill_confirmations_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "digital_skill_confirmations" ADD CONSTRAINT "digital_skill_confirmations_rule_version_id_criteria_set_versions_id_fk" FOREIGN KEY ("rule_version_id") REFERENCES "public"."criteria_set_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "digital_skill_confirmations" ADD CONSTRAINT "digital_skill_confirmations_commune_id_geo_units_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."geo_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "digital_skill_confirmations" ADD CONSTRAINT "digital_skill_confirmations_target_group_id_target_groups_id_fk" FOREIGN KEY ("target_group_id") REFERENCES "public"."target_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "digital_skill_confirmations" ADD CONSTRAINT "digital_skill_confirmations_confirmed_by_users_id_fk" FOREIGN KEY ("confirmed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_title_awards" ADD CONSTRAINT "person_title_awards_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_title_awards" ADD CONSTRAINT "person_title_awards_assessment_id_self_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."self_assessments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_title_awards" ADD CONSTRAINT "person_title_awards_criteria_set_version_id_criteria_set_versions_id_fk" FOREIGN KEY ("criteria_set_version_id") REFERENCES "public"."criteria_set_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_title_awards" ADD CONSTRAINT "person_title_awards_commune_id_geo_units_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."geo_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_title_awards" ADD CONSTRAINT "person_title_awards_target_group_id_target_groups_id_fk" FOREIGN KEY ("target_group_id") REFERENCES "public"."target_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_title_awards" ADD CONSTRAINT "person_title_awards_approved_by_users_id_fk" FOREIGN KEY ("approved_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "person_title_awards" ADD CONSTRAINT "person_title_awards_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_assessment_items" ADD CONSTRAINT "self_assessment_items_assessment_id_self_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."self_assessments"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_assessments" ADD CONSTRAINT "self_assessments_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_assessments" ADD CONSTRAINT "self_assessments_criteria_set_version_id_criteria_set_versions_id_fk" FOREIGN KEY ("criteria_set_version_id") REFERENCES "public"."criteria_set_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_assessments" ADD CONSTRAINT "self_assessments_commune_id_geo_units_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."geo_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "self_assessments" ADD CONSTRAINT "self_assessments_target_group_id_target_groups_id_fk" FOREIGN KEY ("target_group_id") REFERENCES "public"."target_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assessment_attachments_owner_id_index" ON "assessment_attachments" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "assessment_review_steps_assessment_id_created_at_index" ON "assessment_review_steps" USING btree ("assessment_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "criteria_set_versions_code_version_index" ON "criteria_set_versions" USING btree ("code","version");--> statement-breakpoint
CREATE INDEX "criteria_set_versions_kind_target_group_id_status_index" ON "criteria_set_versions" USING btree ("kind","target_group_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "digital_skill_confirmations_live_key" ON "digital_skill_confirmations" USING btree ("user_id") WHERE "digital_skill_confirmations"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "digital_skill_confirmations_commune_id_confirmed_at_target_group_id_index" ON "digital_skill_confirmations" USING btree ("commune_id","confirmed_at","target_group_id");--> statement-breakpoint
CREATE INDEX "notifications_user_id_created_at_index" ON "notifications" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "person_title_awards_live_key" ON "person_title_awards" USING btree ("user_id","year","title") WHERE "person_title_awards"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "person_title_awards_commune_id_year_target_group_id_index" ON "person_title_awards" USING btree ("commune_id","year","target_group_id");--> statement-breakpoint
CREATE INDEX "person_title_awards_user_id_index" ON "person_title_awards" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "self_assessments_user_year_open_key" ON "self_assessments" USING btree ("user_id","year") WHERE "self_assessments"."status" <> 'returned';--> statement-breakpoint
CREATE INDEX "self_assessments_commune_id_status_year_index" ON "self_assessments" USING btree ("commune_id","status","year");--> statement-breakpoint
CREATE INDEX "self_assessments_status_year_index" ON "self_assessments" USING btree ("status","year");--> statement-breakpoint
-- A published criteria version is frozen: only its supersession may be recorded, and it is never deleted, so a
-- decision taken under it can always be re-read as it was.
CREATE FUNCTION reject_criteria_version_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'criteria_set_versions rows are never deleted' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.id <> OLD.id OR NEW.code <> OLD.code OR NEW.version <> OLD.version OR NEW.kind <> OLD.kind
     OR NEW.target_group_id IS DISTINCT FROM OLD.target_group_id OR NEW.year_from <> OLD.year_from
     OR NEW.year_to <> OLD.year_to OR NEW.content_hash <> OLD.content_hash OR NEW.definition <> OLD.definition
     OR NEW.source <> OLD.source OR NEW.created_at <> OLD.created_at THEN
    RAISE EXCEPTION 'criteria version % is frozen: publish a new version instead', OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER criteria_set_versions_frozen BEFORE UPDATE OR DELETE ON criteria_set_versions FOR EACH ROW EXECUTE FUNCTION reject_criteria_version_change();
--> statement-breakpoint
-- Review steps are history: never rewritten (a user's data deletion still removes them with the assessment).
CREATE TRIGGER assessment_review_steps_no_update BEFORE UPDATE ON assessment_review_steps FOR EACH ROW EXECUTE FUNCTION reject_append_only_change();
--> statement-breakpoint
-- Title awards and digital-skill confirmations are never deleted, and once written only their revocation may be
-- recorded.
CREATE FUNCTION reject_award_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION '% rows are never deleted (revoke instead)', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.revoked_at IS NOT NULL THEN
    RAISE EXCEPTION '% row % is already revoked', TG_TABLE_NAME, OLD.id USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF (to_jsonb(NEW) - 'revoked_at' - 'revocation_reason' - 'revoked_by') <> (to_jsonb(OLD) - 'revoked_at' - 'revocation_reason' - 'revoked_by') THEN
    RAISE EXCEPTION 'only the revocation of a % row may be recorded', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER person_title_awards_revoke_only BEFORE UPDATE OR DELETE ON person_title_awards FOR EACH ROW EXECUTE FUNCTION reject_award_change();
--> statement-breakpoint
CREATE TRIGGER digital_skill_confirmations_revoke_only BEFORE UPDATE OR DELETE ON digital_skill_confirmations FOR EACH ROW EXECUTE FUNCTION reject_award_change();
