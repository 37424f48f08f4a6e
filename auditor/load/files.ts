/**
 * Inputs on disk → one ResourceModel. Accepts a cdktf.out folder (manifest.json's stacks, or
 * stacks/<name>/cdk.tf.json), a folder of *.tf.json files (one stack named after the folder), one
 * *.tf.json file, or a `terraform show -json` plan. Several inputs merge into one model; stack
 * names are made unique. Every malformed input is a one-line UserError naming the file.
 */
import { isAscii } from 'node:buffer';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors';
import { Model } from '../model/model';
import type { Node } from '../model/node';
import type { ResourceModel, StackInfo } from '../model/types';
import { looksLikeConfig, rawFromConfig } from './config';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, describe, isObj, jsonTextDepth, own, sanitise } from './guard';
import { looksLikePlan, rawFromPlan } from './plan';

export interface LoadOptions {
  /** Largest input file read (bytes). @default 256 MiB */
  readonly maxBytes?: number;
  /** Deepest JSON nesting accepted. @default 256 */
  readonly maxDepth?: number;
}

interface Ctx {
  readonly maxBytes: number;
  readonly maxDepth: number;
  readonly used: Set<string>;
  readonly stacks: StackInfo[];
  nodes: Node[];
}

export function loadInputs(paths: readonly string[], opts: LoadOptions = {}): ResourceModel {
  if (!paths.length) throw new UserError(undefined, 'no input given');
  const ctx: Ctx = { maxBytes: opts.maxBytes ?? DEFAULT_MAX_BYTES, maxDepth: opts.maxDepth ?? DEFAULT_MAX_DEPTH, used: new Set(), stacks: [], nodes: [] };
  for (const p of paths) loadPath(p, ctx);
  return new Model([...paths], ctx.stacks, ctx.nodes);
}

function statOf(p: string): fs.Stats {
  try {
    return fs.statSync(p);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UserError(p, 'no such file or directory');
    throw new UserError(p, `cannot be read (${code ?? 'error'})`);
  }
}

function loadPath(p: string, ctx: Ctx): void {
  const st = statOf(p);
  if (st.isDirectory()) return loadDirectory(p, ctx);
  if (!st.isFile()) throw new UserError(p, 'is neither a file nor a folder');
  const root = readJson(p, st.size, ctx);
  if (isObj(root) && looksLikePlan(root)) {
    const name = unique(path.basename(p).replace(/(\.plan)?\.json$/i, '').replace(/\.tfplan$/i, '') || 'plan', ctx);
    add(rawFromPlan(root, name, p), ctx);
    return;
  }
  if (isObj(root) && looksLikeConfig(root)) {
    const base = path.basename(p);
    const stem = base === 'cdk.tf.json' ? path.basename(path.dirname(path.resolve(p))) : base.replace(/\.tf\.json$/i, '').replace(/\.json$/i, '');
    add(rawFromConfig(root, unique(stem || 'stack', ctx), p), ctx);
    return;
  }
  throw new UserError(p, isObj(root) ? 'neither a Terraform JSON configuration nor a plan (no resource, data, provider, terraform or format_version key)' : `neither a Terraform JSON configuration nor a plan (the top level is ${describe(root)})`);
}

function loadDirectory(dir: string, ctx: Ctx): void {
  const manifest = path.join(dir, 'manifest.json');
  if (fs.existsSync(manifest)) return loadManifest(dir, manifest, ctx);
  const stacksDir = path.join(dir, 'stacks');
  if (fs.existsSync(stacksDir) && fs.statSync(stacksDir).isDirectory()) {
    const names = fs.readdirSync(stacksDir).sort().filter((n) => fs.existsSync(path.join(stacksDir, n, 'cdk.tf.json')));
    if (names.length) {
      for (const n of names) loadStackFolder(path.join(stacksDir, n), n, ctx);
      return;
    }
  }
  const tfJson = fs.readdirSync(dir).filter((n) => /\.tf\.json$/i.test(n));
  if (tfJson.length) return loadStackFolder(dir, path.basename(path.resolve(dir)), ctx);
  throw new UserError(dir, 'nothing to audit here: no manifest.json, stacks/*/cdk.tf.json or *.tf.json files');
}

/** cdktf's manifest.json: { stacks: { <name>: { synthesizedStackPath: "stacks/<name>/cdk.tf.json", … } } }. */
function loadManifest(dir: string, manifest: string, ctx: Ctx): void {
  const m = readJson(manifest, statOf(manifest).size, ctx);
  const stacks = isObj(m) ? own(m, 'stacks') : undefined;
  if (!isObj(stacks)) throw new UserError(manifest, 'is not a cdktf manifest (no "stacks" object)');
  const names = Object.keys(stacks);
  if (!names.length) throw new UserError(manifest, 'lists no stacks: nothing to audit');
  const root = path.resolve(dir);
  for (const name of names) {
    const s = stacks[name];
    const rel = isObj(s) ? own(s, 'synthesizedStackPath') : undefined;
    if (typeof rel !== 'string' || !rel) throw new UserError(manifest, `stack '${name}' has no synthesizedStackPath`);
    const file = path.resolve(root, rel);
    if (file !== root && !file.startsWith(root + path.sep)) throw new UserError(manifest, `stack '${name}' points outside the folder (${rel.slice(0, 80)})`);
    const st = statOf(file);
    const stackName = unique(isObj(s) && typeof own(s, 'name') === 'string' ? (own(s, 'name') as string) : name, ctx);
    const root_ = readJson(file, st.size, ctx);
    add(rawFromConfig(root_, stackName, file), ctx);
  }
}

