import { getMetadataStorage, IsInt, IsString, Max, validateSync } from 'class-validator';
import { memoizeValidationMetadata } from './validation-metadata-cache';

class ListQuery {
  @IsInt()
  @Max(100)
  page_size: unknown = 20;
}

class PeopleQuery extends ListQuery {
  @IsString()
  name: unknown = 'Ada';
}

const failedRules = (object: object): string[] =>
  validateSync(object, { whitelist: true, forbidNonWhitelisted: true }).flatMap((error) => Object.keys(error.constraints ?? {}).map((rule) => `${error.property}:${rule}`)).sort();

describe('memoizeValidationMetadata', () => {
  const storage = getMetadataStorage();
  const answer = (target: object): unknown => storage.getTargetValidationMetadatas(target as new () => object, '', false, false);

  beforeAll(() => memoizeValidationMetadata());

  it('answers what class-validator answers, inherited rules included, and the same array each time', () => {
    const query = Object.assign(new PeopleQuery(), { page_size: 500, name: 7, extra: 1 });
    expect(failedRules(query)).toEqual(['extra:whitelistValidation', 'name:isString', 'page_size:max']);
    expect(failedRules(new PeopleQuery())).toEqual([]);
    expect(answer(PeopleQuery)).toBe(answer(PeopleQuery));
    expect((answer(PeopleQuery) as unknown[]).length).toBe(3);
    expect(storage.groupByPropertyName(answer(PeopleQuery) as never)).toBe(storage.groupByPropertyName(answer(PeopleQuery) as never));
  });

  it('forgets what it remembered when a rule is added later, on the class or a parent', () => {
    const remembered = answer(PeopleQuery);
    expect(failedRules(Object.assign(new PeopleQuery(), { name: '' }))).toEqual([]);
    // A decorator applied now, as a module loaded late would: the parent gains a rule.
    IsString()(ListQuery.prototype, 'cursor');
    expect(answer(PeopleQuery)).not.toBe(remembered);
    expect(failedRules(Object.assign(new PeopleQuery(), { cursor: 5 }))).toEqual(['cursor:isString']);
  });

  it('is installed once however often the pipe is made', () => {
    const lookup = storage.getTargetValidationMetadatas;
    memoizeValidationMetadata();
    expect(storage.getTargetValidationMetadatas).toBe(lookup);
  });
});
