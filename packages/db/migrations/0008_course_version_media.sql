CREATE TABLE "course_version_media" (
	"asset_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	CONSTRAINT "course_version_media_asset_id_version_id_pk" PRIMARY KEY("asset_id","version_id")
);
--> statement-breakpoint
ALTER TABLE "course_version_media" ADD CONSTRAINT "course_version_media_asset_id_media_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "public"."media_assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "course_version_media" ADD CONSTRAINT "course_version_media_version_id_course_versions_id_fk" FOREIGN KEY ("version_id") REFERENCES "public"."course_versions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "course_version_media_version_id_index" ON "course_version_media" USING btree ("version_id");--> statement-breakpoint
-- versions published before this table existed: the assets their video lessons name (ids that exist only)
INSERT INTO "course_version_media" ("asset_id", "version_id")
SELECT DISTINCT m."id", v."id"
FROM "course_versions" v
CROSS JOIN LATERAL jsonb_path_query(v."doc", '$.modules[*].lessons[*].video.mediaAssetId ? (@.type() == "string")') AS ref(value)
JOIN "media_assets" m ON m."id"::text = ref.value #>> '{}'
ON CONFLICT DO NOTHING;--> statement-breakpoint
ALTER TABLE "media_assets" DROP COLUMN "published";