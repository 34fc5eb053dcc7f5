import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Group events and their tickets. Capacity is the database's rule: `registered_count` is
 * kept under the event row lock and CHECKed against `capacity`; a user holds at most one
 * active ticket per event (partial unique index); the waitlist numbers are unique per event.
 */
export class GroupEvents1795319000000 implements MigrationInterface {
  name = 'GroupEvents1795319000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "group_events" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "host_id" uuid NOT NULL, "title" character varying(200) NOT NULL, "description" text, "category" character varying(60) NOT NULL, "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "duration_minutes" integer NOT NULL, "location" character varying(300), "online_url" character varying(2048), "capacity" integer NOT NULL, "registered_count" integer NOT NULL DEFAULT '0', "waitlist_count" integer NOT NULL DEFAULT '0', "last_queue_seq" integer NOT NULL DEFAULT '0', "price_minor" integer NOT NULL DEFAULT '0', "currency" character varying(3) NOT NULL DEFAULT 'USD', "status" character varying(16) NOT NULL DEFAULT 'scheduled', "cancelled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), ` +
        `CONSTRAINT "ck_group_events_place" CHECK ("location" IS NOT NULL OR "online_url" IS NOT NULL), ` +
        `CONSTRAINT "ck_group_events_currency" CHECK ("currency" ~ '^[A-Z]{3}$'), ` +
        `CONSTRAINT "ck_group_events_price" CHECK ("price_minor" >= 0), ` +
        `CONSTRAINT "ck_group_events_duration" CHECK ("duration_minutes" BETWEEN 15 AND 1440), ` +
        `CONSTRAINT "ck_group_events_waitlist" CHECK ("waitlist_count" >= 0 AND "last_queue_seq" >= "waitlist_count"), ` +
        `CONSTRAINT "ck_group_events_registered" CHECK ("registered_count" >= 0 AND "registered_count" <= "capacity"), ` +
        `CONSTRAINT "ck_group_events_capacity" CHECK ("capacity" BETWEEN 1 AND 10000), ` +
        `CONSTRAINT "ck_group_events_status" CHECK ("status" IN ('scheduled', 'cancelled')), ` +
        `CONSTRAINT "PK_4c93ca2f8941964ca0e58334a27" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_group_events_host_starts" ON "group_events"  ("host_id", "starts_at") `);
    await queryRunner.query(`CREATE INDEX "ix_group_events_status_starts" ON "group_events"  ("status", "starts_at") `);
    await queryRunner.query(
      `CREATE TABLE "event_tickets" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "event_id" uuid NOT NULL, "user_id" uuid NOT NULL, "status" character varying(16) NOT NULL, "queue_seq" integer, "amount_minor" integer NOT NULL DEFAULT '0', "currency" character varying(3) NOT NULL, "payment_method_id" character varying(255), "payment_id" character varying(255), "client_secret" character varying(255), "hold_expires_at" TIMESTAMP WITH TIME ZONE, "confirmed_at" TIMESTAMP WITH TIME ZONE, "cancelled_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), ` +
        `CONSTRAINT "ck_event_tickets_amount" CHECK ("amount_minor" >= 0), ` +
        `CONSTRAINT "ck_event_tickets_queue" CHECK ("status" <> 'waitlisted' OR "queue_seq" IS NOT NULL), ` +
        `CONSTRAINT "ck_event_tickets_status" CHECK ("status" IN ('pending_payment', 'confirmed', 'waitlisted', 'cancelled', 'payment_failed', 'expired')), ` +
        `CONSTRAINT "PK_3b0b88013ea0167ee823084c2c8" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_event_tickets_user_created" ON "event_tickets"  ("user_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_event_tickets_event_status" ON "event_tickets"  ("event_id", "status") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_event_tickets_queue" ON "event_tickets"  ("event_id", "queue_seq") WHERE queue_seq IS NOT NULL`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_event_tickets_active" ON "event_tickets"  ("event_id", "user_id") WHERE status IN ('pending_payment', 'confirmed', 'waitlisted')`,
    );
    await queryRunner.query(
      `ALTER TABLE "group_events" ADD CONSTRAINT "FK_6014d46eafaa4c968a5cea2ce3a" FOREIGN KEY ("host_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "event_tickets" ADD CONSTRAINT "FK_a7b5a763bee5c84d628352730bf" FOREIGN KEY ("event_id") REFERENCES "group_events"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "event_tickets" ADD CONSTRAINT "FK_24b12f15b4968a29e145ab3518b" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "event_tickets" DROP CONSTRAINT "FK_24b12f15b4968a29e145ab3518b"`);
    await queryRunner.query(`ALTER TABLE "event_tickets" DROP CONSTRAINT "FK_a7b5a763bee5c84d628352730bf"`);
    await queryRunner.query(`ALTER TABLE "group_events" DROP CONSTRAINT "FK_6014d46eafaa4c968a5cea2ce3a"`);
    await queryRunner.query(`DROP INDEX "public"."uq_event_tickets_active"`);
    await queryRunner.query(`DROP INDEX "public"."uq_event_tickets_queue"`);
    await queryRunner.query(`DROP INDEX "public"."ix_event_tickets_event_status"`);
    await queryRunner.query(`DROP INDEX "public"."ix_event_tickets_user_created"`);
    await queryRunner.query(`DROP TABLE "event_tickets"`);
    await queryRunner.query(`DROP INDEX "public"."ix_group_events_status_starts"`);
    await queryRunner.query(`DROP INDEX "public"."ix_group_events_host_starts"`);
    await queryRunner.query(`DROP TABLE "group_events"`);
  }
}
