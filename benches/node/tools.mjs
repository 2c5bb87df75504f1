// A careful JavaScript implementation of what `switchboard tools` computes,
// for a side-by-side comparison (benches/node/compare.sh): the effective tool
// set of a `switchboard tools` document (contract §5.5-5.7), with precompiled
// `RegExp`s, first provider wins, no truncation. Prints the `provider.tools`
// object.
//
//   node benches/node/tools.mjs DOCUMENT.json > out.json

import { readFileSync } from "node:fs";

const RULE_KINDS = {
  tool_keys: "tool", tool_regex: "tool",
  prompt_keys: "prompt", prompt_regex: "prompt",
  resource_regex: "resource", resource_uris: "resource_read",
};

function rulesOf(filter) {
  if (filter == null) return null; // no filter at this level
  if (Array.isArray(filter)) return { rules: filter, cut: false };
  if (filter.type === "allow_all" || filter.type === "v1.allow_all") {
    return { rules: null, cut: !!filter.ignore_parent_filters };
  }
  if (filter.type === "filter" || filter.type === "v1.filter") {
    return { rules: filter.filters, cut: !!filter.ignore_parent_filters };
  }
  if (filter.tool_keys) return { rules: [{ type: "tool_keys", keys: filter.tool_keys }], cut: false };
  return { rules: [filter], cut: false };
}

function compile(filter) {
  const f = rulesOf(filter);
  if (f === null) return null;
  if (f.rules === null) return { allowAll: true, cut: f.cut };
  const c = { allowAll: false, cut: f.cut, toolKeys: null, toolRe: [], promptKeys: null, promptRe: [] };
  for (const r of f.rules) {
    switch (r.type) {
      case "tool_keys": (c.toolKeys ??= new Set()); r.keys.forEach((k) => c.toolKeys.add(k)); break;
      case "prompt_keys": (c.promptKeys ??= new Set()); r.keys.forEach((k) => c.promptKeys.add(k)); break;
      case "tool_regex": c.toolRe.push(new RegExp(r.pattern, "i")); break;
      case "prompt_regex": c.promptRe.push(new RegExp(r.pattern, "i")); break;
      default: break; // resource rules do not apply to tools or prompts
    }
  }
  return c;
}

function passesTool(c, keys) {
  if (c.allowAll) return true;
  if (c.toolKeys === null && c.toolRe.length === 0) return true; // no tool rule
  for (const k of keys) {
    if (c.toolKeys !== null && c.toolKeys.has(k)) return true;
    for (const re of c.toolRe) if (re.test(k)) return true;
  }
  return false;
}

const doc = JSON.parse(readFileSync(process.argv[2], "utf8"));
const providers = [...doc.providers].sort((a, b) =>
  a.template_provider_id < b.template_provider_id ? -1 : a.template_provider_id > b.template_provider_id ? 1 : 0);
const seen = new Set();
const items = [];
for (const p of providers) {
  const f = p.filters ?? {};
  let chain = [f.config, f.auth_config, f.deployment, f.template_provider].map(compile).filter((c) => c !== null);
  const cut = chain.map((c) => c.cut).lastIndexOf(true);
  if (cut > 0) chain = chain.slice(cut);
  const scopes = p.granted_scopes ?? {};
  const granted = scopes.credentials?.length ? scopes.credentials : scopes.auth_config ?? scopes.credentials ?? null;
  for (const t of p.tools ?? []) {
    const tool = t.tool;
    const keys = [tool.key, tool.id, t.callable_id, t.mcp_name].filter((k) => k != null);
    if (!chain.every((c) => passesTool(c, keys))) continue;
    if (granted !== null && (t.required_scopes ?? []).some((g) => g.length > 0 && !g.some((s) => granted.includes(s)))) continue;
    const methods = t.auth_methods ?? [];
    if (methods.length > 0 && !methods.includes(p.auth_method)) continue;
    if (seen.has(tool.key)) continue;
    seen.add(tool.key);
    items.push(tool);
  }
}
process.stdout.write(JSON.stringify({ object: "provider.tools", items }));
