"""Reduces a crate's rustdoc JSON to its public API, one sorted line per item.

    python3 scripts/public-api.py target/doc/switchboard_query.json > api/switchboard-query.txt

Each public item reachable from the crate root is listed with its path:
functions and methods with their signatures, structs with their public
fields, enums with their variants, traits with their items, constants and
statics with their types, re-exports with their source, and the traits each
type implements (auto traits and blanket impls left out). A change to any
of these changes the file, so an API change shows in review.
"""

import json
import sys


def ty(t):
    """A rustdoc JSON type as Rust text."""
    if t is None:
        return "()"
    (kind, v), = t.items()
    if kind == "resolved_path":
        return v["path"] + args(v.get("args"))
    if kind == "generic" or kind == "primitive":
        return v
    if kind == "tuple":
        return "(" + ", ".join(ty(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    if kind == "slice":
        return "[" + ty(v) + "]"
    if kind == "array":
        return "[" + ty(v["type"]) + "; " + v["len"] + "]"
    if kind == "borrowed_ref":
        life = (v["lifetime"] + " ") if v.get("lifetime") else ""
        return "&" + life + ("mut " if v["is_mutable"] else "") + ty(v["type"])
    if kind == "raw_pointer":
        return ("*mut " if v["is_mutable"] else "*const ") + ty(v["type"])
    if kind == "impl_trait":
        return "impl " + " + ".join(bound(b) for b in v)
    if kind == "dyn_trait":
        parts = [poly(p) for p in v["traits"]]
        if v.get("lifetime"):
            parts.append(v["lifetime"])
        return "dyn " + " + ".join(parts)
    if kind == "qualified_path":
        trait = v.get("trait")
        self_ty = ty(v["self_type"])
        if trait and trait.get("path"):
            return "<" + self_ty + " as " + trait["path"] + args(trait.get("args")) + ">::" + v["name"]
        return self_ty + "::" + v["name"]
    if kind == "function_pointer":
        sig = v["sig"]
        return "fn(" + ", ".join(ty(i[1]) for i in sig["inputs"]) + ")" + ret(sig["output"])
    if kind == "infer":
        return "_"
    return kind


def args(a):
    if not a:
        return ""
    if "angle_bracketed" in a:
        ab = a["angle_bracketed"]
        out = []
        for x in ab["args"]:
            (k, v), = x.items()
            out.append(ty(v) if k == "type" else (v if isinstance(v, str) else json.dumps(v)))
        for c in ab.get("constraints", []):
            binding = c.get("binding", {})
            if "equality" in binding:
                eq = binding["equality"]
                out.append(c["name"] + " = " + (ty(eq["type"]) if "type" in eq else str(eq)))
            else:
                out.append(c["name"] + ": " + " + ".join(bound(b) for b in binding.get("constraint", [])))
        return "<" + ", ".join(out) + ">" if out else ""
    if "parenthesized" in a:
        p = a["parenthesized"]
        return "(" + ", ".join(ty(i) for i in p["inputs"]) + ")" + ret(p.get("output"))
    return ""


def poly(p):
    return p["trait"]["path"] + args(p["trait"].get("args"))


def bound(b):
    if "trait_bound" in b:
        tb = b["trait_bound"]
        mod = {"maybe": "?", "maybe_const": "~const "}.get(tb.get("modifier"), "")
        return mod + tb["trait"]["path"] + args(tb["trait"].get("args"))
    if "outlives" in b:
        return b["outlives"]
    return "use<..>"


def ret(t):
    return "" if t is None else " -> " + ty(t)


def generics(g):
    params = []
    for p in g.get("params", []):
        kind = p["kind"]
        if "lifetime" in kind:
            params.append(p["name"])
        elif "type" in kind:
            if kind["type"].get("is_synthetic"):
                continue
            bounds = kind["type"].get("bounds", [])
            params.append(p["name"] + (": " + " + ".join(bound(b) for b in bounds) if bounds else ""))
        elif "const" in kind:
            params.append("const " + p["name"] + ": " + ty(kind["const"]["type"]))
    return "<" + ", ".join(params) + ">" if params else ""


def fn_sig(name, f):
    header = f["header"]
    prefix = ("const " if header["is_const"] else "") + ("async " if header["is_async"] else "") + (
        "unsafe " if header["is_unsafe"] else "")
    inputs = []
    for n, t in f["sig"]["inputs"]:
        inputs.append("self" if n == "self" and t == {"generic": "Self"} else (
            ty(t).replace("Self", "Self") if n == "self" else n + ": " + ty(t)))
    return prefix + "fn " + name + generics(f["generics"]) + "(" + ", ".join(inputs) + ")" + ret(f["sig"]["output"])


def main(path):
    doc = json.load(open(path))
    index = doc["index"]
    lines = set()

    def item(i):
        return index.get(str(i))

    def impls_of(path, impl_ids):
        for i in impl_ids:
            im = item(i)
            if im is None:
                continue
            inner = im["inner"]["impl"]
            if inner.get("is_synthetic") or inner.get("blanket_impl") is not None:
                continue
            trait = inner.get("trait")
            if trait is not None:
                lines.add(f"impl {trait['path']}{args(trait.get('args'))} for {path}")
                continue
            for m in inner["items"]:
                mi = item(m)
                if mi is None or mi["visibility"] != "public":
                    continue
                if "function" in mi["inner"]:
                    lines.add(f"{path}::{fn_sig(mi['name'], mi['inner']['function'])}")
                elif "assoc_const" in mi["inner"]:
                    lines.add(f"{path}::const {mi['name']}: {ty(mi['inner']['assoc_const']['type'])}")

    def walk(module_id, prefix, seen):
        """Every public item of a module, at the paths a user writes."""
        key = (module_id, prefix)
        if key in seen:
            return
        seen.add(key)
        module = item(module_id)
        for child in module["inner"]["module"]["items"]:
            it = item(child)
            if it is None or it["visibility"] != "public":
                continue
            (kind, v), = it["inner"].items()
            if kind == "use":
                target = item(v["id"]) if v.get("id") is not None else None
                if target is None or target["crate_id"] != 0:
                    lines.add(f"pub use {prefix}::{'*' if v['is_glob'] else v['name']} = {v['source']}")
                elif v["is_glob"]:
                    walk(v["id"], prefix, seen)
                else:
                    describe(target, v["id"], f"{prefix}::{v['name']}", seen)
            else:
                describe(it, child, f"{prefix}::{it['name']}", seen)

    def describe(it, it_id, path, seen):
        (kind, v), = it["inner"].items()
        if kind == "module":
            lines.add(f"pub mod {path}")
            walk(it_id, path, seen)
        elif kind == "function":
            lines.add(f"pub {fn_sig(path, v)}")
        elif kind == "struct":
            lines.add(f"pub struct {path}{generics(v['generics'])}")
            k = v["kind"]
            fields = k.get("plain", {}).get("fields", []) if isinstance(k, dict) else []
            if isinstance(k, dict) and "tuple" in k:
                fields = [f for f in k["tuple"] if f is not None]
            for f in fields:
                fi = item(f)
                if fi and fi["visibility"] == "public":
                    lines.add(f"pub {path}.{fi['name']}: {ty(fi['inner']['struct_field'])}")
            impls_of(path, v["impls"])
        elif kind == "enum":
            lines.add(f"pub enum {path}{generics(v['generics'])}")
            for var in v["variants"]:
                vi = item(var)
                vk = vi["inner"]["variant"]["kind"]
                shape = ""
                if isinstance(vk, dict) and "tuple" in vk:
                    shape = "(" + ", ".join(ty(item(f)["inner"]["struct_field"]) for f in vk["tuple"] if f is not None) + ")"
                elif isinstance(vk, dict) and "struct" in vk:
                    shape = " { " + ", ".join(item(f)["name"] + ": " + ty(item(f)["inner"]["struct_field"]) for f in vk["struct"]["fields"]) + " }"
                lines.add(f"pub {path}::{vi['name']}{shape}")
            impls_of(path, v["impls"])
        elif kind == "trait":
            lines.add(f"pub trait {path}{generics(v['generics'])}")
            for ti in v["items"]:
                t = item(ti)
                if t and "function" in t["inner"]:
                    lines.add(f"pub {path}::{fn_sig(t['name'], t['inner']['function'])}")
                elif t and "assoc_type" in t["inner"]:
                    lines.add(f"pub {path}::type {t['name']}")
        elif kind == "constant":
            lines.add(f"pub const {path}: {ty(v['type'])}")
        elif kind == "static":
            lines.add(f"pub static {path}: {ty(v['type'])}")
        elif kind == "type_alias":
            lines.add(f"pub type {path}{generics(v['generics'])} = {ty(v['type'])}")
        elif kind in ("macro", "proc_macro"):
            lines.add(f"pub macro {path}!")
        else:
            lines.add(f"pub {kind} {path}")

    root = str(doc["root"])
    walk(doc["root"], index[root]["name"], set())
    print("\n".join(sorted(lines)))


if __name__ == "__main__":
    main(sys.argv[1])
