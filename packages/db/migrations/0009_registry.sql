CREATE TYPE "public"."collective_kind" AS ENUM('household', 'clan', 'community', 'unit');--> statement-breakpoint
CREATE TYPE "public"."khuyen_hoc_role" AS ENUM('cadre', 'member');--> statement-breakpoint
CREATE TYPE "public"."learning_unit_kind" AS ENUM('agency', 'enterprise', 'school', 'armed_forces');--> statement-breakpoint
CREATE TYPE "public"."membership_role" AS ENUM('head', 'member');--> statement-breakpoint
CREATE TYPE "public"."registry_import_kind" AS ENUM('people', 'households', 'clans', 'units', 'khuyen_hoc');--> statement-breakpoint
CREATE TYPE "public"."registry_import_status" AS ENUM('checked', 'applied');--> statement-breakpoint
CREATE TYPE "public"."registry_sex" AS ENUM('male', 'female');--> statement-breakpoint
CREATE TYPE "public"."registry_source" AS ENUM('import', 'officer', 'registration');--> statement-breakpoint
CREATE TABLE "collective_title_awards" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"subject_kind" "collective_kind" NOT NULL,
	"household_id" uuid,
	"clan_id" uuid,
	"community_id" uuid,
	"unit_id" uuid,
	"commune_id" uuid NOT NULL,
	"year" integer NOT NULL,
	"title" text NOT NULL,
	"rule_version" text NOT NULL,
	"decision_number" text NOT NULL,
	"decision_date" date NOT NULL,
	"evaluation" jsonb,
	"awarded_by" uuid,
	"revoked_at" timestamp with time zone,
	"revoked_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "collective_title_awards_one_subject" CHECK (("collective_title_awards"."subject_kind" = 'household' and "collective_title_awards"."household_id" is not null and "collective_title_awards"."clan_id" is null and "collective_title_awards"."community_id" is null and "collective_title_awards"."unit_id" is null)
        or ("collective_title_awards"."subject_kind" = 'clan' and "collective_title_awards"."clan_id" is not null and "collective_title_awards"."household_id" is null and "collective_title_awards"."community_id" is null and "collective_title_awards"."unit_id" is null)
        or ("collective_title_awards"."subject_kind" = 'community' and "collective_title_awards"."community_id" is not null and "collective_title_awards"."household_id" is null and "collective_title_awards"."clan_id" is null and "collective_title_awards"."unit_id" is null)
        or ("collective_title_awards"."subject_kind" = 'unit' and "collective_title_awards"."unit_id" is not null and "collective_title_awards"."household_id" is null and "collective_title_awards"."clan_id" is null and "collective_title_awards"."community_id" is null))
);
--> statement-breakpoint
CREATE TABLE "khuyen_hoc_branches" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"commune_id" uuid NOT NULL,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "khuyen_hoc_members" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"branch_id" uuid NOT NULL,
	"commune_id" uuid NOT NULL,
	"role" "khuyen_hoc_role" DEFAULT 'member' NOT NULL,
	"joined_year" integer,
	"trained_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "khuyen_hoc_members_joined_year" CHECK ("khuyen_hoc_members"."joined_year" is null or "khuyen_hoc_members"."joined_year" between 1996 and 2100)
);
--> statement-breakpoint
CREATE TABLE "registry_clans" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"commune_id" uuid NOT NULL,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"head_person_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry_communities" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"commune_id" uuid NOT NULL,
	"geo_unit_id" uuid NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry_households" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"commune_id" uuid NOT NULL,
	"village_id" uuid,
	"code" text,
	"name" text NOT NULL,
	"address" text,
	"head_person_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "registry_imports" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "registry_import_kind" NOT NULL,
	"officer_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"file_sha256" text NOT NULL,
	"file_key" text,
	"status" "registry_import_status" DEFAULT 'checked' NOT NULL,
	"rows" integer NOT NULL,
	"error_count" integer NOT NULL,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "registry_memberships" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"person_id" uuid NOT NULL,
	"kind" "collective_kind" NOT NULL,
	"household_id" uuid,
	"clan_id" uuid,
	"community_id" uuid,
	"unit_id" uuid,
	"role" "membership_role" DEFAULT 'member' NOT NULL,
	"valid_from" date,
	"valid_to" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "registry_memberships_one_subject" CHECK (("registry_memberships"."kind" = 'household' and "registry_memberships"."household_id" is not null and "registry_memberships"."clan_id" is null and "registry_memberships"."community_id" is null and "registry_memberships"."unit_id" is null)
        or ("registry_memberships"."kind" = 'clan' and "registry_memberships"."clan_id" is not null and "registry_memberships"."household_id" is null and "registry_memberships"."community_id" is null and "registry_memberships"."unit_id" is null)
        or ("registry_memberships"."kind" = 'community' and "registry_memberships"."community_id" is not null and "registry_memberships"."household_id" is null and "registry_memberships"."clan_id" is null and "registry_memberships"."unit_id" is null)
        or ("registry_memberships"."kind" = 'unit' and "registry_memberships"."unit_id" is not null and "registry_memberships"."household_id" is null and "registry_memberships"."clan_id" is null and "registry_memberships"."community_id" is null)),
	CONSTRAINT "registry_memberships_valid_range" CHECK ("registry_memberships"."valid_to" is null or "registry_memberships"."valid_from" is null or "registry_memberships"."valid_to" >= "registry_memberships"."valid_from")
);
--> statement-breakpoint
CREATE TABLE "registry_people" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"full_name" text NOT NULL,
	"name_key" text NOT NULL,
	"birth_year" integer,
	"sex" "registry_sex",
	"id_number_hash" text,
	"id_number_cipher" text,
	"id_number_last4" text,
	"phone" text,
	"commune_id" uuid NOT NULL,
	"village_id" uuid,
	"target_group_id" uuid,
	"user_id" uuid,
	"user_link_rule" text,
	"user_linked_at" timestamp with time zone,
	"match_key" text NOT NULL,
	"source" "registry_source" DEFAULT 'import' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "registry_people_birth_year" CHECK ("registry_people"."birth_year" is null or "registry_people"."birth_year" between 1900 and 2100),
	CONSTRAINT "registry_people_last4" CHECK ("registry_people"."id_number_last4" is null or "registry_people"."id_number_last4" ~ '^[0-9]{4}$')
);
--> statement-breakpoint
CREATE TABLE "registry_units" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"kind" "learning_unit_kind" NOT NULL,
	"commune_id" uuid NOT NULL,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"code" text,
	"head_person_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "collective_title_awards" ADD CONSTRAINT "collective_title_awards_household_id_registry_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."registry_households"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collective_title_awards" ADD CONSTRAINT "collective_title_awards_clan_id_registry_clans_id_fk" FOREIGN KEY ("clan_id") REFERENCES "public"."registry_clans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collective_title_awards" ADD CONSTRAINT "collective_title_awards_community_id_registry_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."registry_communities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collective_title_awards" ADD CONSTRAINT "collective_title_awards_unit_id_registry_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."registry_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collective_title_awards" ADD CONSTRAINT "collective_title_awards_commune_id_geo_units_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."geo_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collective_title_awards" ADD CONSTRAINT "collective_title_awards_awarded_by_users_id_fk" FOREIGN KEY ("awarded_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "khuyen_hoc_branches" ADD CONSTRAINT "khuyen_hoc_branches_commune_id_geo_units_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."geo_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "khuyen_hoc_members" ADD CONSTRAINT "khuyen_hoc_members_person_id_registry_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."registry_people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "khuyen_hoc_members" ADD CONSTRAINT "khuyen_hoc_members_branch_id_khuyen_hoc_branches_id_fk" FOREIGN KEY ("branch_id") REFERENCES "public"."khuyen_hoc_branches"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "khuyen_hoc_members" ADD CONSTRAINT "khuyen_hoc_members_commune_id_geo_units_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."geo_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_clans" ADD CONSTRAINT "registry_clans_commune_id_geo_units_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."geo_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_clans" ADD CONSTRAINT "registry_clans_head_person_id_registry_people_id_fk" FOREIGN KEY ("head_person_id") REFERENCES "public"."registry_people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_communities" ADD CONSTRAINT "registry_communities_commune_id_geo_units_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."geo_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_communities" ADD CONSTRAINT "registry_communities_geo_unit_id_geo_units_id_fk" FOREIGN KEY ("geo_unit_id") REFERENCES "public"."geo_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_households" ADD CONSTRAINT "registry_households_commune_id_geo_units_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."geo_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_households" ADD CONSTRAINT "registry_households_village_id_geo_units_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."geo_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_households" ADD CONSTRAINT "registry_households_head_person_id_registry_people_id_fk" FOREIGN KEY ("head_person_id") REFERENCES "public"."registry_people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_imports" ADD CONSTRAINT "registry_imports_officer_id_users_id_fk" FOREIGN KEY ("officer_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_memberships" ADD CONSTRAINT "registry_memberships_person_id_registry_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."registry_people"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_memberships" ADD CONSTRAINT "registry_memberships_household_id_registry_households_id_fk" FOREIGN KEY ("household_id") REFERENCES "public"."registry_households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_memberships" ADD CONSTRAINT "registry_memberships_clan_id_registry_clans_id_fk" FOREIGN KEY ("clan_id") REFERENCES "public"."registry_clans"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_memberships" ADD CONSTRAINT "registry_memberships_community_id_registry_communities_id_fk" FOREIGN KEY ("community_id") REFERENCES "public"."registry_communities"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_memberships" ADD CONSTRAINT "registry_memberships_unit_id_registry_units_id_fk" FOREIGN KEY ("unit_id") REFERENCES "public"."registry_units"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_people" ADD CONSTRAINT "registry_people_commune_id_geo_units_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."geo_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_people" ADD CONSTRAINT "registry_people_village_id_geo_units_id_fk" FOREIGN KEY ("village_id") REFERENCES "public"."geo_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_people" ADD CONSTRAINT "registry_people_target_group_id_target_groups_id_fk" FOREIGN KEY ("target_group_id") REFERENCES "public"."target_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_people" ADD CONSTRAINT "registry_people_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_units" ADD CONSTRAINT "registry_units_commune_id_geo_units_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."geo_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "registry_units" ADD CONSTRAINT "registry_units_head_person_id_registry_people_id_fk" FOREIGN KEY ("head_person_id") REFERENCES "public"."registry_people"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "collective_awards_household_current" ON "collective_title_awards" USING btree ("household_id","title","year") WHERE "collective_title_awards"."household_id" is not null and "collective_title_awards"."revoked_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "collective_awards_clan_current" ON "collective_title_awards" USING btree ("clan_id","title","year") WHERE "collective_title_awards"."clan_id" is not null and "collective_title_awards"."revoked_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "collective_awards_community_current" ON "collective_title_awards" USING btree ("community_id","title","year") WHERE "collective_title_awards"."community_id" is not null and "collective_title_awards"."revoked_at" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "collective_awards_unit_current" ON "collective_title_awards" USING btree ("unit_id","title","year") WHERE "collective_title_awards"."unit_id" is not null and "collective_title_awards"."revoked_at" is null;--> statement-breakpoint
CREATE INDEX "collective_title_awards_commune_id_year_subject_kind_index" ON "collective_title_awards" USING btree ("commune_id","year","subject_kind");--> statement-breakpoint
CREATE UNIQUE INDEX "khuyen_hoc_branches_name_key" ON "khuyen_hoc_branches" USING btree ("commune_id","name_key");--> statement-breakpoint
CREATE UNIQUE INDEX "khuyen_hoc_members_person_key" ON "khuyen_hoc_members" USING btree ("person_id");--> statement-breakpoint
CREATE INDEX "khuyen_hoc_members_branch_id_index" ON "khuyen_hoc_members" USING btree ("branch_id");--> statement-breakpoint
CREATE INDEX "khuyen_hoc_members_commune_id_index" ON "khuyen_hoc_members" USING btree ("commune_id");--> statement-breakpoint
CREATE UNIQUE INDEX "registry_clans_name_key" ON "registry_clans" USING btree ("commune_id","name_key");--> statement-breakpoint
CREATE UNIQUE INDEX "registry_communities_geo_unit_key" ON "registry_communities" USING btree ("geo_unit_id");--> statement-breakpoint
CREATE INDEX "registry_communities_commune_id_index" ON "registry_communities" USING btree ("commune_id");--> statement-breakpoint
CREATE UNIQUE INDEX "registry_households_code_key" ON "registry_households" USING btree ("commune_id","code") WHERE "registry_households"."code" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "registry_households_head_key" ON "registry_households" USING btree ("head_person_id") WHERE "registry_households"."head_person_id" is not null;--> statement-breakpoint
CREATE INDEX "registry_households_commune_id_index" ON "registry_households" USING btree ("commune_id");--> statement-breakpoint
CREATE INDEX "registry_imports_officer_id_created_at_index" ON "registry_imports" USING btree ("officer_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "registry_memberships_household_current" ON "registry_memberships" USING btree ("household_id","person_id") WHERE "registry_memberships"."household_id" is not null and "registry_memberships"."valid_to" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "registry_memberships_clan_current" ON "registry_memberships" USING btree ("clan_id","person_id") WHERE "registry_memberships"."clan_id" is not null and "registry_memberships"."valid_to" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "registry_memberships_community_current" ON "registry_memberships" USING btree ("community_id","person_id") WHERE "registry_memberships"."community_id" is not null and "registry_memberships"."valid_to" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "registry_memberships_unit_current" ON "registry_memberships" USING btree ("unit_id","person_id") WHERE "registry_memberships"."unit_id" is not null and "registry_memberships"."valid_to" is null;--> statement-breakpoint
CREATE INDEX "registry_memberships_person_id_index" ON "registry_memberships" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "registry_people_match_key" ON "registry_people" USING btree ("match_key");--> statement-breakpoint
CREATE UNIQUE INDEX "registry_people_id_number_key" ON "registry_people" USING btree ("id_number_hash") WHERE "registry_people"."id_number_hash" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "registry_people_user_key" ON "registry_people" USING btree ("user_id") WHERE "registry_people"."user_id" is not null;--> statement-breakpoint
CREATE INDEX "registry_people_commune_id_target_group_id_index" ON "registry_people" USING btree ("commune_id","target_group_id");--> statement-breakpoint
CREATE INDEX "registry_people_village_id_index" ON "registry_people" USING btree ("village_id");--> statement-breakpoint
CREATE INDEX "registry_people_phone_index" ON "registry_people" USING btree ("phone");--> statement-breakpoint
CREATE UNIQUE INDEX "registry_units_code_key" ON "registry_units" USING btree ("code") WHERE "registry_units"."code" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "registry_units_name_key" ON "registry_units" USING btree ("commune_id","name_key");