import { TerraformOutput } from 'cdktf';
import { objectLike, TfTemplate } from '../../lib/tf';

describe('objectLike', () => {
  test.each([
    [{ a: 1, b: 2 }, { a: 1 }, true],
    [{ a: { b: [1, { c: 2, d: 3 }] } }, { a: { b: [1, { c: 2 }] } }, true],
    [{ a: [1, 2] }, { a: [1] }, false],
    [{ a: 1 }, { a: 2 }, false],
    [{ a: 1 }, { b: undefined }, true],
    [[1], { 0: 1 }, false],
    [null, {}, false],
  ])('%j contains %j -> %s', (actual, expected, result) => {
    expect(objectLike(actual, expected)).toBe(result);
  });
});

describe('TfTemplate', () => {
  const json = {
    resource: {
      google_service_account: { a: { account_id: 'a' }, b: { account_id: 'b' } },
      google_project_service: { run: { service: 'run.googleapis.com' } },
    },
    data: { google_project: { this: { project_id: 'p' } } },
    output: { url: { value: 'x' } },
  };
  const t = TfTemplate.fromJson(json);

  test('finds resources by type and properties', () => {
    expect(t.findResources('google_service_account').map((r) => r.address))
      .toEqual(['google_service_account.a', 'google_service_account.b']);
    expect(t.resource('google_service_account', { account_id: 'b' }).name).toBe('b');
    expect(t.findResources().length).toBe(3);
    expect(t.findDataSources('google_project')[0].address).toBe('data.google_project.this');
    expect(t.outputs()).toEqual({ url: { value: 'x' } });
  });

  test('assertions pass and fail with a useful message', () => {
    expect(() => t.resourceCountIs('google_service_account', 2)).not.toThrow();
    expect(() => t.resourceCountIs('google_service_account', 1)).toThrow('expected 1 google_service_account, found 2');
    expect(() => t.hasResourceProperties('google_project_service', { service: 'run.googleapis.com' })).not.toThrow();
    expect(() => t.hasResourceProperties('google_project_service', { service: 'x' })).toThrow(/no google_project_service contains/);
    expect(() => t.resource('google_service_account')).toThrow(/found 2: google_service_account.a, google_service_account.b/);
  });

  test('synthScope wraps cdktf Testing', () => {
    const s = TfTemplate.synthScope((scope) => { new TerraformOutput(scope, 'o', { value: 42 }); });
    expect(s.outputs()).toEqual({ o: { value: 42 } });
    expect(TfTemplate.fromJson(JSON.stringify(json)).toJSON()).toEqual(json);
  });
});
