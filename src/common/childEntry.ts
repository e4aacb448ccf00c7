/**
 * Where a module meant to run in a child process is, next to the module that starts it: the
 * compiled `.js` in production (`dist/`), the `.ts` source under tsx or vitest, which then needs
 * tsx's loader in the child too (a fresh process inherits no loader).
 */
import { fileURLToPath } from 'node:url';

/** The path of the sibling module `name` (without extension) of `here`, and the node flags it needs. */
export function siblingEntry(here: string, name: string): { path: string; execArgv: string[] } {
  const ts = here.endsWith('.ts');
  return {
    path: fileURLToPath(new URL(`./${name}.${ts ? 'ts' : 'js'}`, here)),
    execArgv: ts ? ['--import', 'tsx'] : [],
  };
}
