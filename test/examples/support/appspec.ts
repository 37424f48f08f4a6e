/**
 * A validator for CodeDeploy AppSpec files, per compute platform, written from the CodeDeploy
 * user guide's AppSpec reference (docs.aws.amazon.com/codedeploy/latest/userguide/app-spec-ref.html):
 * version 0.0; EC2/on-premises files/permissions/hooks with scripts; ECS and Lambda Resources with
 * Lambda validation hooks. Reports every problem as "<file>: <path>: <problem>".
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Json, isMap, parseYaml, unknownKeys } from './yaml-doc';

export type ComputePlatform = 'server' | 'ecs' | 'lambda';

/** Lifecycle events a script can hook on EC2/on-premises (the others — Start, DownloadBundle, Install, BlockTraffic, AllowTraffic, End — are reserved). */
export const SERVER_HOOKS = ['ApplicationStop', 'BeforeInstall', 'AfterInstall', 'ApplicationStart', 'ValidateService', 'BeforeBlockTraffic', 'AfterBlockTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'] as const;
export const ECS_HOOKS = ['BeforeInstall', 'AfterInstall', 'AfterAllowTestTraffic', 'BeforeAllowTraffic', 'AfterAllowTraffic'] as const;
export const LAMBDA_HOOKS = ['BeforeAllowTraffic', 'AfterAllowTraffic'] as const;
export const RESERVED_EVENTS = ['Start', 'DownloadBundle', 'Install', 'BlockTraffic', 'AllowTraffic', 'TestTraffic', 'End'] as const;
/** A script's timeout is at most one hour. */
export const MAX_SCRIPT_TIMEOUT = 3600;

const SERVER_TOP = ['version', 'os', 'files', 'permissions', 'hooks', 'file_exists_behavior'] as const;
const PERMISSION_KEYS = ['object', 'pattern', 'except', 'owner', 'group', 'mode', 'acls', 'context', 'type'] as const;

export interface AppspecCheck {
  spec: Json;
  problems: string[];
  /** EC2/on-premises: every hook script location, relative to the bundle root */
  scripts: { event: string; location: string; timeout?: number; runas?: string }[];
}

export interface AppspecOptions {
  /** the bundle root (where appspec.yml sits in the revision) — hook scripts are checked to exist and be executable there */
  bundleRoot?: string;
}

export function validateAppspec(text: string, file: string, platform: ComputePlatform, opts: AppspecOptions = {}): AppspecCheck {
  const problems: string[] = [];
  const scripts: AppspecCheck['scripts'] = [];
  const p = (where: string, msg: string) => problems.push(`${file}: ${where}: ${msg}`);
  const parsed = parseYaml(text);
  for (const e of parsed.errors) p('yaml', e);
  const spec = parsed.value;
  if (!isMap(spec)) {
    p('(root)', 'an AppSpec file must be a YAML mapping');
    return { spec, problems, scripts };
  }
  if (spec.version === undefined) p('version', 'required');
  else if (parsed.versionSource !== '0.0') p('version', `must be 0.0 (got ${parsed.versionSource ?? JSON.stringify(spec.version)})`);

  if (platform === 'server') checkServer(spec, p, scripts, opts);
  else checkResources(spec, platform, p);
  return { spec, problems, scripts };
}

