import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectPath } from '../../paths.js';
import { DONT_KNOW, type Graph, graphSchema, longestPath, validateGraph, walk } from './graph.js';

const shipped = graphSchema.parse(JSON.parse(fs.readFileSync(projectPath('data', 'reference', 'orientation-rules.json'), 'utf8')).graph);
const institutions = ['inpplc', 'mediateur', 'cndh', 'cndp', 'cdai', 'chikaya', 'parquet'];
const regions = Array.from({ length: 12 }, (_, i) => `MA-${String(i + 1).padStart(2, '0')}`);
const t = (s: string) => ({ ar: s, fr: s, en: s, zgh: s });
const clone = (g: Graph): Graph => JSON.parse(JSON.stringify(g));

describe('the shipped rules', () => {
  it('are publishable', () => {
    expect(validateGraph(shipped, institutions)).toEqual([]);
  });

  it('reach every loaded institution, and a "none of these" outcome', () => {
    const reached = new Set(Object.values(shipped.nodes).flatMap((n) => (n.kind === 'outcome' ? n.institutions : [])));
    expect([...reached].sort()).toEqual([...institutions].sort());
    expect(Object.values(shipped.nodes).some((n) => n.kind === 'outcome' && n.institutions.length === 0)).toBe(true);
  });

  it('lead a corruption report to the INPPLC with its reasons and region', () => {
    const w = walk(shipped, ['corruption', 'no', 'MA-06'], regions);
    expect(w.kind).toBe('outcome');
    if (w.kind !== 'outcome') return;
    expect(w.outcome.institutions).toEqual(['inpplc']);
    expect(w.region).toBe('MA-06');
    expect(w.steps.map((s) => s.reason?.en).filter(Boolean)).toEqual([
      'It is about corruption, which the INPPLC handles in the public and private sectors.',
      'The matter is not before a court.',
    ]);
  });

  it('offer "I don\'t know" where it helps, and refuse answers that do not fit', () => {
    expect(walk(shipped, [DONT_KNOW, 'yes'], regions)).toMatchObject({ kind: 'outcome', node: 'out-chikaya' });
    expect(walk(shipped, ['nonsense'], regions).kind).toBe('invalid');
    expect(walk(shipped, ['corruption', 'no', 'MA-99'], regions).kind).toBe('invalid');
    expect(walk(shipped, ['bribe-now', 'extra'], regions).kind).toBe('invalid');
  });

  it('need at most four questions', () => {
    expect(longestPath(shipped, shipped.start)).toBe(4);
  });
});

describe('validation refuses, naming the problem', () => {
  it('an unreachable node', () => {
    const g = clone(shipped);
    g.nodes['orphan'] = { kind: 'outcome', institutions: [], explanation: t('x'), prepare: [] };
    expect(validateGraph(g, institutions)).toEqual([{ code: 'unreachable', node: 'orphan' }]);
  });

  it('a cycle', () => {
    const g = clone(shipped);
    const q = g.nodes['court-corruption'];
    if (q?.kind === 'question') q.answers[0]!.next = 'start';
    expect(validateGraph(g, institutions)).toContainEqual({ code: 'cycle', node: 'start' });
  });

  it('a question without an answer path, or one leading nowhere', () => {
    const g = clone(shipped);
    const q = g.nodes['contacted'];
    if (q?.kind === 'question') { q.answers = []; delete q.dontKnow; }
    const problems = validateGraph(g, institutions);
    expect(problems).toContainEqual({ code: 'no_answers', node: 'contacted' });
    const h = clone(shipped);
    const r = h.nodes['region-inpplc'];
    if (r?.kind === 'question') r.next = 'out-missing';
    expect(validateGraph(h, institutions)).toContainEqual({ code: 'unknown_node', node: 'region-inpplc', target: 'out-missing' });
  });

  it('an outcome pointing to an unknown institution', () => {
    const g = clone(shipped);
    const o = g.nodes['out-cndp'];
    if (o?.kind === 'outcome') o.institutions = ['cnil'];
    expect(validateGraph(g, institutions)).toContainEqual({ code: 'unknown_institution', node: 'out-cndp', target: 'cnil' });
  });

  it('a missing translation, and a missing start', () => {
    const g = clone(shipped);
    const o = g.nodes['out-cndh'];
    if (o?.kind === 'outcome') o.explanation.zgh = ' ';
    expect(validateGraph(g, institutions)).toEqual([{ code: 'missing_translation', node: 'out-cndh', target: 'out-cndh.explanation.zgh' }]);
    expect(validateGraph({ ...g, start: 'nope' }, institutions)).toEqual([{ code: 'no_start', node: 'nope' }]);
  });
});
