CREATE TABLE "bot_command_usage" (
	"bot_id" uuid NOT NULL,
	"command_id" uuid NOT NULL,
	"day" date NOT NULL,
	"invocations" integer DEFAULT 0 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"refusals" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "bot_command_usage_bot_id_command_id_day_pk" PRIMARY KEY("bot_id","command_id","day")
);
--> statement-breakpoint
CREATE TABLE "bot_guild_settings" (
	"bot_id" uuid NOT NULL,
	"guild_id" text NOT NULL,
	"enabled_features" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"channels" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"staff_role_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"updated_by" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bot_guild_settings_bot_id_guild_id_pk" PRIMARY KEY("bot_id","guild_id")
);
--> statement-breakpoint
CREATE TABLE "bot_runtime_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"bot_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"level" text NOT NULL,
	"message" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "bot_runtime_events_message_length" CHECK (char_length("bot_runtime_events"."message") <= 1000)
);
--> statement-breakpoint
CREATE TABLE "bot_variables" (
	"id" uuid PRIMARY KEY NOT NULL,
	"bot_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"scope_id" text NOT NULL,
	"key" text NOT NULL,
	"type" text NOT NULL,
	"value" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bot_command_registrations" (
	"bot_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"commands_hash" text NOT NULL,
	"command_count" integer NOT NULL,
	"registered_at" timestamp with time zone NOT NULL,
	CONSTRAINT "bot_command_registrations_bot_id_scope_pk" PRIMARY KEY("bot_id","scope")
);
--> statement-breakpoint
CREATE TABLE "bot_commands" (
	"id" uuid PRIMARY KEY NOT NULL,
	"bot_id" uuid NOT NULL,
	"workspace_id" uuid NOT NULL,
	"scope" text NOT NULL,
	"kind" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"options" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"workflow_id" uuid NOT NULL,
	"autocomplete_workflow_id" uuid,
	"is_ephemeral" boolean DEFAULT false NOT NULL,
	"cooldown_seconds" integer DEFAULT 0 NOT NULL,
	"required_permissions" text,
	"bot_permissions" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bot_commands_cooldown_range" CHECK ("bot_commands"."cooldown_seconds" BETWEEN 0 AND 86400)
);
--> statement-breakpoint
CREATE TABLE "bots" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"application_id" text NOT NULL,
	"public_key" text NOT NULL,
	"credential_id" uuid NOT NULL,
	"bot_user_id" text NOT NULL,
	"name" text NOT NULL,
	"avatar" text,
	"features" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"desired_state" text DEFAULT 'stopped' NOT NULL,
	"status" text DEFAULT 'stopped' NOT NULL,
	"status_detail" text,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bots_public_key_hex" CHECK ("bots"."public_key" ~ '^[0-9a-f]{64}$')
);
--> statement-breakpoint
CREATE TABLE "workflow_event_triggers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"event" text NOT NULL,
	"filter" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "workflow_schedules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"workspace_id" uuid NOT NULL,
	"workflow_id" uuid NOT NULL,
	"version_id" uuid NOT NULL,
	"node_id" text NOT NULL,
	"cron" text NOT NULL,
	"timezone" text NOT NULL,
	"missed_fire_policy" text NOT NULL,
	"next_fire_at" timestamp with time zone NOT NULL,
	"last_fired_at" timestamp with time zone,
	"last_run_id" uuid,
	"claimed_by" text,
	"claimed_until" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "workflow_schedules_policy_valid" CHECK ("workflow_schedules"."missed_fire_policy" IN ('skip', 'fire-once', 'fire-all'))
);
--> statement-breakpoint
ALTER TABLE "bot_command_usage" ADD CONSTRAINT "bot_command_usage_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_guild_settings" ADD CONSTRAINT "bot_guild_settings_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_runtime_events" ADD CONSTRAINT "bot_runtime_events_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_variables" ADD CONSTRAINT "bot_variables_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_command_registrations" ADD CONSTRAINT "bot_command_registrations_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bot_commands" ADD CONSTRAINT "bot_commands_bot_id_bots_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."bots"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "bot_command_usage_day_idx" ON "bot_command_usage" USING btree ("day");--> statement-breakpoint
CREATE INDEX "bot_runtime_events_bot_idx" ON "bot_runtime_events" USING btree ("bot_id","id");--> statement-breakpoint
CREATE INDEX "bot_runtime_events_at_idx" ON "bot_runtime_events" USING btree ("at");--> statement-breakpoint
CREATE UNIQUE INDEX "bot_variables_key_idx" ON "bot_variables" USING btree ("bot_id","scope","scope_id","key");--> statement-breakpoint
CREATE INDEX "bot_variables_user_idx" ON "bot_variables" USING btree ("scope_id") WHERE "bot_variables"."scope" = 'user';--> statement-breakpoint
CREATE UNIQUE INDEX "bot_commands_name_idx" ON "bot_commands" USING btree ("bot_id","scope","kind","name");--> statement-breakpoint
CREATE INDEX "bot_commands_workflow_idx" ON "bot_commands" USING btree ("workspace_id","workflow_id");--> statement-breakpoint
CREATE UNIQUE INDEX "bots_workspace_application_idx" ON "bots" USING btree ("workspace_id","application_id");--> statement-breakpoint
CREATE INDEX "bots_created_by_idx" ON "bots" USING btree ("created_by");--> statement-breakpoint
CREATE UNIQUE INDEX "workflow_event_triggers_node_idx" ON "workflow_event_triggers" USING btree ("workflow_id","node_id");--> statement-breakpoint
CREATE INDEX "workflow_event_triggers_event_idx" ON "workflow_event_triggers" USING btree ("event","workspace_id");--> statement-breakpoint
CREATE UNIQUE INDEX "workflow_schedules_node_idx" ON "workflow_schedules" USING btree ("workflow_id","node_id");--> statement-breakpoint
CREATE INDEX "workflow_schedules_due_idx" ON "workflow_schedules" USING btree ("next_fire_at");--> statement-breakpoint
CREATE INDEX "workflow_schedules_workspace_idx" ON "workflow_schedules" USING btree ("workspace_id","next_fire_at");