/**
 * Every *.tf.json in one folder is one stack (Terraform reads them as one module); files named
 * *_override.tf.json / override.tf.json are applied last and replace the attributes they set.
 */
function loadStackFolder(dir: string, name: string, ctx: Ctx): void {
  const files = fs.readdirSync(dir).filter((n) => /\.tf\.json$/i.test(n)).sort();
  const isOverride = (n: string) => /(^|_)override\.tf\.json$/i.test(n);
  const ordered = [...files.filter((f) => !isOverride(f)), ...files.filter(isOverride)];
  const stack = unique(name, ctx);
  let info: StackInfo | undefined;
  const byAddress = new Map<string, Node>();
  const nodes: Node[] = [];
  for (const f of ordered) {
    const file = path.join(dir, f);
    const r = rawFromConfig(readJson(file, statOf(file).size, ctx), stack, file);
    info = info ? { ...info, ...defined(r.stack), name: stack, file: info.file } : { ...r.stack, file: dir };
    for (const n of r.nodes) {
      const prev = byAddress.get(n.address);
      if (prev && isOverride(f)) {
        // The override's attributes replace the original's; the node keeps everything else it had.
        prev.values = Object.assign(Object.create(null), prev.values, n.values) as Record<string, unknown>;
      } else if (prev) {
        throw new UserError(file, `${n.address} is also declared in ${prev.file}`);
      } else {
        byAddress.set(n.address, n);
        nodes.push(n);
      }
    }
  }
  ctx.stacks.push(info!);
  addNodes(nodes, ctx);
}

function defined(s: StackInfo): Partial<StackInfo> {
  const out: Partial<Record<keyof StackInfo, unknown>> = {};
  for (const k of ['region', 'accountId', 'backend'] as const) if (s[k] !== undefined) out[k] = s[k];
  return out as Partial<StackInfo>;
}

function add(r: { stack: StackInfo; nodes: Node[] }, ctx: Ctx): void {
  ctx.stacks.push(r.stack);
  addNodes(r.nodes, ctx);
}

/** The first input's node list becomes the model's (most audits have one input); later ones are appended. */
function addNodes(nodes: Node[], ctx: Ctx): void {
  if (!ctx.nodes.length) ctx.nodes = nodes;
  else for (const n of nodes) ctx.nodes.push(n);
}

function unique(name: string, ctx: Ctx): string {
  let n = name;
  for (let i = 2; ctx.used.has(n); i++) n = `${name}-${i}`;
  ctx.used.add(n);
  return n;
}

function mib(n: number): string {
  return `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 2 : 0)} MiB`;
}

/** Read and parse one JSON file within the size and depth bounds; the result is sanitised. */
function readJson(file: string, size: number, ctx: Ctx): unknown {
  if (size > ctx.maxBytes) throw new UserError(file, `is ${mib(size)}, over the ${mib(ctx.maxBytes)} input limit`);
  if (size === 0) throw new UserError(file, 'is empty');
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    throw new UserError(file, `cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  // Terraform JSON is nearly always ASCII, and ASCII read as Latin-1 is the same text, made by a
  // plain copy; V8's UTF-8 decoder takes about ten times longer than the check and the copy on a
  // large file. Anything else (a BOM included) is decoded as UTF-8, as before.
  let text = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (!text.trim()) throw new UserError(file, 'is empty');
  // The depth bound is enforced by `sanitise` on what parsed (V8's JSON.parse does not recurse);
  // the text is measured only when parsing fails, so a too-deep file is still reported as such.
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    if (jsonTextDepth(text, ctx.maxDepth) > ctx.maxDepth) throw new UserError(file, `nesting deeper than ${ctx.maxDepth} levels; refusing to read it`);
    // V8 quotes a snippet of the text ('Unexpected token 'r', "root:x:0:0"... is not valid JSON'); drop it, never echo input.
    const msg = (e instanceof Error ? e.message.split('\n')[0] : String(e)).replace(/,\s*(?:\.\.\.)?".*is not valid JSON$/, '');
    const at = /at position (\d+)/.exec(msg);
    const truncated = /end of (JSON )?input|Unterminated/i.test(msg) || (at !== null && Number(at[1]) >= text.trimEnd().length);
    throw new UserError(file, truncated ? 'is not valid JSON: it ends early (truncated?)' : `is not valid JSON (${msg.length > 100 ? `${msg.slice(0, 100)}…` : msg})`);
  }
  return sanitise(parsed, file, ctx.maxDepth);
}
