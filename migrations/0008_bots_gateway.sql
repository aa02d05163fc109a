CREATE TABLE "bot_event_flows" (
	"id" uuid PRIMARY KEY NOT NULL,
	"bot_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"event" text NOT NULL,
	"workflow_id" uuid NOT NULL,
	"is_enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bot_gateway_identifies" (
	"bot_id" uuid NOT NULL,
	"day" date NOT NULL,
	"count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "bot_gateway_identifies_bot_id_day_pk" PRIMARY KEY("bot_id","day")
);
--> statement-breakpoint
CREATE TABLE "bot_gateway_leases" (
	"bot_id" uuid PRIMARY KEY NOT NULL,
	"owner" text,
	"expires_at" timestamp with time zone NOT NULL,
	"session_id" text,
	"resume_url" text,
	"sequence" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bot_guilds" (
	"bot_id" uuid NOT NULL,
	"guild_id" text NOT NULL,
	"name" text NOT NULL,
	"icon" text,
	"owner_id" text,
	"channels" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"roles" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"joined_at" timestamp with time zone DEFAULT now() NOT NULL,
	"synced_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bot_guilds_bot_id_guild_id_pk" PRIMARY KEY("bot_id","guild_id")
);
--> statement-breakpoint
ALTER TABLE "bot_event_flows" ADD CONSTRAINT "bot_event_flows_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_gateway_identifies" ADD CONSTRAINT "bot_gateway_identifies_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_gateway_leases" ADD CONSTRAINT "bot_gateway_leases_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_guilds" ADD CONSTRAINT "bot_guilds_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "bot_event_flows_unique_idx" ON "bot_event_flows" USING btree ("bot_id","event","workflow_id");--> statement-breakpoint
CREATE INDEX "bot_event_flows_workflow_idx" ON "bot_event_flows" USING btree ("workspace_id","workflow_id");--> statement-breakpoint
CREATE INDEX "bot_guilds_owner_idx" ON "bot_guilds" USING btree ("owner_id");