"""A `switchboard tools` document of N providers x M tools with four filter
levels mixing key and regex rules, schemas on every tool (what makes real
catalogs large). Usage: python3 document.py N M > doc.json"""
import json
import sys

n, m = int(sys.argv[1]), int(sys.argv[2])
t = "2026-01-01T00:00:00.000Z"
schema = {"type": "json_schema", "schema": {"type": "object", "properties": {
    "repo": {"type": "string", "description": "owner/name"},
    "limit": {"type": "integer", "minimum": 1, "maximum": 100},
    "labels": {"type": "array", "items": {"type": "string"}}}, "required": ["repo"]}}
providers = []
for p in range(n):
    levels = {}
    for name, parity in [("config", 0), ("auth_config", 1), ("deployment", 0), ("template_provider", 1)]:
        levels[name] = [
            {"type": "tool_keys", "keys": [f"p{p}_tool_{i * 2 + parity:04d}" for i in range(40)]},
            {"type": "tool_regex", "pattern": f"^p{p}_tool_0[0-{5 + parity}]"},
            {"type": "tool_regex", "pattern": "_(1[0-9]{2}|[2-9][0-9])$"},
            {"type": "prompt_keys", "keys": ["summarize"]},
        ]
    tools = [{"tool": {"object": "provider.tool", "id": f"pto_{p}x{i}", "key": f"p{p}_tool_{i:04d}",
                       "name": f"Tool {i}", "description": "Does one thing well.", "capabilities": {},
                       "constraints": [], "instructions": [], "input_schema": schema, "output_schema": schema,
                       "tags": {"destructive": False, "read_only": True}, "specification_id": f"psp_{p}",
                       "provider_id": f"pro_{p}", "created_at": t, "updated_at": t}}
             for i in range(m)]
    providers.append({"name": f"p{p}", "template_provider_id": f"stp_{p:05d}", "filters": levels, "tools": tools})
json.dump({"providers": providers}, sys.stdout)
