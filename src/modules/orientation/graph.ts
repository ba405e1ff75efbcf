// Orientation rules are data: a graph of questions and outcomes. This file holds the graph's shape,
// its validation (what makes a version publishable) and the walk along a citizen's answers. Pure
// functions: no I/O.
import { z } from 'zod';
import { locales } from '../../web/i18n.js';

const text = z.object({ ar: z.string(), fr: z.string(), en: z.string(), zgh: z.string() });
export type Text = z.infer<typeof text>;

const answer = z.object({ id: z.string().regex(/^[a-z0-9-]{1,40}$/), label: text, next: z.string(), reason: text.optional() });
const question = z.object({
  kind: z.literal('question'),
  type: z.enum(['single', 'yesno', 'region']),
  text,
  help: text.optional(),
  answers: z.array(answer),
  /** For region questions: where every region leads, and the reason it gives. */
  next: z.string().optional(),
  dontKnow: z.object({ next: z.string(), reason: text.optional() }).optional(),
});
const outcome = z.object({
  kind: z.literal('outcome'),
  institutions: z.array(z.string()),
  explanation: text,
  prepare: z.array(text),
  /** For "none of these" outcomes: where to go instead. */
  elsewhere: text.optional(),
});
export const graphSchema = z.object({ start: z.string(), nodes: z.record(z.string().regex(/^[a-z0-9-]{1,60}$/), z.discriminatedUnion('kind', [question, outcome])) });
export type Graph = z.infer<typeof graphSchema>;
export type QuestionNode = z.infer<typeof question>;
export type OutcomeNode = z.infer<typeof outcome>;

export type Problem =
  | { code: 'no_start'; node: string }
  | { code: 'unknown_node'; node: string; target: string }
  | { code: 'unreachable'; node: string }
  | { code: 'cycle'; node: string }
  | { code: 'no_answers'; node: string }
  | { code: 'unknown_institution'; node: string; target: string }
  | { code: 'missing_translation'; node: string; target: string };

const edges = (n: QuestionNode): string[] => [
  ...n.answers.map((a) => a.next),
  ...(n.type === 'region' && n.next ? [n.next] : []),
  ...(n.dontKnow ? [n.dontKnow.next] : []),
];

function texts(id: string, n: QuestionNode | OutcomeNode): [string, Text][] {
  if (n.kind === 'question') {
    return [[`${id}.text`, n.text], ...(n.help ? [[`${id}.help`, n.help] as [string, Text]] : []), ...n.answers.flatMap((a) => [[`${id}.${a.id}`, a.label] as [string, Text], ...(a.reason ? [[`${id}.${a.id}.reason`, a.reason] as [string, Text]] : [])])];
  }
  return [[`${id}.explanation`, n.explanation], ...n.prepare.map((p, i) => [`${id}.prepare.${i}`, p] as [string, Text]), ...(n.elsewhere ? [[`${id}.elsewhere`, n.elsewhere] as [string, Text]] : [])];
}

/** Every reason a version cannot be published; an empty list means it can. */
export function validateGraph(graph: Graph, knownInstitutions: readonly string[]): Problem[] {
  const problems: Problem[] = [];
  const nodes = graph.nodes;
  if (!nodes[graph.start]) return [{ code: 'no_start', node: graph.start }];
  for (const [id, n] of Object.entries(nodes)) {
    if (n.kind === 'question') {
      const hasPath = n.type === 'region' ? !!n.next : n.answers.length > 0;
      if (!hasPath) problems.push({ code: 'no_answers', node: id });
      for (const target of edges(n)) if (!nodes[target]) problems.push({ code: 'unknown_node', node: id, target });
    } else {
      for (const slug of n.institutions) if (!knownInstitutions.includes(slug)) problems.push({ code: 'unknown_institution', node: id, target: slug });
    }
    for (const [where, t] of texts(id, n)) for (const l of locales) if (!t[l]?.trim()) problems.push({ code: 'missing_translation', node: id, target: `${where}.${l}` });
  }
  // Reachability and cycles, by depth-first search from the start.
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string) => {
    const n = nodes[id];
    if (!n) return;
    state.set(id, 'open');
    if (n.kind === 'question') {
      for (const target of new Set(edges(n))) {
        const s = state.get(target);
        if (s === 'open') problems.push({ code: 'cycle', node: target });
        else if (!s) visit(target);
      }
    }
    state.set(id, 'done');
  };
  visit(graph.start);
  for (const id of Object.keys(nodes)) if (!state.has(id)) problems.push({ code: 'unreachable', node: id });
  return problems;
}

export interface Step { node: string; question: QuestionNode; answer: string; reason?: Text | undefined }
export type Walk =
  | { kind: 'question'; node: string; question: QuestionNode; steps: Step[] }
  | { kind: 'outcome'; node: string; outcome: OutcomeNode; steps: Step[]; region?: string | undefined }
  | { kind: 'invalid'; steps: Step[] };

export const DONT_KNOW = 'dont-know';

/** Follows a list of answer ids from the start; `invalid` when an answer does not fit its question. */
export function walk(graph: Graph, answers: readonly string[], regionCodes: readonly string[]): Walk {
  let id = graph.start;
  const steps: Step[] = [];
  let region: string | undefined;
  for (const a of answers) {
    const n = graph.nodes[id];
    if (!n || n.kind !== 'question') return { kind: 'invalid', steps };
    let next: string | undefined;
    let reason: Text | undefined;
    if (a === DONT_KNOW && n.dontKnow) ({ next, reason } = n.dontKnow);
    else if (n.type === 'region') {
      if (!regionCodes.includes(a)) return { kind: 'invalid', steps };
      next = n.next;
      region = a;
    } else {
      const chosen = n.answers.find((x) => x.id === a);
      next = chosen?.next;
      reason = chosen?.reason;
    }
    if (!next) return { kind: 'invalid', steps };
    steps.push({ node: id, question: n, answer: a, reason });
    id = next;
  }
  const n = graph.nodes[id];
  if (!n) return { kind: 'invalid', steps };
  return n.kind === 'question' ? { kind: 'question', node: id, question: n, steps } : { kind: 'outcome', node: id, outcome: n, steps, region };
}

/** The most questions left from a node: "question 2 of at most 4". */
export function longestPath(graph: Graph, from: string, memo = new Map<string, number>()): number {
  const n = graph.nodes[from];
  if (!n || n.kind === 'outcome') return 0;
  if (memo.has(from)) return memo.get(from)!;
  memo.set(from, 1); // guards against cycles in unpublished drafts
  const best = 1 + Math.max(0, ...edges(n).map((e) => longestPath(graph, e, memo)));
  memo.set(from, best);
  return best;
}
