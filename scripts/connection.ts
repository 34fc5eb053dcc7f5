import { AppConfig, loadConfig } from 'src/config/app-config';
import { embeddedDatabaseUrl, readEmbeddedOwner } from 'src/infrastructure/database/embedded-postgres';

/** How long a command waits for a zero-setup server that is still starting on the data directory. */
const OWNER_WAIT_MS = 30_000;

/** A mistake in how the command was called: its message is shown, without a stack. */
export class UsageError extends Error {}

/**
 * The configuration a command (create-admin, seed:demo) connects with: DATABASE_URL if set;
 * for the embedded database, through the running server that owns the data directory
 * (with its password from DATA_DIR/secrets.json, waiting while it is still starting), or
 * the data directory itself when no server has it open. `what` names what the command
 * writes, for the refusal of `DATA_DIR=memory://`.
 */
export async function commandConnection(what: string): Promise<{ config: AppConfig; via: string }> {
  const config = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn' });
  if (config.database.kind === 'postgres') return { config, via: 'the database at DATABASE_URL' };
  if (config.database.dataDir === 'memory://') {
    throw new UsageError(`DATA_DIR=memory:// keeps the database inside one process, so ${what} created here would vanish. Set DATA_DIR or DATABASE_URL.`);
  }
  const deadline = Date.now() + OWNER_WAIT_MS;
  for (;;) {
    const owner = readEmbeddedOwner(config.database.dataDir);
    if (!owner) return { config, via: `the embedded database in ${config.database.dataDir}` };
    if (owner.port > 0) {
      // The owner's password: loadConfig read it from DATA_DIR/secrets.json, as the owner did.
      const url = embeddedDatabaseUrl(owner.port, config.embeddedDatabasePassword!);
      const viaOwner = loadConfig({ ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', DATABASE_URL: url, DATABASE_POOL_SIZE: '2' });
      return {
        config: { ...viaOwner, database: { kind: 'postgres', url, poolSize: 2, sharedSession: true } },
        via: `the running Haven server (pid ${owner.pid}) that owns ${config.database.dataDir}`,
      };
    }
    if (Date.now() > deadline) throw new UsageError(`Haven (pid ${owner.pid}) is still starting on ${config.database.dataDir}; try again when it is up.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * Runs a command's work and exits with its status: 0 when done; 2 with the usage for a
 * UsageError; 1 for an error the command expects (`describe` gives its lines, or null when
 * it does not know it), printing only messages, never stacks, for what a user can fix.
 */
export function runCommand(name: string, usage: string, work: () => Promise<void>, describe: (error: unknown) => string[] | null): void {
  const status = async (): Promise<number> => {
    try {
      await work();
      return 0;
    } catch (error) {
      if (error instanceof UsageError) {
        if (error.message) console.error(`${name}: ${error.message}`);
        console.error(usage);
        return 2;
      }
      const lines = describe(error);
      if (lines) {
        for (const line of lines) console.error(line);
        return 1;
      }
      console.error(`${name} failed:`, error instanceof Error ? error.message : error);
      return 1;
    }
  };
  status().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
