import { type Migration, migrate } from './migrations';
import { describeOnReadStores, type ReadStoreFixture } from './testing/read-stores';

const migrations: Migration[] = [
  {
    version: 1,
    name: 'create notes',
    up: async (db) =>
      void (await db.schema
        .createTable('notes')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('text', 'text')
        .execute()),
  },
  {
    version: 2,
    name: 'add author',
    up: async (db) => void (await db.schema.alterTable('notes').addColumn('author', 'text').execute()),
  },
];

describeOnReadStores('read-store migrations', (open) => {
  let fixture: ReadStoreFixture;
  beforeEach(async () => (fixture = await open()));
  afterEach(async () => fixture.cleanup());

  it('applies pending migrations in version order, once, and records them', async () => {
    expect(await migrate(fixture.store, [migrations[1], migrations[0]])).toEqual([1, 2]);
    expect(await migrate(fixture.store, migrations)).toEqual([]);
    await fixture.store.db.insertInto('notes').values({ id: 1, text: 'x', author: 'officer.LCI' }).execute();
    const recorded = await fixture.store.db
      .selectFrom('schema_migrations')
      .select(['version', 'name'])
      .orderBy('version')
      .execute();
    expect(recorded).toEqual([
      { version: 1, name: 'create notes' },
      { version: 2, name: 'add author' },
    ]);
  });

  it('records nothing for a failing migration and applies it again next time', async () => {
    const failing: Migration = {
      version: 3,
      name: 'half done',
      up: async (db) => {
        await db.schema.createTable('half').addColumn('id', 'integer').execute();
        throw new Error('failed half-way (no_such_table)');
      },
    };
    await migrate(fixture.store, migrations);
    await expect(migrate(fixture.store, [...migrations, failing])).rejects.toThrow(/no_such_table/);
    const versions = await fixture.store.db.selectFrom('schema_migrations').select('version').execute();
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    const fixed: Migration = {
      version: 3,
      name: 'done now',
      up: async (db) => void (await db.schema.createTable('whole').ifNotExists().addColumn('id', 'integer').execute()),
    };
    expect(await migrate(fixture.store, [...migrations, fixed])).toEqual([3]);
  });
});
