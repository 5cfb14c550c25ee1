import { Injectable } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { compileExotel } from '../../../test/support/exotel-test-module';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database';
import { EXOTEL_OPTIONS } from './exotel.constants';
import type { ResolvedExotelOptions } from './options/exotel-module-options.interface';
import { InjectExotelOptions } from './options/inject-exotel-options.decorator';

/** A host's provider that reads two groups of the options. */
@Injectable()
class Dialler {
  constructor(
    @InjectExotelOptions('calls') readonly calls: ResolvedExotelOptions['calls'],
    @InjectExotelOptions('baseUrl') readonly baseUrl: ResolvedExotelOptions['baseUrl'],
  ) {}
}

describe('@InjectExotelOptions(group)', () => {
  let database: TestDatabase;
  let moduleRef: TestingModule;

  beforeEach(async () => {
    database = await createTestDatabase();
    moduleRef = await compileExotel(database, { calls: { defaultCallerId: '08047491899' } }, [Dialler]);
  });

  afterEach(async () => {
    await moduleRef.close();
    await database.drop();
  });

  it('injects that group of the resolved options into a host provider', () => {
    const options = moduleRef.get<ResolvedExotelOptions>(EXOTEL_OPTIONS, { strict: false });
    const dialler = moduleRef.get(Dialler);
    expect(dialler.calls).toBe(options.calls);
    expect(dialler.calls.defaultCallerId).toBe('08047491899');
    expect(dialler.baseUrl).toBe('http://127.0.0.1:9');
  });
});
