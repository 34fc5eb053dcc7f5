import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Plans (seeded: free, basic, premium), subscriptions (one current per user: a partial
 * unique index), payments (idempotent per purpose and reference for one-off charges) and
 * the provider webhook events already handled.
 */
export class Payments1795318000000 implements MigrationInterface {
  name = 'Payments1795318000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("CREATE TABLE \"plans\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"name\" character varying(40) NOT NULL, \"display_name\" character varying(100) NOT NULL, \"description\" character varying(1000) NOT NULL DEFAULT '', \"price_monthly_minor\" integer NOT NULL, \"currency\" character(3) NOT NULL, \"features\" jsonb NOT NULL DEFAULT '[]', \"entitlements\" jsonb NOT NULL, \"active\" boolean NOT NULL DEFAULT true, \"provider_price_id\" character varying(255), \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_plans_currency\" CHECK (\"currency\" ~ '^[A-Z]{3}$'), CONSTRAINT \"ck_plans_price_monthly_minor\" CHECK (\"price_monthly_minor\" >= 0), CONSTRAINT \"PK_3720521a81c7c24fe9b7202ba61\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE UNIQUE INDEX \"ux_plans_name\" ON \"plans\"  (\"name\") ");
    await queryRunner.query("CREATE TABLE \"payments\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"amount_minor\" integer NOT NULL, \"currency\" character(3) NOT NULL, \"status\" character varying(16) NOT NULL, \"purpose\" character varying(16) NOT NULL, \"reference_id\" character varying(100) NOT NULL, \"description\" character varying(200) NOT NULL, \"provider\" character varying(16) NOT NULL, \"provider_payment_id\" character varying(255) NOT NULL, \"provider_refund_id\" character varying(255), \"payment_method_id\" character varying(255), \"client_secret\" character varying(255), \"failure_message\" character varying(500), \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_payments_provider\" CHECK (\"provider\" IN ('sandbox', 'stripe')), CONSTRAINT \"ck_payments_purpose\" CHECK (\"purpose\" IN ('subscription', 'event_ticket')), CONSTRAINT \"ck_payments_status\" CHECK (\"status\" IN ('succeeded', 'declined', 'requires_action', 'failed', 'refunded')), CONSTRAINT \"ck_payments_currency\" CHECK (\"currency\" ~ '^[A-Z]{3}$'), CONSTRAINT \"ck_payments_amount_minor\" CHECK (\"amount_minor\" >= 0), CONSTRAINT \"PK_197ab7af18c93fbb0c9b28b4a59\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_payments_status_created\" ON \"payments\"  (\"status\", \"created_at\") ");
    await queryRunner.query("CREATE INDEX \"ix_payments_user_created\" ON \"payments\"  (\"user_id\", \"created_at\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"ux_payments_provider_payment\" ON \"payments\"  (\"provider\", \"provider_payment_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"ux_payments_purpose_reference\" ON \"payments\"  (\"purpose\", \"reference_id\") WHERE \"purpose\" <> 'subscription'");
    await queryRunner.query("CREATE TABLE \"subscriptions\" (\"id\" uuid NOT NULL DEFAULT gen_random_uuid(), \"user_id\" uuid NOT NULL, \"plan_id\" uuid NOT NULL, \"status\" character varying(16) NOT NULL, \"current_period_end\" TIMESTAMP WITH TIME ZONE, \"cancel_at_period_end\" boolean NOT NULL DEFAULT false, \"cancelled_at\" TIMESTAMP WITH TIME ZONE, \"provider\" character varying(16) NOT NULL, \"provider_customer_id\" character varying(255), \"provider_subscription_id\" character varying(255) NOT NULL, \"payment_method_id\" character varying(255) NOT NULL, \"created_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), \"updated_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"ck_subscriptions_provider\" CHECK (\"provider\" IN ('sandbox', 'stripe')), CONSTRAINT \"ck_subscriptions_status\" CHECK (\"status\" IN ('incomplete', 'active', 'past_due', 'cancelled')), CONSTRAINT \"PK_a87248d73155605cf782be9ee5e\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("CREATE INDEX \"ix_subscriptions_status_created\" ON \"subscriptions\"  (\"status\", \"created_at\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"ux_subscriptions_provider_subscription\" ON \"subscriptions\"  (\"provider\", \"provider_subscription_id\") ");
    await queryRunner.query("CREATE UNIQUE INDEX \"ux_subscriptions_user_current\" ON \"subscriptions\"  (\"user_id\") WHERE \"status\" <> 'cancelled'");
    await queryRunner.query("CREATE TABLE \"payment_webhook_events\" (\"id\" character varying(255) NOT NULL, \"provider\" character varying(16) NOT NULL, \"type\" character varying(100) NOT NULL, \"received_at\" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT \"PK_750875e71d97974be92cee813ba\" PRIMARY KEY (\"id\"))");
    await queryRunner.query("ALTER TABLE \"payments\" ADD CONSTRAINT \"FK_427785468fb7d2733f59e7d7d39\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"subscriptions\" ADD CONSTRAINT \"FK_d0a95ef8a28188364c546eb65c1\" FOREIGN KEY (\"user_id\") REFERENCES \"users\"(\"id\") ON DELETE CASCADE ON UPDATE NO ACTION");
    await queryRunner.query("ALTER TABLE \"subscriptions\" ADD CONSTRAINT \"FK_e45fca5d912c3a2fab512ac25dc\" FOREIGN KEY (\"plan_id\") REFERENCES \"plans\"(\"id\") ON DELETE RESTRICT ON UPDATE NO ACTION");
    // The plans every install starts with; staff change them at /api/v1/admin/plans.
    await queryRunner.query(
      `INSERT INTO "plans" ("name", "display_name", "description", "price_monthly_minor", "currency", "features", "entitlements") VALUES
        ('free', 'Free Plan', 'Everything you need to start.', 0, 'USD', '["Chat", "Mood Tracking", "Basic Support"]', '{"rate_tier": "standard", "companion_daily_messages": 20}'),
        ('basic', 'Basic Plan', 'Essential features and more companion time.', 999, 'USD', '["Chat", "Mood Tracking", "Goals", "Support Groups"]', '{"rate_tier": "standard", "companion_daily_messages": 100}'),
        ('premium', 'Premium Plan', 'Everything, with priority limits.', 1999, 'USD', '["Chat", "Mood Tracking", "Goals", "Support Groups", "Unlimited AI Companion", "Priority API limits"]', '{"rate_tier": "premium", "companion_daily_messages": 1000}')`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query("ALTER TABLE \"subscriptions\" DROP CONSTRAINT \"FK_e45fca5d912c3a2fab512ac25dc\"");
    await queryRunner.query("ALTER TABLE \"subscriptions\" DROP CONSTRAINT \"FK_d0a95ef8a28188364c546eb65c1\"");
    await queryRunner.query("ALTER TABLE \"payments\" DROP CONSTRAINT \"FK_427785468fb7d2733f59e7d7d39\"");
    await queryRunner.query("DROP TABLE \"payment_webhook_events\"");
    await queryRunner.query("DROP INDEX \"public\".\"ux_subscriptions_user_current\"");
    await queryRunner.query("DROP INDEX \"public\".\"ux_subscriptions_provider_subscription\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_subscriptions_status_created\"");
    await queryRunner.query("DROP TABLE \"subscriptions\"");
    await queryRunner.query("DROP INDEX \"public\".\"ux_payments_purpose_reference\"");
    await queryRunner.query("DROP INDEX \"public\".\"ux_payments_provider_payment\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_payments_user_created\"");
    await queryRunner.query("DROP INDEX \"public\".\"ix_payments_status_created\"");
    await queryRunner.query("DROP TABLE \"payments\"");
    await queryRunner.query("DROP INDEX \"public\".\"ux_plans_name\"");
    await queryRunner.query("DROP TABLE \"plans\"");
  }
}
