#!/usr/bin/env node
// Checks the Kubernetes manifests of deploy/k8s without a cluster.
//
//   node deploy/scripts/check-manifests.mjs [--dir deploy/k8s] [--schemas <node_modules>] [--built <file>]
//
// Always (the `yaml` package of the repository's node_modules):
//   - every file parses, every document has apiVersion, kind, metadata.name (a DNS-1123 name) and
//     no namespace other than the kustomization's; no two documents share a kind and name;
//   - kustomization.yaml lists every manifest file of the directory and only existing ones;
//   - ConfigMap and Secret values are strings;
//   - workloads (Deployment, StatefulSet): selector.matchLabels are among the pod template's labels
//     and select no other workload; every container has an image, resources.requests (cpu, memory)
//     and resources.limits (memory); pod and container securityContext: non-root, no privilege
//     escalation, read-only root filesystem, capabilities drop ALL, seccomp RuntimeDefault;
//     terminationGracePeriodSeconds set; every volumeMount names a volume or a volumeClaimTemplate;
//     envFrom names a ConfigMap/Secret defined here; a PVC named by a volume is defined here;
//   - a container with ports has liveness and readiness probes (HTTP GET /health/live and
//     /health/ready on one of its ports), or only the liveness probe when its one port is named
//     `metrics` (the worker: it takes no traffic); a container without ports is reported;
//   - a Deployment that mounts a ReadWriteOnce PVC uses the Recreate strategy and has one replica
//     (a second pod on another node could never mount it);
//   - a StatefulSet's serviceName is a headless Service defined here;
//   - Services select exactly one workload's pods, and a named targetPort is a port of its container;
//   - PodDisruptionBudgets select exactly one workload, and minAvailable is below its replicas.
// With --schemas <dir> (a node_modules holding the `kubernetes-models` package, e.g.
// `npm install --prefix /tmp/k8s-schema kubernetes-models`):
//   - each document is validated against the Kubernetes OpenAPI schema (types, required fields,
//     enums) by kubernetes-models' validate();
//   - unknown fields are found by type-checking each document, as an object literal, against the
//     package's TypeScript interfaces with the repository's `typescript` (excess property checks).
// With --built <file>: the same checks, except the kustomization ones, on one multi-document file
// (e.g. the output of `kubectl kustomize deploy/k8s`).
//
// Exit code 0 when nothing failed, 1 otherwise; one line per finding.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseAllDocuments } from 'yaml';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const option = (name) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
};
const dir = resolve(option('--dir') ?? join(here, '..', 'k8s'));
const schemas = option('--schemas') ? resolve(option('--schemas')) : undefined;
const built = option('--built') ? resolve(option('--built')) : undefined;

const failures = [];
const notes = [];
const fail = (where, message) => failures.push(`FAIL ${where}: ${message}`);
const note = (where, message) => notes.push(`note ${where}: ${message}`);

// ---- load ------------------------------------------------------------------------------------
const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const docs = [];
let kustomization;

const load = (file) => {
  const text = readFileSync(file, 'utf8');
  parseAllDocuments(text).forEach((parsed, index) => {
    const where = `${basename(file)}#${index + 1}`;
    if (parsed.errors.length > 0) return fail(where, `does not parse: ${parsed.errors[0].message}`);
    const doc = parsed.toJS();
    if (doc === null || doc === undefined) return;
    if (doc.kind === 'Kustomization') {
      kustomization = { doc, where };
      return;
    }
    docs.push({ doc, where: `${where} ${doc.kind ?? '?'}/${doc.metadata?.name ?? '?'}`, file: basename(file) });
  });
};

let files = [];
if (built) {
  load(built);
} else {
  files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
  for (const file of files) load(join(dir, file));
}

// ---- documents and the kustomization ----------------------------------------------------------
const seen = new Set();
for (const { doc, where } of docs) {
  if (typeof doc.apiVersion !== 'string' || doc.apiVersion === '') fail(where, 'no apiVersion');
  if (typeof doc.kind !== 'string' || doc.kind === '') fail(where, 'no kind');
  const name = doc.metadata?.name;
  if (typeof name !== 'string' || !DNS1123.test(name) || name.length > 253)
    fail(where, `metadata.name ${JSON.stringify(name)} is not a DNS-1123 name`);
  const key = `${doc.kind}/${name}`;
  if (seen.has(key)) fail(where, `${key} is defined twice`);
  seen.add(key);
}