function checkServer(spec: { [k: string]: Json }, p: (where: string, msg: string) => void, scripts: AppspecCheck['scripts'], opts: AppspecOptions): void {
  for (const k of unknownKeys(spec, SERVER_TOP)) p(k, `unknown key for an EC2/on-premises AppSpec (allowed: ${SERVER_TOP.join(', ')})`);
  if (spec.os !== 'linux' && spec.os !== 'windows') p('os', 'required: linux or windows');
  if (spec.file_exists_behavior !== undefined && !['DISALLOW', 'OVERWRITE', 'RETAIN'].includes(String(spec.file_exists_behavior))) {
    p('file_exists_behavior', 'must be DISALLOW, OVERWRITE or RETAIN');
  }
  if (spec.files !== undefined) {
    if (!Array.isArray(spec.files) || spec.files.length === 0) p('files', 'must be a non-empty list of {source, destination}');
    else
      spec.files.forEach((f, i) => {
        if (!isMap(f)) return p(`files[${i}]`, 'must be a mapping with source and destination');
        for (const k of unknownKeys(f, ['source', 'destination'])) p(`files[${i}].${k}`, 'unknown key (allowed: source, destination)');
        if (typeof f.source !== 'string' || f.source === '') p(`files[${i}].source`, 'required: a path in the revision ("/" for all of it)');
        if (typeof f.destination !== 'string' || (spec.os === 'linux' && !f.destination.startsWith('/'))) p(`files[${i}].destination`, 'required: an absolute path on the instance');
        if (typeof f.source === 'string' && f.source !== '/' && opts.bundleRoot && !fs.existsSync(path.join(opts.bundleRoot, f.source))) {
          p(`files[${i}].source`, `${f.source} does not exist in the revision`);
        }
      });
  }
  if (spec.permissions !== undefined) {
    if (spec.os === 'windows') p('permissions', 'not supported on Windows Server instances');
    if (!Array.isArray(spec.permissions)) p('permissions', 'must be a list');
    else
      spec.permissions.forEach((perm, i) => {
        const w = `permissions[${i}]`;
        if (!isMap(perm)) return p(w, 'must be a mapping');
        for (const k of unknownKeys(perm, PERMISSION_KEYS)) p(`${w}.${k}`, `unknown key (allowed: ${PERMISSION_KEYS.join(', ')})`);
        if (typeof perm.object !== 'string' || !perm.object.startsWith('/')) p(`${w}.object`, 'required: an absolute path on the instance');
        if (perm.mode !== undefined && !/^[0-7]{3,4}$/.test(String(perm.mode))) p(`${w}.mode`, `must be octal digits such as 644 (got ${JSON.stringify(perm.mode)})`);
        if (perm.type !== undefined && !(Array.isArray(perm.type) && perm.type.every((t) => t === 'file' || t === 'directory'))) p(`${w}.type`, 'must be a list of file and/or directory');
      });
  }
  if (spec.hooks === undefined) return;
  if (!isMap(spec.hooks)) return p('hooks', 'must be a mapping of lifecycle event to scripts');
  for (const [event, list] of Object.entries(spec.hooks)) {
    const w = `hooks.${event}`;
    if (RESERVED_EVENTS.includes(event as (typeof RESERVED_EVENTS)[number])) p(w, 'this lifecycle event is reserved for CodeDeploy and cannot run scripts');
    else if (!SERVER_HOOKS.includes(event as (typeof SERVER_HOOKS)[number])) p(w, `unknown lifecycle event (allowed: ${SERVER_HOOKS.join(', ')})`);
    if (!Array.isArray(list) || list.length === 0) {
      p(w, 'must be a non-empty list of {location, timeout, runas}');
      continue;
    }
    list.forEach((s, i) => {
      const ws = `${w}[${i}]`;
      if (!isMap(s)) return p(ws, 'must be a mapping with location');
      for (const k of unknownKeys(s, ['location', 'timeout', 'runas'])) p(`${ws}.${k}`, 'unknown key (allowed: location, timeout, runas)');
      if (typeof s.location !== 'string' || s.location === '') return p(`${ws}.location`, 'required: the script path relative to the revision root');
      if (s.timeout !== undefined && !(typeof s.timeout === 'number' && Number.isInteger(s.timeout) && s.timeout > 0 && s.timeout <= MAX_SCRIPT_TIMEOUT)) {
        p(`${ws}.timeout`, `must be a whole number of seconds from 1 to ${MAX_SCRIPT_TIMEOUT}`);
      }
      if (s.runas !== undefined && (typeof s.runas !== 'string' || !/^[a-z_][a-z0-9_-]*\$?$/i.test(s.runas))) p(`${ws}.runas`, 'must be a user name');
      scripts.push({ event, location: s.location, timeout: typeof s.timeout === 'number' ? s.timeout : undefined, runas: typeof s.runas === 'string' ? s.runas : undefined });
      if (opts.bundleRoot) {
        const full = path.join(opts.bundleRoot, s.location);
        if (!fs.existsSync(full)) p(`${ws}.location`, `${s.location} does not exist`);
        else if ((fs.statSync(full).mode & 0o111) === 0) p(`${ws}.location`, `${s.location} is not executable`);
      }
    });
  }
}

