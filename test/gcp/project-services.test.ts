import { ArtifactRepository, CLOUD_RUN_SYSTEM_APIS, ProjectServices } from '../../lib/gcp';
import { expectSynthSnapshot } from '../support/snapshot';
import { expectValidationError, template, testStack } from './support';

describe('ProjectServices', () => {
  test('defaults: run, artifactregistry, cloudbuild, iam; kept on destroy', () => {
    const stack = testStack();
    const apis = new ProjectServices(stack, 'Apis');
    const t = template(stack);
    expect(t.findResources('google_project_service').map((r) => r.config.service).sort()).toEqual([...CLOUD_RUN_SYSTEM_APIS].sort());
    expect(CLOUD_RUN_SYSTEM_APIS).toEqual(['run.googleapis.com', 'artifactregistry.googleapis.com',
      'cloudbuild.googleapis.com', 'iam.googleapis.com']);
    expect(t.findResources('google_project_service').every((r) => r.config.disable_on_destroy === false)).toBe(true);
    expect(apis.dependables).toHaveLength(4);
    expectSynthSnapshot(stack);
  });

  test('cloudSql adds sqladmin; extra APIs are added once; project and disableOnDestroy pass through', () => {
    const stack = testStack();
    const apis = new ProjectServices(stack, 'Apis', { project: 'p1', cloudSql: true, disableOnDestroy: true,
      additionalServices: ['secretmanager.googleapis.com', 'run.googleapis.com'] });
    expect(apis.services).toEqual([...CLOUD_RUN_SYSTEM_APIS, 'sqladmin.googleapis.com', 'secretmanager.googleapis.com']);
    template(stack).hasResourceProperties('google_project_service',
      { service: 'sqladmin.googleapis.com', project: 'p1', disable_on_destroy: true });
  });

  test('an API name that is not one fails', () => {
    expectValidationError(() => new ProjectServices(testStack(), 'Apis', { additionalServices: ['secretmanager'] }),
      'INVALID_NAME', 'Test/Apis', 'additionalServices', '"secretmanager"');
  });
});

describe('ArtifactRepository', () => {
  test('defaults: Docker, keep 5 recent, delete after 30 days, live policy', () => {
    const stack = testStack();
    const repo = new ArtifactRepository(stack, 'Images', { repositoryId: 'gemma-agent', region: 'europe-west1' });
    template(stack).hasResourceProperties('google_artifact_registry_repository', {
      repository_id: 'gemma-agent', location: 'europe-west1', format: 'DOCKER', cleanup_policy_dry_run: false,
      cleanup_policies: [
        { id: 'keep-recent', action: 'KEEP', most_recent_versions: { keep_count: 5 } },
        { id: 'delete-old', action: 'DELETE', condition: { tag_state: 'ANY', older_than: '2592000s' } },
      ],
    });
    expect(repo.imagePrefix).toMatch(/-docker\.pkg\.dev\//);
    expectSynthSnapshot(stack);
  });

  test('props pass through', () => {
    const stack = testStack();
    new ArtifactRepository(stack, 'Images', { repositoryId: 'r1', region: 'us-central1', project: 'p1',
      keepRecentVersions: 2, deleteOlderThanDays: 7, labels: { a: 'b' } });
    template(stack).hasResourceProperties('google_artifact_registry_repository', {
      project: 'p1', labels: { a: 'b' },
      cleanup_policies: [{ most_recent_versions: { keep_count: 2 } }, { condition: { older_than: '604800s' } }],
    });
  });

  test.each([
    [{ repositoryId: 'Bad_Name' }, 'INVALID_NAME', 'repositoryId', '"Bad_Name"'],
    [{ keepRecentVersions: 0 }, 'RETENTION_OUT_OF_RANGE', 'keepRecentVersions', '0'],
    [{ deleteOlderThanDays: 0 }, 'RETENTION_OUT_OF_RANGE', 'deleteOlderThanDays', '0'],
  ])('fails: %j', (props, code, property, value) => {
    expectValidationError(() => new ArtifactRepository(testStack(), 'Images', { repositoryId: 'r', region: 'r', ...props }),
      code, 'Test/Images', property, value);
  });

  test('passes at the bounds', () => {
    expect(() => new ArtifactRepository(testStack(), 'Images', { repositoryId: 'r', region: 'r',
      keepRecentVersions: 1000, deleteOlderThanDays: 3650 })).not.toThrow();
  });
});