if (!built) {
  if (!kustomization) fail(basename(dir), 'no kustomization.yaml');
  else {
    const { doc: k, where } = kustomization;
    if (k.apiVersion !== 'kustomize.config.k8s.io/v1beta1') fail(where, `apiVersion ${k.apiVersion}`);
    const listed = k.resources ?? [];
    for (const resource of listed) if (!existsSync(join(dir, resource))) fail(where, `lists ${resource}, which does not exist`);
    for (const file of files) {
      if (file === 'kustomization.yaml' || file === 'kustomization.yml') continue;
      if (!listed.includes(file)) fail(where, `does not list ${file}`);
    }
    for (const { doc, where: w } of docs) {
      const ns = doc.metadata?.namespace;
      if (ns !== undefined && ns !== k.namespace) fail(w, `namespace ${ns}, the kustomization sets ${k.namespace}`);
    }
  }
}

// ---- helpers -----------------------------------------------------------------------------------
const byKind = (kind) => docs.filter(({ doc }) => doc.kind === kind);
const named = (kind, name) => docs.find(({ doc }) => doc.kind === kind && doc.metadata?.name === name);
const selects = (selector, labels) =>
  selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v);
const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'Job'];
const workloads = docs.filter(({ doc }) => WORKLOADS.includes(doc.kind));
const podLabels = (doc) => doc.spec?.template?.metadata?.labels ?? {};
const containersOf = (doc) => [
  ...(doc.spec?.template?.spec?.initContainers ?? []),
  ...(doc.spec?.template?.spec?.containers ?? []),
];

// ---- ConfigMaps and Secrets ----------------------------------------------------------------
for (const { doc, where } of [...byKind('ConfigMap'), ...byKind('Secret')]) {
  for (const field of ['data', 'stringData']) {
    for (const [key, value] of Object.entries(doc[field] ?? {})) {
      if (typeof value !== 'string') fail(where, `${field}.${key} is a ${typeof value}, not a string (quote it)`);
    }
  }
}

