import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

// The layer rules are only worth having if they fail on a violation: lint snippets as if they
// lived at real paths and check what is reported. ESLint runs in a child process because its
// ESM config cannot be loaded inside Jest's module sandbox.
const lint = async (filePath: string, code: string): Promise<string[]> => {
  const run = spawnSync(
    process.execPath,
    [join(process.cwd(), 'node_modules/eslint/bin/eslint.js'), '--stdin', '--stdin-filename', filePath, '-f', 'json'],
    {
      input: code,
      encoding: 'utf8',
    },
  );
  if (!run.stdout) throw new Error(`eslint failed: ${run.stderr}`);
  const [result] = JSON.parse(run.stdout) as Array<{ messages: Array<{ message: string }> }>;
  return result.messages.map((m) => m.message);
};

describe('layer rules (STYLE.md #16)', () => {
  it('refuses a framework import in a decider', async () => {
    const messages = await lint(
      'libs/reporting/src/report.decider.ts',
      "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n",
    );
    expect(messages.join('\n')).toMatch(/'@nestjs\/common' import is restricted.*Layer rule: domain code imports no framework/);
  });

  it('refuses a database import in domain events', async () => {
    const messages = await lint(
      'libs/org/src/domain/unit.events.ts',
      "import Database from 'better-sqlite3';\nexport const x = Database;\n",
    );
    expect(messages.join('\n')).toMatch(/'better-sqlite3' import is restricted.*Layer rule: domain code imports no framework/);
  });

  it('keeps kafkajs behind the messaging port: refused in the relay and the worker, allowed in libs/messaging', async () => {
    const code = "import { Kafka } from 'kafkajs';\nexport const k = Kafka;\n";
    for (const file of ['libs/relay/src/relay.ts', 'apps/worker/src/relay.service.ts']) {
      expect((await lint(file, code)).join('\n')).toMatch(/'kafkajs' import is restricted.*messaging port/);
    }
    expect(await lint('libs/messaging/src/kafka-publisher.ts', code)).toEqual([]);
    // The libs-never-import-apps rule still holds beside it.
    expect(
      (await lint('libs/relay/src/relay.ts', "import { x } from '../../../apps/worker/src/x';\nexport const y = x;\n")).join(
        '\n',
      ),
    ).toMatch(/libs never import apps/);
  });

  it('refuses reading the clock in domain code', async () => {
    const messages = await lint(
      'libs/reporting/src/report.decider.ts',
      'export const now = () => Date.now();\nexport const d = () => new Date();\n',
    );
    expect(messages.filter((m) => m.includes('reads no clock'))).toHaveLength(2);
  });

  it('allows a date built from command data in domain code', async () => {
    const messages = await lint('libs/reporting/src/report.decider.ts', 'export const d = (iso: string) => new Date(iso);\n');
    expect(messages).toEqual([]);
  });

  it('refuses an import of apps from a lib', async () => {
    const messages = await lint(
      'libs/platform/src/x.ts',
      "import { ApiModule } from '../../../apps/api/src/api.module';\nexport const x = ApiModule;\n",
    );
    expect(messages.join('\n')).toMatch(/api\.module' import is restricted.*Layer rule: libs never import apps/);
  });

  it('lets apps import libs and the framework', async () => {
    const messages = await lint(
      'apps/api/src/x.ts',
      "import { Module } from '@nestjs/common';\nimport { streamId } from '@app/eventstore';\nexport const x = [Module, streamId];\n",
    );
    expect(messages).toEqual([]);
  });
});
