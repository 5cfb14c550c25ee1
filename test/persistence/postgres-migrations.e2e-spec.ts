import { EXOTEL_ENTITIES, EXOTEL_MIGRATIONS } from 'nestjs-exotel';
import { widenColumnTypesForPostgres } from 'nestjs-exotel/internal';
import { DataSource } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

// Production runs on PostgreSQL through migrations; this keeps them equal to the entities, and
// reversible, whichever database the rest of the suite uses.
describe('PostgreSQL migrations', () => {
  let database: TestDatabase;
  let dataSource: DataSource;

  beforeEach(async () => {
    database = await createTestDatabase('postgres');
    dataSource = new DataSource({
      type: 'postgres',
      url: (database.settings as { url: string }).url,
      entities: [...EXOTEL_ENTITIES],
      migrations: [...EXOTEL_MIGRATIONS],
      extra: { options: `-c search_path=${database.isolation.schema}` },
    });
    await dataSource.initialize();
  });

  afterEach(async () => {
    await dataSource.destroy();
    await database.drop();
  });

  it('build exactly the schema the entities describe', async () => {
    const applied = await dataSource.runMigrations();
    expect(applied.map((m) => m.name)).toEqual(EXOTEL_MIGRATIONS.map((m) => m.name));
    widenColumnTypesForPostgres(dataSource);
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('store instants with their time zone', async () => {
    await dataSource.runMigrations();
    const [{ data_type }] = await dataSource.query<{ data_type: string }[]>(
      "SELECT data_type FROM information_schema.columns WHERE table_name = 'exotel_outbox_events' AND column_name = 'created_at' AND table_schema = current_schema()",
    );
    expect(data_type).toBe('timestamp with time zone');
  });

  it('compress heartbeat bodies with lz4 where the server has it', async () => {
    await dataSource.runMigrations();
    const compression = async () =>
      (
        await dataSource.query<{ attcompression: string }[]>(
          "SELECT attcompression FROM pg_attribute WHERE attrelid = 'exotel_heartbeats'::regclass AND attname = 'body'",
        )
      )[0].attcompression;
    const [{ lz4 }] = await dataSource.query<{ lz4: boolean }[]>(
      "SELECT 'lz4' = ANY(enumvals) AS lz4 FROM pg_settings WHERE name = 'default_toast_compression'",
    );
    expect(await compression()).toBe(lz4 ? 'l' : '');
  });

  it('vacuum and analyze the outbox every 10,000 changed rows, and drop them with the migration', async () => {
    await dataSource.runMigrations();
    const options = async () =>
      (
        await dataSource.query<{ reloptions: string[] | null }[]>(
          "SELECT reloptions FROM pg_class WHERE oid = 'exotel_outbox_events'::regclass",
        )
      )[0].reloptions;
    expect(await options()).toEqual([
      'autovacuum_vacuum_scale_factor=0',
      'autovacuum_vacuum_threshold=10000',
      'autovacuum_analyze_scale_factor=0',
      'autovacuum_analyze_threshold=10000',
    ]);
    // Undo migrations down to and including the one that set them.
    const index = dataSource.migrations.findIndex((m) => m.name === 'OutboxQueueTuning1795474132767');
    for (let i = index; i < dataSource.migrations.length; i++) await dataSource.undoLastMigration();
    expect(await options()).toBeNull();
  });

  it('can be reverted down to an empty schema', async () => {
    await dataSource.runMigrations();
    for (let i = 0; i < EXOTEL_MIGRATIONS.length; i++) await dataSource.undoLastMigration();
    const tables = await dataSource.query<unknown[]>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'exotel_%'",
    );
    expect(tables).toEqual([]);
  });
});
