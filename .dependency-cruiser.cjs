/**
 * The map of src/, checked by `npm run lint:deps`: no import circles, the
 * wire and the shared folders know no feature, and features meet only through
 * src/tokens.ts, the top-level files and the shared folders, except for the
 * few uses of another feature's model named below. Spec files and test
 * doubles are held to the same map: a spec imports what it tests and shared
 * code, never another feature's internals.
 *
 * A folder of src/ is a feature unless SHARED names it, so a new folder is
 * held apart from the others until someone decides it is shared.
 */
const SHARED = ['kernel', 'live', 'layout', 'dom', 'notebook', 'sparkline', 'stack'];
const BESIDE_KERNEL = SHARED.filter(name => name !== 'kernel');

/** Any file in a feature folder; $1 is the feature. */
const FEATURE = `^src/(?!(?:${SHARED.join('|')})/)([^/]+)/`;

// The files of one feature that another may use; the only-* rules say who.
/** Every section: its panel takes its title from the pattern catalogue. */
const PATTERN_REGISTRY = '^src/patterns/registry\\.ts$';
/** The tensor viewer and the checks. */
const STRUCTURE_SUBJECTS = '^src/structure/(subjects|context|tree)\\.ts$';
/** The checks. */
const VIEWER_READOUT = '^src/viewer/slicing\\.ts$';
/** Type Structure. */
const WATCH_CONTRACT = '^src/watch/contract\\.ts$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'Modules must not import each other in a circle, type-only imports included: each module is read, tested and moved with what it imports, never with what imports it back.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true }
    },
    {
      name: 'kernel-imports-no-feature',
      comment:
        'src/kernel/ is the one wire to the probe that every feature uses; it imports no feature folder, so a feature changes without touching the wire.',
      severity: 'error',
      from: { path: '^src/kernel/' },
      to: { path: FEATURE }
    },
    {
      name: 'shared-imports-no-feature',
      comment: `The shared folders (src/${BESIDE_KERNEL.join('/, src/')}/) serve every feature and import none, so any feature can be changed or removed without breaking them.`,
      severity: 'error',
      from: { path: `^src/(${BESIDE_KERNEL.join('|')})/` },
      to: { path: FEATURE }
    },
    {
      name: 'features-meet-through-shared',
      comment:
        "A feature folder reaches another only through src/tokens.ts, a top-level file or a shared folder (src/live/, src/kernel/, ...), so each section changes on its own; the exceptions are the pattern registry every section takes its title from and the uses that the only-* rules name.",
      severity: 'error',
      from: { path: FEATURE },
      to: {
        path: FEATURE,
        pathNot: [
          '^src/$1/',
          PATTERN_REGISTRY,
          STRUCTURE_SUBJECTS,
          VIEWER_READOUT,
          WATCH_CONTRACT
        ]
      }
    },
    {
      name: 'only-viewer-and-checks-use-structure-subjects',
      comment:
        "Type Structure owns the subject (the value a right-click, a command's args or a typed name picks) and the way a shape is written; the tensor viewer and the checks act on the same subject and write shapes the same way, and no other feature may lean on Type Structure.",
      severity: 'error',
      from: { path: FEATURE, pathNot: '^src/(structure|viewer|checks)/' },
      to: { path: STRUCTURE_SUBJECTS }
    },
    {
      name: 'only-checks-uses-viewer-readout',
      comment:
        "The checks write a tensor's values the way the tensor viewer's readout does (formatValue); no other feature may lean on the viewer.",
      severity: 'error',
      from: { path: FEATURE, pathNot: '^src/(viewer|checks)/' },
      to: { path: VIEWER_READOUT }
    },
    {
      name: 'only-structure-uses-watch-contracts',
      comment:
        "A right-click on a watch gives Type Structure the watch's expression without its shape contract (splitContract); no other feature may lean on the Watch section.",
      severity: 'error',
      from: { path: FEATURE, pathNot: '^src/(watch|structure)/' },
      to: { path: WATCH_CONTRACT }
    }
  ],
  options: {
    // `import type` is a dependency too: it ties the files together just as
    // much, and a circle through it is still a circle.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    includeOnly: '^src/',
    moduleSystems: ['es6', 'cjs']
  }
};
