/**
 * Checks commands: scan again, watch a model for NaN/Inf (or stop), run the
 * next step checked, and check a dataset for defects.
 */
import { InputDialog, Notification } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { refreshIcon, runIcon } from '@jupyterlab/ui-components';
import type { CommandRegistry } from '@lumino/commands';
import type { IDisposable } from '@lumino/disposable';
import { DisposableSet } from '@lumino/disposable';
import type { ISubject } from '../structure/subjects';
import { askSubject, subjectOfArgs, subjectOfExpression } from '../structure/subjects';
import type { ChecksService } from './service';

export namespace ChecksCommandIDs {
  export const refresh = 'ml-debugger:refresh-checks';
  export const watch = 'ml-debugger:watch-nonfinite';
  export const unwatch = 'ml-debugger:unwatch-nonfinite';
  export const checkedStep = 'ml-debugger:run-checked-step';
  export const dataDefects = 'ml-debugger:check-data-defects';
}

const DATA_KINDS = ['dataframe', 'series', 'ndarray', 'tensor'];

/** Add the Checks commands; disposing the result removes them. */
export function addChecksCommands(
  commands: CommandRegistry,
  service: ChecksService,
  options: {
    trans: TranslationBundle;
    fromContextMenu: () => ISubject | null;
    isStopped: () => boolean;
    reveal: () => void;
  }
): IDisposable {
  const { trans, fromContextMenu, reveal } = options;
  const notify = (reason: unknown) => {
    Notification.error(reason instanceof Error ? reason.message : String(reason), {
      autoClose: 8000
    });
  };
  const set = new DisposableSet();
  set.add(
    commands.addCommand(ChecksCommandIDs.refresh, {
      label: trans.__('Run Checks Again'),
      caption: trans.__('Scan for NaN/Inf and read the origin, gradient health and the last error again'),
      icon: args => (args.toolbar ? refreshIcon : undefined),
      execute: () => service.refresh()
    })
  );
  set.add(
    commands.addCommand(ChecksCommandIDs.watch, {
      label: args =>
        args.updateRatio
          ? trans.__('Watch for NaN/Inf, with Update Ratios')
          : args.originsOnly
            ? trans.__('Watch for NaN/Inf Origins Only, without Gradient Health')
            : trans.__('Watch for NaN/Inf'),
      caption: trans.__(
        "Hook the model to find the module that creates the first NaN/Inf, forward or backward, and keep its gradient health; on the CPU the debugger stops in that module's hook"
      ),
      isVisible: args => {
        const kind = args.palette || args.label ? 'module' : fromContextMenu()?.kind;
        return kind === undefined || kind === 'module';
      },
      execute: async args => {
        const subject =
          subjectOfArgs(args, fromContextMenu) ??
          (await askSubject(trans, trans.__('Watch for NaN/Inf')));
        if (!subject) {
          return;
        }
        reveal();
        const result = await service
          .watchNonfinite(subject.target, true, {
            updateRatio: args.updateRatio === true,
            health: args.originsOnly !== true
          })
          .catch(notify);
        if (result?.note) {
          Notification.info(result.note, { autoClose: 8000 });
        }
      }
    })
  );
  set.add(
    commands.addCommand(ChecksCommandIDs.unwatch, {
      label: trans.__('Stop Watching for NaN/Inf'),
      execute: async args => {
        if (typeof args.label === 'string') {
          // A watch as the Checks section lists it.
          return service.unwatch(args.label).catch(notify);
        }
        const subject = await askSubject(trans, trans.__('Stop Watching for NaN/Inf'));
        if (subject) {
          await service.watchNonfinite(subject.target, false).catch(notify);
        }
      }
    })
  );
  set.add(
    commands.addCommand(ChecksCommandIDs.checkedStep, {
      label: args => (args.toolbar ? trans.__('Checked step') : trans.__('Run Next Step Checked')),
      caption: trans.__(
        'Continue to the next stop (or until optimizer.step() returns) while reporting broadcasts that grow a tensor, float64 creeping in and mixed devices'
      ),
      icon: args => (args.toolbar ? runIcon : undefined),
      isEnabled: () => options.isStopped(),
      execute: () => service.runCheckedStep().catch(notify)
    })
  );
  set.add(
    commands.addCommand(ChecksCommandIDs.dataDefects, {
      label: trans.__('Check Data Defects'),
      caption: trans.__(
        'Missing values, near-duplicate categories, outliers, duplicated rows, constant columns, class imbalance and rows shared with another frame'
      ),
      isVisible: args => {
        const kind = args.palette || args.label ? 'dataframe' : fromContextMenu()?.kind;
        return kind === undefined || DATA_KINDS.includes(kind);
      },
      execute: async args => {
        const subject =
          subjectOfArgs(args, fromContextMenu) ??
          (await askSubject(trans, trans.__('Check Data Defects')));
        if (!subject) {
          return;
        }
        const label = await InputDialog.getText({
          title: trans.__('Check Data Defects of %1', subject.label),
          label: trans.__('Label column for class balance (optional)')
        });
        if (!label.button.accept) {
          return;
        }
        const other = await InputDialog.getText({
          title: trans.__('Check Data Defects of %1', subject.label),
          label: trans.__('Another frame to check for shared rows, e.g. test_df (optional)')
        });
        if (!other.button.accept) {
          return;
        }
        reveal();
        const otherSubject = other.value ? subjectOfExpression(other.value) : null;
        await service
          .checkData(subject.label, subject.target, label.value || undefined, otherSubject?.target)
          .catch(notify);
      }
    })
  );
  return set;
}