function checkResources(spec: { [k: string]: Json }, platform: 'ecs' | 'lambda', p: (where: string, msg: string) => void): void {
  for (const k of unknownKeys(spec, ['version', 'Resources', 'Hooks'])) p(k, 'unknown key (allowed: version, Resources, Hooks)');
  const res = spec.Resources;
  if (!Array.isArray(res) || res.length !== 1) p('Resources', `required: a list with exactly one ${platform === 'ecs' ? 'ECS service' : 'Lambda function'}`);
  else {
    const entry = res[0];
    if (!isMap(entry) || Object.keys(entry).length !== 1) p('Resources[0]', 'must be one mapping of a logical name to the resource');
    else {
      const [name, r] = Object.entries(entry)[0];
      const w = `Resources[0].${name}`;
      if (!isMap(r)) p(w, 'must be a mapping with Type and Properties');
      else {
        const wantType = platform === 'ecs' ? 'AWS::ECS::Service' : 'AWS::Lambda::Function';
        if (r.Type !== wantType) p(`${w}.Type`, `must be ${wantType}`);
        if (!isMap(r.Properties)) p(`${w}.Properties`, 'required');
        else if (platform === 'ecs') checkEcsProps(r.Properties, `${w}.Properties`, p);
        else checkLambdaProps(r.Properties, `${w}.Properties`, p);
      }
    }
  }
  if (spec.Hooks === undefined) return;
  const allowed: readonly string[] = platform === 'ecs' ? ECS_HOOKS : LAMBDA_HOOKS;
  if (!Array.isArray(spec.Hooks)) return p('Hooks', 'must be a list of {LifecycleEvent: function}');
  const seen = new Set<string>();
  spec.Hooks.forEach((h, i) => {
    if (!isMap(h) || Object.keys(h).length !== 1) return p(`Hooks[${i}]`, 'must map one lifecycle event to one Lambda function');
    const [event, fn] = Object.entries(h)[0];
    if (!allowed.includes(event)) p(`Hooks[${i}].${event}`, `not a lifecycle event of a ${platform} deployment (allowed: ${allowed.join(', ')})`);
    if (seen.has(event)) p(`Hooks[${i}].${event}`, 'declared twice');
    seen.add(event);
    if (typeof fn !== 'string' || !/^(arn:aws[a-z-]*:lambda:[a-z0-9-]+:\d{12}:function:)?[A-Za-z0-9_-]{1,64}(:[A-Za-z0-9$_-]+)?$/.test(fn)) {
      p(`Hooks[${i}].${event}`, `must be a Lambda function name or ARN (got ${JSON.stringify(fn)})`);
    }
  });
}

function checkEcsProps(props: { [k: string]: Json }, w: string, p: (where: string, msg: string) => void): void {
  for (const k of unknownKeys(props, ['TaskDefinition', 'LoadBalancerInfo', 'PlatformVersion', 'NetworkConfiguration', 'CapacityProviderStrategy'])) p(`${w}.${k}`, 'unknown ECS service property');
  const td = props.TaskDefinition;
  if (typeof td !== 'string' || !(td === '<TASK_DEFINITION>' || /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]+:\d+$/.test(td))) {
    p(`${w}.TaskDefinition`, 'must be a task definition ARN with a revision, or <TASK_DEFINITION> for the CodeDeployToECS pipeline action');
  }
  const lb = props.LoadBalancerInfo;
  if (!isMap(lb)) p(`${w}.LoadBalancerInfo`, 'required: ContainerName and ContainerPort');
  else {
    for (const k of unknownKeys(lb, ['ContainerName', 'ContainerPort'])) p(`${w}.LoadBalancerInfo.${k}`, 'unknown key');
    if (typeof lb.ContainerName !== 'string' || lb.ContainerName === '') p(`${w}.LoadBalancerInfo.ContainerName`, 'required');
    if (!(typeof lb.ContainerPort === 'number' && Number.isInteger(lb.ContainerPort) && lb.ContainerPort >= 1 && lb.ContainerPort <= 65535)) p(`${w}.LoadBalancerInfo.ContainerPort`, 'required: a port from 1 to 65535');
  }
}

function checkLambdaProps(props: { [k: string]: Json }, w: string, p: (where: string, msg: string) => void): void {
  for (const k of unknownKeys(props, ['Name', 'Alias', 'CurrentVersion', 'TargetVersion'])) p(`${w}.${k}`, 'unknown Lambda function property');
  for (const k of ['Name', 'Alias'] as const) if (typeof props[k] !== 'string' || props[k] === '') p(`${w}.${k}`, 'required');
  if (typeof props.Alias === 'string' && /^\d+$/.test(props.Alias)) p(`${w}.Alias`, 'an alias name cannot be a number');
  const versions: number[] = [];
  for (const k of ['CurrentVersion', 'TargetVersion'] as const) {
    const v = String(props[k] ?? '');
    if (!/^[1-9]\d*$/.test(v)) p(`${w}.${k}`, `required: a published version number (got ${JSON.stringify(props[k])}; $LATEST cannot be deployed)`);
    else versions.push(Number(v));
  }
  if (versions.length === 2 && versions[0] === versions[1]) p(`${w}.TargetVersion`, 'must differ from CurrentVersion');
}

/** The hook scripts' absolute paths for an EC2/on-premises AppSpec. */
export function hookScriptPaths(check: AppspecCheck, bundleRoot: string): string[] {
  return [...new Set(check.scripts.map((s) => path.join(bundleRoot, s.location)))];
}
