/**
 * Where the API may read: the open project folders and the CRDS cache.
 * Every path argument goes through `resolve`: it must be absolute, its real
 * path (symlinks followed) must lie inside one of the roots; `..` tricks and
 * symlinks pointing out are refused with WebbError('access-denied').
 */
import { realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { WebbError } from '../errors/index.ts';

export class Roots {
  private readonly projects = new Map<string, string>();

  constructor(private readonly extraRoots: () => readonly string[] = () => []) {}

  /** Add a project folder (must exist and be a directory); returns its real path. */
  async addProject(dir: string): Promise<string> {
    if (!path.isAbsolute(dir)) throw new WebbError('invalid-argument', `project folder must be an absolute path, not ${JSON.stringify(dir)}`);
    const real = await realpath(dir).catch(() => {
      throw new WebbError('not-found', `project folder ${dir} does not exist`);
    });
    if (!(await stat(real)).isDirectory()) throw new WebbError('invalid-argument', `${dir} is not a folder`);
    if (real === path.parse(real).root) throw new WebbError('access-denied', `refusing to open the file-system root ${real} as a project`);
    this.projects.set(real, real);
    return real;
  }

  removeProject(dir: string): void {
    for (const k of this.projects.keys()) if (k === dir || k === path.resolve(dir)) this.projects.delete(k);
  }

  projectRoots(): string[] {
    return [...this.projects.keys()];
  }

  /** The open project that contains a real path. */
  projectOf(real: string): string | undefined {
    return this.projectRoots().find((r) => inside(real, r));
  }

  /** The real path of `p` when it lies inside an open project (or, with `cache`, the CRDS cache). */
  async resolve(p: string, opts: { cache?: boolean; mustExist?: boolean } = {}): Promise<string> {
    if (!path.isAbsolute(p)) throw new WebbError('access-denied', `${JSON.stringify(p)} is not an absolute path`);
    const normal = path.resolve(p);
    const roots = [...this.projectRoots(), ...(opts.cache ? await realRoots(this.extraRoots()) : [])];
    let real: string;
    try {
      real = await realpath(normal);
    } catch {
      if (opts.mustExist !== false) {
        // Do not reveal whether a file outside the roots exists.
        if (!roots.some((r) => inside(normal, r))) throw denied(p);
        throw new WebbError('not-found', `${p} does not exist`, { file: p });
      }
      real = path.join(await realpath(path.dirname(normal)).catch(() => path.dirname(normal)), path.basename(normal));
    }
    if (!roots.some((r) => inside(real, r))) throw denied(p);
    return real;
  }
}

function denied(p: string): WebbError {
  return new WebbError('access-denied', `${p} is outside the open project folders and the CRDS cache`, { file: p });
}

async function realRoots(dirs: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const d of dirs) out.push(await realpath(d).catch(() => path.resolve(d)));
  return out;
}

/** True when `p` is `root` or below it. */
export function inside(p: string, root: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}
