/**
 * The map of src/ in .dependency-cruiser.cjs catches what it promises: a tiny
 * tree that keeps the map passes, and one that breaks each rule fails with
 * the rule's name and its sentence. `npm run lint:deps` checks the real tree.
 */
import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';

const ROOT = join(__dirname, '..');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

interface ICruise {
  status: number;
  output: string;
}

/** Run the project's rules over a tree of `files` (path → source). */
function cruise(files: Record<string, string>): ICruise {
  const dir = mkdtempSync(join(tmpdir(), 'depcruise-'));
  try {
    writeFileSync(join(dir, 'tsconfig.json'), '{ "compilerOptions": { "moduleResolution": "node" } }');
    for (const [path, source] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), source);
    }
    const args = [DEPCRUISE, 'src', '--config', join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'err-long'];
    try {
      return { status: 0, output: execFileSync(process.execPath, args, { cwd: dir, encoding: 'utf-8' }) };
    } catch (error) {
      const failed = error as { status: number; stdout: string };
      return { status: failed.status, output: failed.stdout };
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A tree that keeps the map: each folder imports only what the rules allow. */
const GOOD: Record<string, string> = {
  'src/kernel/protocol.ts': 'export interface IRow { name: string }\n',
  'src/live/poller.ts': "import type { IRow } from '../kernel/protocol';\nexport const rows: IRow[] = [];\n",
  'src/tokens.ts': "import type { IRow } from './kernel/protocol';\nexport type Rows = IRow[];\n",
  'src/variables/model.ts': "import { rows } from '../live/poller';\nexport const model = rows;\n",
  'src/variables/model.spec.ts': "import { model } from './model';\nexport const tested = model;\n",
  'src/threads/service.ts': "import { rows } from '../live/poller';\nimport type { Rows } from '../tokens';\nexport const mine: Rows = rows;\n",
  'src/structure/subjects.ts': 'export const subject = 1;\n',
  'src/viewer/model.ts': "import { subject } from '../structure/subjects';\nexport const viewed = subject;\n"
};

/** The good tree with one import added for each rule. */
const BROKEN: Record<string, string> = {
  ...GOOD,
  // A circle of type-only imports.
  'src/watch/model.ts': "import type { IWatchRow } from './rows';\nexport interface IWatch { rows: IWatchRow[] }\n",
  'src/watch/rows.ts': "import type { IWatch } from './model';\nexport interface IWatchRow { owner: IWatch }\n",
  'src/kernel/bridge.ts': "import { model } from '../variables/model';\nexport const bridge = model;\n",
  'src/dom/reveal.ts': "import { mine } from '../threads/service';\nexport const shown = mine;\n",
  'src/counters/service.ts': "import { model } from '../variables/model';\nexport const counted = model;\n",
  'src/modules/service.ts': "import { subject } from '../structure/subjects';\nexport const listed = subject;\n",
  // A new folder is a feature until the config names it shared.
  'src/newfolder/thing.ts': "import { mine } from '../threads/service';\nexport const thing = mine;\n"
};

describe('the dependency rules of src/', () => {
  let broken: ICruise;

  beforeAll(() => {
    broken = cruise(BROKEN);
  });

  it('pass a tree that keeps the map, specs and named uses included', () => {
    const good = cruise(GOOD);
    expect(good.output).toContain('no dependency violations found');
    expect(good.status).toBe(0);
  });

  it('fail a tree that breaks them, one error per broken import', () => {
    expect(broken.status).not.toBe(0);
    expect(broken.output).toContain('6 dependency violations (6 errors');
  });

  it.each([
    ['no-circular', 'src/watch/model.ts', 'must not import each other in a circle, type-only imports included'],
    ['kernel-imports-no-feature', 'src/kernel/bridge.ts → src/variables/model.ts', 'the one wire to the probe'],
    ['shared-imports-no-feature', 'src/dom/reveal.ts → src/threads/service.ts', 'serve every feature and import none'],
    ['features-meet-through-shared', 'src/counters/service.ts → src/variables/model.ts', 'reaches another only through src/tokens.ts'],
    ['features-meet-through-shared', 'src/newfolder/thing.ts → src/threads/service.ts', 'reaches another only through src/tokens.ts'],
    ['only-viewer-and-checks-use-structure-subjects', 'src/modules/service.ts → src/structure/subjects.ts', 'no other feature may lean on Type Structure']
  ])('name the rule %s, the import %s, and why', (rule, edge, why) => {
    expect(broken.output).toContain(`error ${rule}: ${edge}`);
    // err-long wraps the rule's comment; compare it unwrapped.
    expect(broken.output.replace(/\s+/g, ' ')).toContain(why);
  });
});
