#!/usr/bin/env node
// Builds the dashboard (apps/web) into dist/web: one script and one style sheet with content hashes
// in their names, the icon, and index.html pointing at them. `npm run build` runs it after the
// server build; `node scripts/build-web.js --out <dir>` builds elsewhere (the browser tests do).
//
// The bundle may hold only the page's own code and the pure domain rules it shares with the server
// (the kernel and the reporting domain's validation); anything else of the server pulled in by an
// import fails the build, naming the file.
const { createHash } = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { gzipSync } = require('node:zlib');
const esbuild = require('esbuild');

const ROOT = path.resolve(__dirname, '..');
const SOURCE = path.join(ROOT, 'apps', 'web', 'src');
const ALLOWED = ['apps/web/src/', 'libs/kernel/src/', 'libs/reporting/src/domain/'];

const buildWeb = async ({ outDir = path.join(ROOT, 'dist', 'web') } = {}) => {
  fs.rmSync(outDir, { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const result = await esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { app: path.join(SOURCE, 'main.ts') },
    bundle: true,
    format: 'esm',
    // Phones a few years old (ES2020: Safari 14, Chrome 80).
    target: 'es2020',
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    entryNames: '[name].[hash]',
    outdir: outDir,
    tsconfig: path.join(ROOT, 'apps', 'web', 'tsconfig.json'),
    metafile: true,
    logLevel: 'warning',
  });

  const foreign = Object.keys(result.metafile.inputs).filter((input) => !ALLOWED.some((dir) => input.startsWith(dir)));
  if (foreign.length > 0) {
    throw new Error(`The browser bundle may import only ${ALLOWED.join(', ')}; it pulled in:\n  ${foreign.join('\n  ')}`);
  }

  const outputs = Object.keys(result.metafile.outputs).map((file) => path.basename(file));
  const named = (ext) => {
    const found = outputs.find((name) => name.startsWith('app.') && name.endsWith(ext));
    if (!found) throw new Error(`esbuild wrote no app${ext}`);
    return found;
  };
  const icon = fs.readFileSync(path.join(SOURCE, 'favicon.svg'));
  const iconName = `favicon.${createHash('sha256').update(icon).digest('hex').slice(0, 8).toUpperCase()}.svg`;
  fs.writeFileSync(path.join(outDir, iconName), icon);
  const files = { 'app.js': named('.js'), 'app.css': named('.css'), 'favicon.svg': iconName };
  const html = fs.readFileSync(path.join(SOURCE, 'index.html'), 'utf8').replace(/\{\{([a-z.]+)\}\}/g, (whole, key) => {
    if (!files[key]) throw new Error(`index.html names {{${key}}}, which the build does not make`);
    return `/app/${files[key]}`;
  });
  fs.writeFileSync(path.join(outDir, 'index.html'), html);

  const sizes = {};
  for (const name of [...Object.values(files), 'index.html']) {
    const body = fs.readFileSync(path.join(outDir, name));
    sizes[name] = { bytes: body.length, gzip: gzipSync(body, { level: 9 }).length };
  }
  return { outDir, files, sizes };
};

module.exports = { buildWeb };

if (require.main === module) {
  const at = process.argv.indexOf('--out');
  const outDir = at > 0 ? path.resolve(process.argv[at + 1]) : undefined;
  buildWeb({ outDir }).then(
    ({ outDir: dir, sizes }) => {
      const total = Object.values(sizes).reduce((sum, s) => sum + s.gzip, 0);
      const list = Object.entries(sizes).map(([name, s]) => `${name} ${s.bytes} B (gzip ${s.gzip} B)`);
      console.log(`web: ${path.relative(process.cwd(), dir) || dir}: ${list.join(', ')}; ${total} B gzipped in all`);
    },
    (error) => {
      console.error(`web: ${error.message}`);
      process.exit(1);
    },
  );
}
