import { TestApp } from '../support/test-app';

describe('OpenAPI document and Swagger UI', () => {
  let t: TestApp;
  beforeAll(async () => (t = await TestApp.start()));
  afterAll(async () => t.stop());

  it('serves the document at /docs/json without a token, listing every command route', async () => {
    const response = await t.call({ method: 'GET', url: '/docs/json' });
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const document = response.json;
    expect(document.openapi).toMatch(/^3\./);
    expect(document.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const routes = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(routes).toEqual(
      expect.arrayContaining([
        'POST /directives',
        'POST /directives/import',
        'POST /directives/{directiveId}/targets',
        'POST /directives/{directiveId}/tasks',
        'POST /directives/{directiveId}/schedule',
        'POST /directives/{directiveId}/issue',
        'POST /directives/{directiveId}/amend',
        'POST /directives/{directiveId}/close',
        'POST /directives/{directiveId}/periods',
        'POST /directives/{directiveId}/assignments/{unitId}/acknowledge',
        'POST /directives/{directiveId}/assignments/{unitId}/implementing',
        'POST /directives/{directiveId}/assignments/{unitId}/complete',
        'POST /reports/{directiveId}/{unitId}/{period}/submit',
        'POST /reports/{directiveId}/{unitId}/{period}/correct',
        'POST /reports/{directiveId}/{unitId}/{period}/return',
        'POST /reports/{directiveId}/{unitId}/{period}/approve',
        'POST /reports/{directiveId}/{unitId}/{period}/waive',
        'GET /streams/{streamId}',
        'POST /units',
        'GET /health',
      ]),
    );
    const submit = document.paths['/reports/{directiveId}/{unitId}/{period}/submit'].post;
    expect(submit.security).toEqual([{ bearer: [] }]);
    expect(submit.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`).sort()).toEqual([
      'path:directiveId',
      'path:period',
      'path:unitId',
    ]);
    const target = document.components.schemas.TargetDto;
    expect(target.required).toEqual(expect.arrayContaining(['targetId', 'code', 'title', 'shape', 'measuredAtLevel', 'value']));
    expect(target.properties.shape.enum).toEqual(['count_with_floor', 'share_of_units', 'rate', 'absolute_total', 'deliverable']);
  });

  it('serves Swagger UI at /docs without a token, with the files the page loads', async () => {
    const page = await t.call({ method: 'GET', url: '/docs' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('SwaggerUIBundle');
    expect(page.text).toContain("url: '/docs/json'");
    for (const [file, type] of [
      ['swagger-ui.css', /^text\/css/],
      ['swagger-ui-bundle.js', /^application\/javascript/],
      ['swagger-ui-standalone-preset.js', /^application\/javascript/],
    ] as const) {
      const asset = await t.call({ method: 'GET', url: `/docs/${file}` });
      expect({ file, status: asset.status }).toEqual({ file, status: 200 });
      expect(asset.headers['content-type']).toMatch(type);
    }
    expect((await t.call({ method: 'GET', url: '/docs/../package.json' })).status).toBe(404);
    expect((await t.call({ method: 'GET', url: '/health/live' })).status).toBe(200);
  });
});
