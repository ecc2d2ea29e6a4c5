CREATE TABLE "evidence_chain" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"subject_id" text NOT NULL,
	"payload" jsonb NOT NULL,
	"payload_hash" text NOT NULL,
	"prev_hash" text NOT NULL,
	"entry_hash" text NOT NULL,
	"created_at" timestamp (3) with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "lrs_clients" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"key" text NOT NULL,
	"secret_hash" text NOT NULL,
	"scopes" text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"disabled_at" timestamp with time zone,
	CONSTRAINT "lrs_clients_key_unique" UNIQUE("key")
);
--> statement-breakpoint
CREATE TABLE "xapi_documents" (
	"kind" text NOT NULL,
	"activity_id" text DEFAULT '' NOT NULL,
	"agent_ifi" text DEFAULT '' NOT NULL,
	"registration" text DEFAULT '' NOT NULL,
	"doc_id" text NOT NULL,
	"content" "bytea" NOT NULL,
	"content_type" text NOT NULL,
	"etag" text NOT NULL,
	"updated" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "xapi_documents_kind_activity_id_agent_ifi_registration_doc_id_pk" PRIMARY KEY("kind","activity_id","agent_ifi","registration","doc_id")
);
--> statement-breakpoint
CREATE TABLE "xapi_statements" (
	"id" uuid PRIMARY KEY NOT NULL,
	"statement" jsonb NOT NULL,
	"content_hash" text NOT NULL,
	"stored" timestamp (3) with time zone NOT NULL,
	"timestamp" timestamp (3) with time zone NOT NULL,
	"voided" boolean DEFAULT false NOT NULL,
	"voids_id" uuid,
	"actor_ifi" text,
	"object_agent_ifi" text,
	"verb_id" text NOT NULL,
	"activity_id" text,
	"registration" uuid,
	"related_agents" text[] NOT NULL,
	"related_activities" text[] NOT NULL,
	"authority_key" text NOT NULL
);
--> statement-breakpoint
CREATE INDEX "evidence_chain_created_at_index" ON "evidence_chain" USING btree ("created_at");--> statement-breakpoint
CREATE INDEX "evidence_chain_kind_subject_id_index" ON "evidence_chain" USING btree ("kind","subject_id");--> statement-breakpoint
CREATE INDEX "xapi_documents_kind_activity_id_agent_ifi_updated_index" ON "xapi_documents" USING btree ("kind","activity_id","agent_ifi","updated");--> statement-breakpoint
CREATE INDEX "xapi_statements_stored_id_index" ON "xapi_statements" USING btree ("stored","id");--> statement-breakpoint
CREATE INDEX "xapi_statements_actor_ifi_stored_id_index" ON "xapi_statements" USING btree ("actor_ifi","stored","id");--> statement-breakpoint
CREATE INDEX "xapi_statements_object_agent_ifi_stored_id_index" ON "xapi_statements" USING btree ("object_agent_ifi","stored","id");--> statement-breakpoint
CREATE INDEX "xapi_statements_verb_id_stored_id_index" ON "xapi_statements" USING btree ("verb_id","stored","id");--> statement-breakpoint
CREATE INDEX "xapi_statements_activity_id_stored_id_index" ON "xapi_statements" USING btree ("activity_id","stored","id");--> statement-breakpoint
CREATE INDEX "xapi_statements_registration_stored_id_index" ON "xapi_statements" USING btree ("registration","stored","id");--> statement-breakpoint
CREATE INDEX "xapi_statements_authority_key_stored_id_index" ON "xapi_statements" USING btree ("authority_key","stored","id");--> statement-breakpoint
CREATE INDEX "xapi_statements_voids_id_index" ON "xapi_statements" USING btree ("voids_id");--> statement-breakpoint
CREATE INDEX "xapi_statements_related_agents_gin" ON "xapi_statements" USING gin ("related_agents");--> statement-breakpoint
CREATE INDEX "xapi_statements_related_activities_gin" ON "xapi_statements" USING gin ("related_activities");