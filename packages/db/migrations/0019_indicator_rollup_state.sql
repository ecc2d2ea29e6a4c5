CREATE TABLE "indicator_rollup_state" (
	"id" smallint PRIMARY KEY DEFAULT 1 NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "indicator_rollup_state_one_row" CHECK ("indicator_rollup_state"."id" = 1)
);
--> statement-breakpoint
INSERT INTO "indicator_rollup_state" ("id", "version") VALUES (1, 0);