// ---- workloads --------------------------------------------------------------------------------
for (const { doc, where } of workloads) {
  const spec = doc.spec ?? {};
  const pod = spec.template?.spec ?? {};
  const match = spec.selector?.matchLabels;
  if (!match || Object.keys(match).length === 0) fail(where, 'no spec.selector.matchLabels');
  else {
    if (!selects(match, podLabels(doc))) fail(where, 'spec.selector.matchLabels are not all among the pod template labels');
    for (const other of workloads) {
      if (other.doc !== doc && selects(match, podLabels(other.doc)))
        fail(where, `its selector also selects the pods of ${other.where}`);
    }
  }
  if (pod.terminationGracePeriodSeconds === undefined) fail(where, 'terminationGracePeriodSeconds is not set');
  const podSecurity = pod.securityContext ?? {};
  if (podSecurity.seccompProfile?.type !== 'RuntimeDefault')
    fail(where, 'pod securityContext.seccompProfile is not RuntimeDefault');
  if (pod.automountServiceAccountToken !== false) note(where, 'automountServiceAccountToken is not false');

  const volumes = new Map((pod.volumes ?? []).map((v) => [v.name, v]));
  const claimTemplates = new Set((spec.volumeClaimTemplates ?? []).map((t) => t.metadata?.name));
  for (const volume of volumes.values()) {
    const claim = volume.persistentVolumeClaim?.claimName;
    if (claim !== undefined) {
      const pvc = named('PersistentVolumeClaim', claim);
      if (!pvc) fail(where, `volume ${volume.name} names PVC ${claim}, which is not defined here`);
      else if (doc.kind === 'Deployment' && (pvc.doc.spec?.accessModes ?? []).includes('ReadWriteOnce')) {
        if (spec.strategy?.type !== 'Recreate')
          fail(where, `mounts the ReadWriteOnce PVC ${claim} but its strategy is not Recreate`);
        if ((spec.replicas ?? 1) > 1) fail(where, `mounts the ReadWriteOnce PVC ${claim} with ${spec.replicas} replicas`);
      }
    }
  }

  for (const container of containersOf(doc)) {
    const at = `${where} container ${container.name}`;
    if (!container.image) fail(at, 'no image');
    const requests = container.resources?.requests ?? {};
    const limits = container.resources?.limits ?? {};
    if (requests.cpu === undefined || requests.memory === undefined) fail(at, 'resources.requests needs cpu and memory');
    if (limits.memory === undefined) fail(at, 'resources.limits.memory is not set');
    const security = container.securityContext ?? {};
    if (security.allowPrivilegeEscalation !== false) fail(at, 'securityContext.allowPrivilegeEscalation is not false');
    if (security.readOnlyRootFilesystem !== true) fail(at, 'securityContext.readOnlyRootFilesystem is not true');
    if (!(security.capabilities?.drop ?? []).includes('ALL')) fail(at, 'securityContext.capabilities.drop does not include ALL');
    if ((security.runAsNonRoot ?? podSecurity.runAsNonRoot) !== true) fail(at, 'runAsNonRoot is not true (pod or container)');
    const uid = security.runAsUser ?? podSecurity.runAsUser;
    if (uid === 0) fail(at, 'runs as uid 0');
    for (const mount of container.volumeMounts ?? []) {
      if (!volumes.has(mount.name) && !claimTemplates.has(mount.name)) fail(at, `volumeMount ${mount.name} has no volume`);
    }
    for (const source of container.envFrom ?? []) {
      if (source.configMapRef && !named('ConfigMap', source.configMapRef.name) && source.configMapRef.optional !== true) {
        fail(at, `envFrom ConfigMap ${source.configMapRef.name} is not defined here`);
      }
      if (source.secretRef && !named('Secret', source.secretRef.name) && source.secretRef.optional !== true) {
        fail(at, `envFrom Secret ${source.secretRef.name} is not defined here`);
      }
    }
    const ports = container.ports ?? [];
    const portOk = (port) => ports.some((p) => p.name === port || p.containerPort === port);
    if (ports.length === 0) {
      if (container.livenessProbe || container.readinessProbe) note(at, 'has probes but no ports');
      else note(at, 'serves no port: no liveness/readiness probe possible');
      continue;
    }
    // A container serving only metrics takes no traffic: readiness would gate nothing.
    const metricsOnly = ports.every((p) => p.name === 'metrics');
    for (const [probe, path] of [
      ['livenessProbe', '/health/live'],
      ...(metricsOnly ? [] : [['readinessProbe', '/health/ready']]),
    ]) {
      const p = container[probe];
      if (!p) fail(at, `no ${probe}`);
      else if (!p.httpGet) fail(at, `${probe} is not an HTTP GET`);
      else {
        if (p.httpGet.path !== path) fail(at, `${probe} path is ${p.httpGet.path}, expected ${path}`);
        if (!portOk(p.httpGet.port)) fail(at, `${probe} port ${p.httpGet.port} is not a port of the container`);
      }
    }
    if (container.startupProbe?.httpGet && !portOk(container.startupProbe.httpGet.port))
      fail(at, 'startupProbe port is not a port of the container');
  }

  if (doc.kind === 'StatefulSet') {
    const service = named('Service', spec.serviceName);
    if (!service) fail(where, `serviceName ${spec.serviceName} is not a Service defined here`);
    else if (service.doc.spec?.clusterIP !== 'None')
      fail(where, `serviceName ${spec.serviceName} is not headless (clusterIP: None)`);
  }
}

// ---- Services and PodDisruptionBudgets ------------------------------------------------------
for (const { doc, where } of byKind('Service')) {
  const selector = doc.spec?.selector;
  const targets = workloads.filter((w) => selects(selector, podLabels(w.doc)));
  if (targets.length !== 1)
    fail(where, `selects ${targets.length} workloads (${targets.map((t) => t.where).join(', ') || 'none'}), expected 1`);
  if ((doc.spec?.ports ?? []).length === 0 && doc.spec?.clusterIP !== 'None')
    fail(where, 'no ports (only a headless Service may have none)');
  for (const port of doc.spec?.ports ?? []) {
    if (typeof port.targetPort !== 'string') continue;
    for (const target of targets) {
      const declared = containersOf(target.doc).some((c) => (c.ports ?? []).some((p) => p.name === port.targetPort));
      if (!declared) fail(where, `targetPort ${port.targetPort} is not a named port of ${target.where}`);
    }
  }
}

