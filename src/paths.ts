// Paths of files shipped with the project, valid both from src/ (tsx, tests) and from dist/src/ (npm start).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const projectRoot = here.includes(`${path.sep}dist${path.sep}`) ? path.resolve(here, '..', '..') : path.resolve(here, '..');
export const projectPath = (...parts: string[]): string => path.join(projectRoot, ...parts);
