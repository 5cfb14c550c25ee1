import { bulkInsert } from '../../libs/exotel/src/persistence/bulk-insert';
import { Column, DataSource, Entity, PrimaryColumn } from 'typeorm';
import { createTestDatabase, type TestDatabase } from '../support/test-database';

@Entity('bulk_insert_probe')
class Probe {
  @PrimaryColumn({ type: 'varchar', length: 10 })
  id!: string;

  @Column({ type: 'jsonb', nullable: true })
  doc!: unknown;

  @Column({ type: 'json', nullable: true })
  plain!: unknown;

  @Column({ type: 'varchar', length: 40, nullable: true })
  label!: string | null;

  @Column({ type: Date, nullable: true })
  at!: Date | null;
}

const probe = (id: string, doc: unknown, label: string | null, at: Date | null) =>
  Object.assign(new Probe(), { id, doc, plain: doc, label, at });

// bulkInsert on the suite's database (SQLite, or PostgreSQL with TEST_DATABASE=postgres).
describe('bulkInsert (e2e)', () => {
  let database: TestDatabase;
  let source: DataSource;

  beforeAll(async () => {
    database = await createTestDatabase();
    const { settings, isolation } = database;
    source = new DataSource(
      settings.type === 'postgres'
        ? {
            type: 'postgres',
            url: settings.url,
            schema: isolation.schema,
            entities: [Probe],
            synchronize: true,
          }
        : { type: 'better-sqlite3', database: ':memory:', entities: [Probe], synchronize: true },
    );
    await source.initialize();
  });
  afterAll(async () => {
    await source?.destroy();
    await database?.drop();
  });

  it('stores JSON documents of every shape, nulls and instants as TypeORM would, and upserts', async () => {
    const at = new Date('2026-11-23T10:15:30.123Z');
    const tricky = {
      quote: 'he said "hi"',
      backslash: 'C:\\path',
      braces: '{a,b}',
      unicode: 'नमस्ते',
      nested: [1, null],
    };
    await bulkInsert(source.manager, Probe, [
      probe('object', tricky, 'a, "quoted" label', at),
      probe('null', null, null, null),
      probe('string', 'just text', 'NULL', at),
      probe('array', [1, 'two', { three: 3 }], '', at),
    ]);
    const read = async () =>
      Object.fromEntries((await source.manager.find(Probe)).map((row) => [row.id, { ...row }]));
    expect(await read()).toEqual({
      object: { id: 'object', doc: tricky, plain: tricky, label: 'a, "quoted" label', at },
      null: { id: 'null', doc: null, plain: null, label: null, at: null },
      string: { id: 'string', doc: 'just text', plain: 'just text', label: 'NULL', at },
      array: { id: 'array', doc: [1, 'two', { three: 3 }], plain: [1, 'two', { three: 3 }], label: '', at },
    });

    await bulkInsert(source.manager, Probe, [probe('null', { now: 'set' }, 'ignored', null)], {
      key: ['id'],
      update: ['doc'],
    });
    expect((await read()).null).toEqual({
      id: 'null',
      doc: { now: 'set' },
      plain: null,
      label: null,
      at: null,
    });
  });
});