for (const { doc, where } of byKind('PodDisruptionBudget')) {
  const selector = doc.spec?.selector?.matchLabels;
  const targets = workloads.filter((w) => selects(selector, podLabels(w.doc)));
  if (targets.length !== 1) {
    fail(where, `selects ${targets.length} workloads, expected 1`);
    continue;
  }
  const { minAvailable, maxUnavailable } = doc.spec ?? {};
  if ((minAvailable === undefined) === (maxUnavailable === undefined))
    fail(where, 'set exactly one of minAvailable and maxUnavailable');
  const replicas = targets[0].doc.spec?.replicas ?? 1;
  if (typeof minAvailable === 'number' && minAvailable >= replicas) {
    fail(
      where,
      `minAvailable ${minAvailable} with ${replicas} replica(s): no voluntary eviction could ever happen (node drains block)`,
    );
  }
}

// ---- schemas (kubernetes-models), when given ------------------------------------------------
const modelPath = (doc) => {
  const [group, version] = doc.apiVersion.includes('/') ? doc.apiVersion.split('/') : [undefined, doc.apiVersion];
  return join(schemas, 'kubernetes-models', ...(group ? [group, version] : [version]), `${doc.kind}.js`);
};

if (schemas) {
  if (!existsSync(join(schemas, 'kubernetes-models', 'package.json'))) {
    fail('--schemas', `no kubernetes-models package under ${schemas}`);
  } else {
    const version = JSON.parse(readFileSync(join(schemas, 'kubernetes-models', 'package.json'), 'utf8')).version;
    // 1. OpenAPI schema validation.
    for (const { doc, where } of docs) {
      const path = modelPath(doc);
      if (!existsSync(path)) {
        fail(where, `kubernetes-models ${version} has no model for ${doc.apiVersion} ${doc.kind}`);
        continue;
      }
      const Model = (await import(pathToFileURL(path).href))[doc.kind];
      try {
        new Model(doc).validate();
      } catch (error) {
        fail(where, `schema: ${error.message}`);
      }
    }
    // 2. Unknown fields: each document as an object literal typed with the model's interface.
    const require = createRequire(join(here, '..', '..', 'package.json'));
    let ts;
    try {
      ts = require('typescript');
    } catch {
      note('--schemas', 'typescript is not installed: unknown fields not checked');
    }
    if (ts) {
      const work = mkdtempSync(join(dirname(schemas), '.check-manifests-'));
      try {
        const sources = docs.map(({ doc, where }, i) => {
          const group = doc.apiVersion.includes('/') ? doc.apiVersion : `v1`;
          const file = join(work, `doc${i}.ts`);
          writeFileSync(
            file,
            `import type { I${doc.kind} } from 'kubernetes-models/${group}/${doc.kind}';\n` +
              `export const doc: I${doc.kind} = ${JSON.stringify(doc, null, 2)};\n`,
          );
          return { file, where };
        });
        const program = ts.createProgram(
          sources.map((s) => s.file),
          {
            strict: true,
            noEmit: true,
            module: ts.ModuleKind.ESNext,
            moduleResolution: ts.ModuleResolutionKind.Bundler,
            target: ts.ScriptTarget.ES2022,
            skipLibCheck: true,
            types: [],
          },
        );
        for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
          const source = sources.find((s) => s.file === diagnostic.file?.fileName);
          const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ');
          if (!source) {
            fail('--schemas', `typescript: ${message}`);
            continue;
          }
          const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
          const text = diagnostic.file.text.split('\n')[line].trim();
          fail(source.where, `field check: ${message} (at ${text})`);
        }
        note(
          '--schemas',
          `kubernetes-models ${version}: ${docs.length} documents validated, unknown fields checked with typescript ${ts.version}`,
        );
      } finally {
        rmSync(work, { recursive: true, force: true });
      }
    }
  }
}

// ---- report ------------------------------------------------------------------------------------
for (const line of [...notes, ...failures]) console.log(line);
const kinds = [...new Set(docs.map(({ doc }) => doc.kind))].sort().join(', ');
console.log(
  `${failures.length === 0 ? 'OK' : 'FAILED'}: ${docs.length} documents (${kinds}) from ${built ? basename(built) : `${files.length} files in ${dir}`}; ${failures.length} failures`,
);
process.exit(failures.length === 0 ? 0 : 1);
