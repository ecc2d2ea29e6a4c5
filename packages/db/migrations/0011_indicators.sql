CREATE TABLE "indicator_definitions" (
	"id" text NOT NULL,
	"version" text NOT NULL,
	"year_from" integer NOT NULL,
	"year_to" integer NOT NULL,
	"definition" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "indicator_definitions_id_version_pk" PRIMARY KEY("id","version"),
	CONSTRAINT "indicator_definitions_years" CHECK ("indicator_definitions"."year_from" <= "indicator_definitions"."year_to")
);
--> statement-breakpoint
CREATE TABLE "indicator_dirty_communes" (
	"commune_id" uuid PRIMARY KEY NOT NULL,
	"marked_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "indicator_official_counts" (
	"count_key" text NOT NULL,
	"year" integer NOT NULL,
	"commune_id" uuid NOT NULL,
	"target_group_id" uuid,
	"count" integer NOT NULL,
	"imported_by" uuid,
	"imported_at" timestamp with time zone DEFAULT now() NOT NULL,
	"source_ref" text,
	"details" jsonb,
	CONSTRAINT "indicator_official_counts_cell" UNIQUE NULLS NOT DISTINCT("count_key","year","commune_id","target_group_id"),
	CONSTRAINT "indicator_official_counts_count" CHECK ("indicator_official_counts"."count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "indicator_rollups" (
	"indicator_id" text NOT NULL,
	"version" text NOT NULL,
	"year" integer NOT NULL,
	"commune_id" uuid NOT NULL,
	"target_group_id" uuid,
	"numerator" integer NOT NULL,
	"denominator" integer NOT NULL,
	"numerator_by_month" integer[] NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "indicator_rollups_cell" UNIQUE NULLS NOT DISTINCT("indicator_id","year","commune_id","target_group_id"),
	CONSTRAINT "indicator_rollups_counts" CHECK ("indicator_rollups"."numerator" >= 0 and "indicator_rollups"."denominator" >= 0)
);
--> statement-breakpoint
ALTER TABLE "indicator_dirty_communes" ADD CONSTRAINT "indicator_dirty_communes_commune_id_geo_units_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."geo_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_official_counts" ADD CONSTRAINT "indicator_official_counts_commune_id_geo_units_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."geo_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_official_counts" ADD CONSTRAINT "indicator_official_counts_target_group_id_target_groups_id_fk" FOREIGN KEY ("target_group_id") REFERENCES "public"."target_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_official_counts" ADD CONSTRAINT "indicator_official_counts_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_rollups" ADD CONSTRAINT "indicator_rollups_commune_id_geo_units_id_fk" FOREIGN KEY ("commune_id") REFERENCES "public"."geo_units"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "indicator_rollups" ADD CONSTRAINT "indicator_rollups_target_group_id_target_groups_id_fk" FOREIGN KEY ("target_group_id") REFERENCES "public"."target_groups"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "indicator_rollups_year_commune_id_index" ON "indicator_rollups" USING btree ("year","commune_id");