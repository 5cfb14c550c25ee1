import { DataSource } from 'typeorm';
import { ExotelDatabase } from './exotel-database';

describe('ExotelDatabase commit listeners', () => {
  let dataSource: DataSource;
  let db: ExotelDatabase;

  beforeAll(async () => {
    dataSource = await new DataSource({ type: 'better-sqlite3', database: ':memory:' }).initialize();
    await dataSource.query('CREATE TABLE t (v integer)');
    db = new ExotelDatabase(dataSource);
  });

  afterAll(() => dataSource.destroy());

  it('hear the commits that wrote events, not the others (an idle relay stays idle)', async () => {
    let heard = 0;
    const unsubscribe = db.onCommit(() => heard++);
    await db.transaction((manager) => manager.query('INSERT INTO t VALUES (1)'));
    expect(heard).toBe(0);
    await db.transaction(async (manager) => {
      await manager.query('INSERT INTO t VALUES (2)');
      db.noteEventsWritten(manager);
    });
    expect(heard).toBe(1);
    // Rolled back: nothing was written, nobody hears of it.
    await expect(
      db.transaction(async (manager) => {
        db.noteEventsWritten(manager);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(heard).toBe(1);
    unsubscribe();
    await db.transaction(async (manager) => db.noteEventsWritten(manager));
    expect(heard).toBe(1);
  });
});
